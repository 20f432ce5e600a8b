import ArgumentParser
import FoundationEssentials
import Glibc
import QualityGates

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the gates, their checks, severity, and the targets each check runs on."
    )

    @OptionGroup var files: GateFileOptions

    @Option(help: ArgumentHelp("A project to look at: each build-target check runs against it and shows what it finds.", valueName: "dir"))
    var projectRoot: String?

    func run() throws {
        let configuration = try Loading.load(files, options: { LoadOptions(environment: $0) })
        let environment = (try? files.environment().get()) ?? .process()
        let console = ConsoleReporter(colors: Console.wantsColor(fileDescriptor: STDOUT_FILENO))
        for gate in configuration.gates {
            Console.out("\(gate.severity.rawValue) \(gate.id): \(gate.title) (respond \(gate.responseTime))\n")
            let found = projectRoot.map { Inspection.look(at: gate, projectRoot: URL(fileURLWithPath: $0), environment: environment) }
            for (index, check) in gate.checks.enumerated() {
                let targets = Target.allCases.filter(check.targets.contains).map(\.rawValue).joined(separator: ", ")
                var line = "    \(check.name) [\(check.kind)] on \(targets)"
                if let result = found?[index].result, check.targets.contains(.build) {
                    line += "\n        \(console.symbol(result.outcome)) \(Redactor(environment: environment).redact(result.message))"
                }
                Console.out(line + "\n")
            }
        }
    }
}

/// Loading for the subcommands that only read gate files: errors printed, exit status 2.
enum Loading {
    static func load(_ files: GateFileOptions, options: (Environment) -> LoadOptions) throws -> GateConfiguration {
        let environment: Environment
        switch files.environment() {
        case .success(let value): environment = value
        case .failure(let error):
            Console.error("error: \(Redactor(environment: .process()).redact(error.description))")
            throw ExitCode(ExitStatus.configurationError)
        }
        switch files.load(options(environment)) {
        case .success(let configuration):
            return configuration
        case .failure(let errors):
            let redactor = Redactor(environment: environment)
            errors.errors.forEach { Console.error("error: \(redactor.redact($0.description))") }
            throw ExitCode(ExitStatus.configurationError)
        }
    }
}
