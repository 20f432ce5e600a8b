import ArgumentParser
import QualityGates

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the gates, their checks, severity, and the targets each check runs on."
    )

    @OptionGroup var files: GateFileOptions

    func run() throws {
        let configuration = try Loading.load(files, options: { LoadOptions(environment: $0) })
        for gate in configuration.gates {
            Console.out("\(gate.severity.rawValue) \(gate.id): \(gate.title) (respond \(gate.responseTime))\n")
            for check in gate.checks {
                let targets = Target.allCases.filter(check.targets.contains).map(\.rawValue).joined(separator: ", ")
                Console.out("    \(check.name) [\(check.kind)] on \(targets)\n")
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
        switch GateFileLoader.load(paths: files.configPaths, options: options(environment)) {
        case .success(let configuration):
            return configuration
        case .failure(let errors):
            let redactor = Redactor(environment: environment)
            errors.errors.forEach { Console.error("error: \(redactor.redact($0.description))") }
            throw ExitCode(ExitStatus.configurationError)
        }
    }
}
