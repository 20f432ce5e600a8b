import Postgres
import ProjectFiles
import FoundationEssentials

/// A kind of check: a small value configured from a gate file that observes something and judges it.
///
/// A conforming type describes itself (kind, summary, parameters, examples) in `description`;
/// the examples are the tests and the documentation. All I/O is in `observe` (files, queries,
/// requests, helper processes); `judge` decides from the observation alone, so every decision can
/// be tested without the world, and a `warn:` threshold is judged on the same observation.
public protocol Check: Sendable {
    /// What `observe` reads from the world, for `judge` to decide on.
    associatedtype Observation

    /// The kind's self-description: what `explain`, `docs/gates.md` and the example tests show.
    static var description: CheckDescription { get }

    /// Reads the check's parameters; every problem is a `ConfigError` with a location.
    init(_ parameters: inout CheckParameters) throws(ConfigError)

    /// Makes one attempt's observation. Called on a thread of its own, so it may block; network
    /// kinds pass `context.timeout` down into the C library so that a hung peer cannot hold the
    /// thread. Throws the result that ends the check early (an unreachable server is an error; an
    /// absent optional input a skip).
    func observe(_ context: CheckContext) throws(CheckStop) -> Observation

    /// The decision on an observation: pure.
    func judge(_ observation: Observation) -> CheckResult

    /// The names of the values a passed check hands to the checks that `need` it (a sign-in's
    /// `access_token`, a query's `expose`d fields); known before the run, for the configuration.
    var exposes: [String] { get }

    /// Configuration problems only the project can show, found before anything runs (an
    /// operation named that the frontend does not have, a variable nothing gives a value): each a
    /// one-line message. `handedOn` holds what the checks this one needs expose.
    func preflight(_ context: CheckContext, handedOn: Set<String>) -> [String]
}

extension Check {
    public var exposes: [String] { [] }

    public func preflight(_ context: CheckContext, handedOn: Set<String>) -> [String] { [] }

    /// One attempt: observe, then judge.
    public func run(_ context: CheckContext) -> CheckResult {
        run(context, warn: nil)
    }

    /// One attempt, judged against this check's expectations and, when it passes, against the
    /// stricter ones of `warn` (a variant of the same kind, from the gate file's `warn:`): a
    /// warning, never a failure. The world is observed once.
    public func run(_ context: CheckContext, warn: (any Check)?) -> CheckResult {
        let observation: Observation
        do {
            observation = try observe(context)
        } catch {
            return error.result
        }
        let result = judge(observation)
        guard result.outcome == .passed, let warn = warn as? Self else { return result }
        let stricter = warn.judge(observation)
        guard stricter.outcome == .failed else { return result }
        var warned = stricter
        warned.outcome = .warned
        warned.measurements = result.measurements
        warned.handoff = result.handoff
        return warned
    }
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
    /// This run's results so far, for the kinds that judge the run (they start last).
    public var currentRun: [RunResult] = []
    /// The gates made only of such kinds: they judge the run and are not part of what they judge.
    public var judgingGates: Set<String> = []
    /// Folder listings shared by the checks of the run (each folder of the project read once).
    public var listings: FolderListings?
    /// The run's database statements, cancelled on the server when the run stops.
    public var inFlightStatements: InFlightStatements?
    /// Where verdicts that only depend on their inputs are kept between runs; nil for none.
    public var cacheFolder: String?
    /// The tool and its version: part of every cached verdict's key.
    public var tool = ""
    /// Whether another check of the run needs this one (and may use what it hands on).
    public var isNeeded = false
    /// Requests the run sends once its checks are over (a handed-on sign-in's sign-out); nil
    /// outside a run, where nothing is handed on.
    public var cleanup: RunCleanup?

    /// A path finder for the project, sharing the run's listings.
    public func finder(excluding excluded: [PathPattern] = []) -> PathFinder {
        PathFinder(root: projectRoot.path, excluding: excluded, listings: listings)
    }

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

/// Ends a check before its decision, with the result that says why: an input that is absent (an
/// error, or a skip when the check marked it optional), a server that cannot be reached.
public struct CheckStop: Error, Sendable {
    /// The check's result.
    public let result: CheckResult

    /// A stop with this result.
    public init(_ result: CheckResult) { self.result = result }
}

/// One finished check of the run in progress, as the kinds that judge the run see it.
public struct RunResult: Sendable, Equatable {
    public var gate: String
    public var check: String
    public var outcome: Outcome
    public var measurements: [Measurement]

    public init(gate: String, check: String, outcome: Outcome, measurements: [Measurement] = []) {
        self.gate = gate
        self.check = check
        self.outcome = outcome
        self.measurements = measurements
    }
}
