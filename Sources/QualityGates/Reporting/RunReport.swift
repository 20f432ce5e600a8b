import FoundationEssentials

/// Everything one run found, in report order (gate severity, then id, then check order). Every
/// reporter is a pure function of this value; the JSON report writes all of it (and decodes back).
public struct RunReport: Sendable, Decodable, Equatable {
    /// The JSON report's schema version (docs/report.schema.json): 2 added the outcome `warned`,
    /// 3 the verdict and each check's skip reason.
    public var version = 3
    /// The tool and its version.
    public var tool: String
    /// The target run.
    public var target: Target
    /// When the run started.
    public var startedAt: Date
    /// Seconds from start to the last result.
    public var durationSeconds: Double
    /// Why the run stopped early (`deadline of 600 s reached`, `SIGINT`), if it did.
    public var stoppedEarly: String?
    /// Configuration errors; non-empty only for a run that could not start (exit status 2).
    public var configurationErrors: [String]
    /// The gates run.
    public var gates: [GateReport]

    /// A report.
    public init(tool: String, target: Target, startedAt: Date, durationSeconds: Double, stoppedEarly: String? = nil,
                configurationErrors: [String] = [], gates: [GateReport]) {
        self.tool = tool
        self.target = target
        self.startedAt = startedAt
        self.durationSeconds = durationSeconds
        self.stoppedEarly = stoppedEarly
        self.configurationErrors = configurationErrors
        self.gates = gates
    }

    /// How many checks ended with each outcome.
    public func count(_ outcome: Outcome) -> Int {
        gates.reduce(0) { $0 + $1.checks.filter { $0.outcome == outcome }.count }
    }

    /// Every check in report order.
    public var allChecks: [CheckReport] { gates.flatMap(\.checks) }
}

/// One gate's result.
public struct GateReport: Sendable, Decodable, Equatable {
    public var id: String
    public var title: String
    public var severity: Severity
    public var responseTime: String
    public var escalation: String
    /// The runbook's immediate actions.
    public var runbook: [String]
    public var checks: [CheckReport]

    /// failed when a check failed; errored when one errored and none failed; warned when one
    /// warned and none failed or errored; skipped when every check was skipped; passed otherwise.
    public var status: Outcome { Self.status(of: checks.map(\.outcome)) }

    /// A gate's status from its checks' outcomes: failed before errored before warned; skipped
    /// when every check was.
    static func status(of checkOutcomes: [Outcome]) -> Outcome {
        let outcomes = Set(checkOutcomes)
        if outcomes.contains(.failed) { return .failed }
        if outcomes.contains(.errored) { return .errored }
        if outcomes.contains(.warned) { return .warned }
        if !checkOutcomes.isEmpty, outcomes == [.skipped] { return .skipped }
        return .passed
    }

    /// A gate report.
    public init(id: String, title: String, severity: Severity, responseTime: String, escalation: String,
                runbook: [String], checks: [CheckReport]) {
        self.id = id
        self.title = title
        self.severity = severity
        self.responseTime = responseTime
        self.escalation = escalation
        self.runbook = runbook
        self.checks = checks
    }
}

/// One check's result.
public struct CheckReport: Sendable, Decodable, Equatable {
    public var name: String
    public var kind: String
    public var outcome: Outcome
    /// One line; for a failure, the resolved value beside the expectation.
    public var message: String
    public var details: [String]
    public var findings: [Finding]
    public var measurements: [Measurement]
    public var durationSeconds: Double
    /// Attempts made (more than 1 after retries).
    public var attempts: Int
    /// Where the check is defined, `file:line:column`.
    public var definedAt: String
    /// Why, when the outcome is skipped.
    public var skipReason: SkipReason?
    /// The failure flap control held back as a warning (`consecutive:`, `m_of_n:`).
    public var heldBack: Outcome?
    /// A live schema the check introspected, as SDL (for the history; no report shows it).
    public var schemaSnapshot: String?

    /// A check report.
    public init(name: String, kind: String, outcome: Outcome, message: String, details: [String] = [],
                findings: [Finding] = [], measurements: [Measurement] = [], durationSeconds: Double = 0,
                attempts: Int = 0, definedAt: String = "", skipReason: SkipReason? = nil, heldBack: Outcome? = nil,
                schemaSnapshot: String? = nil) {
        self.skipReason = skipReason
        self.heldBack = heldBack
        self.schemaSnapshot = schemaSnapshot
        self.name = name
        self.kind = kind
        self.outcome = outcome
        self.message = message
        self.details = details
        self.findings = findings
        self.measurements = measurements
        self.durationSeconds = durationSeconds
        self.attempts = attempts
        self.definedAt = definedAt
    }
}
