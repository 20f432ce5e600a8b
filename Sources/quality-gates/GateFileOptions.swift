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

    static let defaultConfig = "gates/nestsync.yml"

    /// The gate files loaded: the `--config` files; without any, `gates/nestsync.yml` when the
    /// working folder has one, else the NestSync pack compiled into the binary.
    func load(_ options: LoadOptions) -> Result<GateConfiguration, LoadErrors> {
        if configs.isEmpty, !FileManager.default.fileExists(atPath: Self.defaultConfig) {
            return GateFileLoader.load(sources: [(name: BuiltInPack.name, bytes: Array(BuiltInPack.nestsync.utf8))], options: options)
        }
        return GateFileLoader.load(paths: configs.isEmpty ? [Self.defaultConfig] : configs, options: options)
    }

    /// The process environment over the env files' values; a bad env file is a configuration error.
    func environment() -> Result<Environment, ConfigError> {
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

extension Target: ExpressibleByArgument {}

extension Severity: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}

/// Writes to standard output and standard error, unbuffered, straight through write(2).
enum Console {
    static func error(_ text: String) {
        write(text.hasSuffix("\n") ? text : text + "\n", to: STDERR_FILENO)
    }

    static func out(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    private static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return } // a closed pipe: nothing more can be said there
            bytes = bytes.dropFirst(written)
        }
    }

    /// Colours on a terminal only, and never when NO_COLOR is set (https://no-color.org).
    static func wantsColor(fileDescriptor: Int32) -> Bool {
        let noColor = variable("NO_COLOR").map { !$0.isEmpty } ?? false
        return !noColor && isatty(fileDescriptor) == 1
    }

    /// One environment variable. `ProcessInfo.environment` builds a dictionary of all of them on
    /// every call, which cost more than a check does.
    static func variable(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
