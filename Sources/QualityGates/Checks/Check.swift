import FoundationEssentials

/// A kind of check: a small value configured from a gate file that observes something and judges it.
///
/// A conforming type describes itself (kind, summary, parameters, examples) in `description`;
/// the examples are the tests and the documentation. Keep the I/O (`observe`) apart from the
/// decision (`judge`) so the decision can be tested without the world.
public protocol Check: Sendable {
    /// The kind's self-description: what `explain`, `docs/gates.md` and the example tests show.
    static var description: CheckDescription { get }

    /// Reads the check's parameters; every problem is a `ConfigError` with a location.
    init(_ parameters: inout CheckParameters) throws(ConfigError)

    /// Runs one attempt. Called on a thread of its own, so it may block; network kinds pass
    /// `context.timeout` down into the C library so that a hung peer cannot hold the thread.
    func run(_ context: CheckContext) -> CheckResult
}

/// What a running check may read from the world.
public struct CheckContext: Sendable {
    /// The checked project's root folder; relative paths in gate files start here.
    public var projectRoot: URL
    /// Variables from the process environment and `--env-file`.
    public var environment: Environment
    /// The target of the run.
    public var target: Target
    /// Seconds this attempt may take.
    public var timeout: Double
    /// What the checks this one needs handed on (`access_token` from a gotrue_auth sign-in).
    public var handoff: [String: String]
    /// Earlier runs, for the trend checks; nil with `--history none`.
    public var history: HistoryStore?

    /// A context.
    public init(projectRoot: URL, environment: Environment, target: Target, timeout: Double, handoff: [String: String] = [:],
                history: HistoryStore? = nil) {
        self.history = history
        self.projectRoot = projectRoot
        self.environment = environment
        self.target = target
        self.timeout = timeout
        self.handoff = handoff
    }

    /// `path` resolved against the project root (absolute paths stay as they are).
    public func url(for path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : projectRoot.appendingPathComponent(path)
    }
}

/// Why an observation could not be made; the runner reports it as an errored outcome.
public struct ObservationError: Error, Sendable {
    /// One line: what could not be read or reached.
    public let message: String

    /// An error with a message.
    public init(_ message: String) { self.message = message }
}
