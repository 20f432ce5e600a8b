import ArgumentParser
import FoundationEssentials
import Glibc
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

    @Option(help: ArgumentHelp("A project to check the gate files against: what only the project can show (an operation the frontend lacks, a variable nothing gives) is an error too.", valueName: "dir"))
    var projectRoot: String?

    func run() throws {
        let configuration = try Loading.load(files) { LoadOptions(environment: $0, target: target) }
        if let projectRoot {
            let environment = (try? files.environment().get()) ?? .process()
            let options = RunOptions(target: target, projectRoot: URL(fileURLWithPath: projectRoot), environment: environment)
            let problems = Preflight.problems(configuration, options: options)
            problems.forEach { Console.error("error: \(Redactor(environment: environment).redact($0.description))") }
            if !problems.isEmpty { throw ExitCode(ExitStatus.configurationError) }
        }
        let checks = configuration.gates.reduce(0) { $0 + $1.checks.count }
        Console.out("ok: \(configuration.files.joined(separator: ", ")): \(configuration.gates.count) gates, \(checks) checks\n")
    }
}
