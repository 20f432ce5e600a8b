import FoundationEssentials

/// Where a command's gates and variables come from: the `--config` files (or the default pack),
/// and the process environment over `--env-file` values.
public enum GateSources {
    /// The gate file used when no `--config` is given, if the working folder has it.
    public static let defaultConfig = "gates/nestsync.yml"

    /// The gate files loaded: `configs`; without any, `gates/nestsync.yml` when the working folder
    /// has one, else the NestSync pack compiled into the binary.
    public static func load(configs: [String], _ options: LoadOptions) -> Result<GateConfiguration, LoadErrors> {
        if configs.isEmpty, !FileManager.default.fileExists(atPath: defaultConfig) {
            return GateFileLoader.load(sources: [(name: BuiltInPack.name, bytes: Array(BuiltInPack.nestsync.utf8))], options: options)
        }
        return GateFileLoader.load(paths: configs.isEmpty ? [defaultConfig] : configs, options: options)
    }

    /// The process environment over the env files' values; a bad env file is a configuration error.
    public static func environment(envFiles: [String]) -> Result<Environment, ConfigError> {
        var values: [String: String] = [:]
        for path in envFiles {
            switch EnvFile.read(path) {
            case .success(let fileValues): values.merge(fileValues) { _, new in new }
            case .failure(let error): return .failure(error)
            }
        }
        return .success(.process(envFileValues: values))
    }
}
