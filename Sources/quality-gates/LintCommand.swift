import ArgumentParser
import QualityGates

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Load and validate the gate files without running a check; list every error.",
        discussion: "Variables are required only for the checks of --target, as for a run on that target."
    )

    @OptionGroup var files: GateFileOptions

    @Option(help: "The target whose checks must have their variables set.")
    var target: Target = .build

    func run() throws {
        let configuration = try Loading.load(files) { LoadOptions(environment: $0, target: target) }
        let checks = configuration.gates.reduce(0) { $0 + $1.checks.count }
        Console.out("ok: \(configuration.files.joined(separator: ", ")): \(configuration.gates.count) gates, \(checks) checks\n")
    }
}
