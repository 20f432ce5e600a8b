import FoundationEssentials

/// The variables a run sees: the process environment, then `--env-file` for what it does not set
/// (as docker compose does, the process environment wins).
public struct Environment: Sendable {
    /// Every variable, name to value.
    public let values: [String: String]

    /// An environment from explicit values.
    public init(_ values: [String: String]) { self.values = values }

    /// The process environment overlaid on the values of the env files.
    public static func process(envFileValues: [String: String] = [:]) -> Environment {
        Environment(envFileValues.merging(ProcessInfo.processInfo.environment) { _, process in process })
    }

    /// The value of `name`, if set.
    public subscript(name: String) -> String? { values[name] }
}
