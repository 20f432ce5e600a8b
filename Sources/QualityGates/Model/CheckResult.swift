/// What happened to a check.
public enum Outcome: String, Sendable, Codable, CaseIterable {
    /// The expectation held.
    case passed
    /// The check ran and the expectation was false.
    case failed
    /// The check could not be evaluated (unreadable file, timeout, refused connection, ...).
    case errored
    /// Not run: not for this target, or a check it needs did not pass.
    case skipped
    /// A warn-tier expectation was false (a check with `severity: warn`, or a `warn:` threshold
    /// crossed): reported, never blocking.
    case warned
}

/// A finding at a place in the checked project, such as the requirements line that is not pinned.
public struct Finding: Sendable, Hashable, Codable {
    /// The file, relative to the project root.
    public var file: String
    /// The line, 1-based; 0 when the finding concerns the whole file.
    public var line: Int
    /// The column, 1-based; 0 when unknown.
    public var column: Int
    /// What is wrong there.
    public var message: String

    /// A finding at `file:line:column`.
    public init(file: String, line: Int = 0, column: Int = 0, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }
}

/// A number a check measured (a latency, a count), kept in reports and history.
public struct Measurement: Sendable, Hashable, Codable {
    /// A stable name (`connect_time`).
    public var name: String
    /// The value.
    public var value: Double
    /// The unit (`ms`, `count`).
    public var unit: String
    /// The budget it is held to, when it has one (`p95 < 2000`: 2000), for plots.
    public var limit: Double?

    /// A measurement.
    public init(name: String, value: Double, unit: String, limit: Double? = nil) {
        self.name = name
        self.value = value
        self.unit = unit
        self.limit = limit
    }
}

/// The result of one check: the outcome, a one-line message with the resolved values beside the
/// expectation, and whatever detail a responder needs.
/// Why a check was skipped, as data: reporters and the JSON report read this, never the message.
public enum SkipReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The check runs on another target (`targets:`).
    case notForTarget = "not_for_target"
    /// A check it `needs` failed, errored or was skipped.
    case needsNotPassed = "needs_not_passed"
    /// A check it `needs` is in a gate left out by `--only` or `--skip`.
    case notSelected = "not_selected"
    /// An input marked `optional: true` is not in the project.
    case optionalInputAbsent = "optional_input_absent"
    /// The value is a deploy-time placeholder (`${{ secrets.X }}`); the staging target checks it.
    case injectedAtDeploy = "injected_at_deploy"
    /// A trend check without a history, or with too few runs in it.
    case notEnoughHistory = "not_enough_history"
}

public struct CheckResult: Sendable, Hashable {
    /// The outcome.
    public var outcome: Outcome
    /// One line: for a failure, the resolved value beside the expectation.
    public var message: String
    /// More lines of detail.
    public var details: [String]
    /// Places in the project the result is about.
    public var findings: [Finding]
    /// Numbers measured on the way.
    public var measurements: [Measurement]
    /// Values handed to the checks that `need` this one (a sign-in's access token). Never
    /// reported, never stored: no reporter reads this.
    public var handoff: [String: String] = [:]
    /// Whether another attempt could change an errored result. False for what recurs
    /// identically: a certificate that does not verify, the size cap, a redirect loop, a 4xx.
    public var retryable = true
    /// Seconds the server asked to wait before another attempt (`Retry-After`).
    public var retryAfter: Double?
    /// Why, when the outcome is skipped.
    public var skipReason: SkipReason?
    /// The outcome flap control held back (a failure reported as a warning until enough runs
    /// fail); the history keeps this one, so the next run counts it.
    public var heldBack: Outcome?
    /// The schema a live endpoint answered introspection with, as SDL: the history records the
    /// deployed schema when it changes (graphql_diff's `history:` baselines). Not reported.
    public var schemaSnapshot: String?

    /// A result; only the outcome and message are required.
    public init(_ outcome: Outcome, _ message: String, details: [String] = [],
                findings: [Finding] = [], measurements: [Measurement] = []) {
        self.outcome = outcome
        self.message = message
        self.details = details
        self.findings = findings
        self.measurements = measurements
    }

    /// A passed result.
    public static func passed(_ message: String, details: [String] = [], findings: [Finding] = []) -> CheckResult {
        CheckResult(.passed, message, details: details, findings: findings)
    }

    /// A failed result.
    public static func failed(_ message: String, details: [String] = [], findings: [Finding] = []) -> CheckResult {
        CheckResult(.failed, message, details: details, findings: findings)
    }

    /// A warned result.
    public static func warned(_ message: String, details: [String] = [], findings: [Finding] = []) -> CheckResult {
        CheckResult(.warned, message, details: details, findings: findings)
    }

    /// A skipped result, with its reason as data and the message a person reads.
    public static func skipped(_ reason: SkipReason, _ message: String) -> CheckResult {
        var result = CheckResult(.skipped, message)
        result.skipReason = reason
        return result
    }

    /// An errored result.
    public static func errored(_ message: String, details: [String] = [], findings: [Finding] = []) -> CheckResult {
        CheckResult(.errored, message, details: details, findings: findings)
    }
}
