import ArgumentParser
import FoundationEssentials
import Glibc
import QualityGates

/// The options every subcommand that reads gate files shares.
struct GateFileOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp("A gate file; repeat to combine several.", valueName: "file"))
    var configs: [String] = []

    @Option(name: .customLong("env-file"), help: ArgumentHelp("A dotenv file of variables; the process environment wins. Repeatable.", valueName: "file"))
    var envFiles: [String] = []

    /// The gate files loaded (`GateSources.load`).
    func load(_ options: LoadOptions) -> Result<GateConfiguration, LoadErrors> {
        GateSources.load(configs: configs, options)
    }

    /// The process environment over the env files' values (`GateSources.environment`).
    func environment() -> Result<Environment, ConfigError> {
        GateSources.environment(envFiles: envFiles)
    }
}

extension Target: ExpressibleByArgument {}

extension Severity: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}
