/// A named group of checks that fails as one, with what a responder does when it fails.
public struct Gate: Sendable {
    /// The stable id, as in the runbook (`db_health`).
    public let id: String
    /// A human title (`Database Health Failure`).
    public let title: String
    /// How urgent a failure is.
    public let severity: Severity
    /// How fast a responder must act.
    public let responseTime: String
    /// Who is told, and how.
    public let escalation: String
    /// The runbook's immediate actions, in order.
    public let runbook: [String]
    /// The checks, in the order the gate file lists them.
    public let checks: [ConfiguredCheck]
    /// Where the gate is defined.
    public let location: SourceLocation
    /// Seconds between runs under `quality-gates watch` (`every:`); nil: the severity's cadence.
    public var every: Double? = nil
    /// Failing runs in a row before `watch` opens an incident (`consecutive:`, default 1).
    public var consecutive: Int = 1
}

/// One check of a gate, as configured in a gate file.
public struct ConfiguredCheck: Sendable {
    /// The stable name, unique within its gate; JUnit uses it as the test case name.
    public let name: String
    /// The check kind (`requirements_pin`).
    public let kind: String
    /// The configured check, ready to run.
    public let check: any Check
    /// The targets it runs on.
    public let targets: Set<Target>
    /// Seconds one attempt may take before it is an error.
    public let timeout: Double
    /// How many times an errored attempt is tried again (never a failed one).
    public let retries: Int
    /// Checks that must pass first.
    public let needs: [CheckReference]
    /// Where the check is defined.
    public let location: SourceLocation
    /// `block` (the default), or `warn`: a failure or error of this check is a warning.
    public var level: CheckLevel = .block
    /// The same kind with the stricter thresholds of `warn:`, judged on the same observation.
    public var warnVariant: (any Check)?
    /// Flap control: a failure blocks only when enough recent runs failed too.
    public var flap: FlapControl?
}

/// When a failing check blocks, counted over the history with this run included: `consecutive: 3`
/// (the last three runs failed) or `m_of_n: [3, 5]` (three of the last five). Until then the
/// failure is a warning that says how far it is from blocking; a flapping check stops paging on
/// every intermittent failure, and a real outage still blocks within a few runs.
public enum FlapControl: Sendable, Equatable {
    case consecutive(Int)
    case mOfN(Int, Int)

    /// How many runs are looked at, this one included.
    public var window: Int {
        switch self {
        case .consecutive(let count): count
        case .mOfN(_, let runs): runs
        }
    }

    /// Failing runs needed among the window.
    public var needed: Int {
        switch self {
        case .consecutive(let count): count
        case .mOfN(let failing, _): failing
        }
    }

    /// Whether `outcomes` (oldest first, this run last) hold enough failures to block.
    public func blocks(_ outcomes: [Outcome]) -> Bool {
        let recent = outcomes.suffix(window).map { $0 == .failed || $0 == .errored }
        switch self {
        case .consecutive(let count): return recent.count == count && recent.allSatisfy { $0 }
        case .mOfN(let failing, _): return recent.count(where: { $0 }) >= failing
        }
    }

    /// `consecutive: 3` or `m_of_n: [3, 5]`, as a gate file writes it.
    public var written: String {
        switch self {
        case .consecutive(let count): "consecutive: \(count)"
        case .mOfN(let failing, let runs): "m_of_n: [\(failing), \(runs)]"
        }
    }
}

/// Whether a check's failure blocks, or only warns.
public enum CheckLevel: String, Sendable {
    case block, warn
}

/// Names a check: its gate and its name.
public struct CheckReference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The gate id.
    public let gate: String
    /// The check name within the gate.
    public let check: String

    /// A reference to `check` in `gate`.
    public init(gate: String, check: String) {
        self.gate = gate
        self.check = check
    }

    public var description: String { "\(gate)/\(check)" }
}

/// Everything the gate files of a run define.
public struct GateConfiguration: Sendable {
    /// Every gate, in the order the report lists them: severity, then id.
    public let gates: [Gate]
    /// Variable names the gate files declare secret (their values are redacted everywhere).
    public let secretNames: Set<String>
    /// The gate files read, as named.
    public let files: [String]
    /// Where alerts go (`alerts:`), when a gate file says.
    public let alerts: AlertPolicy?

    /// A configuration; gates are sorted by severity, then id.
    public init(gates: [Gate], secretNames: Set<String>, files: [String], alerts: AlertPolicy? = nil) {
        self.gates = gates.sorted { ($0.severity, $0.id) < ($1.severity, $1.id) }
        self.secretNames = secretNames
        self.files = files
        self.alerts = alerts
    }
}
