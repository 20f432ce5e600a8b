/// How a run ended, decided once by the run session after the history has been written: the exit
/// status and its reason. Every reporter receives it; none works it out again.
public struct Verdict: Sendable, Equatable {
    public enum Reason: String, Sendable, Codable {
        /// Every gate at or above the threshold passed, warned or was skipped.
        case passed
        /// A gate at or above the threshold failed or errored.
        case gatesFailed = "gates_failed"
        /// The gate files could not be read, or the run could not start.
        case configurationError = "configuration_error"
        /// The gates ran, but the run history could not be opened or written.
        case historyUnavailable = "history_unavailable"
        /// SIGINT or SIGTERM ended the run.
        case interrupted
    }

    public let reason: Reason
    /// The process's exit status.
    public let exitStatus: Int32
    /// The blocking threshold the verdict was decided with.
    public let failOn: Severity
    /// What a person reads beside the headline: the signal, or why the history failed.
    public let detail: String?

    public init(reason: Reason, exitStatus: Int32, failOn: Severity, detail: String? = nil) {
        self.reason = reason
        self.exitStatus = exitStatus
        self.failOn = failOn
        self.detail = detail
    }

    /// The one decision. In order: a configuration error (2); a signal (130 for SIGINT, 143 for
    /// SIGTERM); a history that failed (2); a blocking gate that failed or errored (1); else 0.
    public static func decide(_ report: RunReport, failOn: Severity, signal: String? = nil, historyProblem: String? = nil) -> Verdict {
        if !report.configurationErrors.isEmpty {
            return Verdict(reason: .configurationError, exitStatus: ExitStatus.configurationError, failOn: failOn)
        }
        if let signal {
            return Verdict(reason: .interrupted, exitStatus: signal == "SIGINT" ? 130 : 143, failOn: failOn, detail: "interrupted by \(signal)")
        }
        if let historyProblem {
            return Verdict(reason: .historyUnavailable, exitStatus: ExitStatus.configurationError, failOn: failOn, detail: historyProblem)
        }
        let blocking = report.gates.contains { gate in
            gate.severity.isAtOrAbove(failOn) && (gate.status == .failed || gate.status == .errored)
        }
        return Verdict(reason: blocking ? .gatesFailed : .passed, exitStatus: blocking ? ExitStatus.gateFailed : ExitStatus.success,
                       failOn: failOn)
    }

    public var passed: Bool { reason == .passed }

    /// One word for the summary line: PASSED, FAILED or INTERRUPTED.
    public var headline: String {
        switch reason {
        case .passed: "PASSED"
        case .interrupted: "INTERRUPTED"
        case .gatesFailed, .configurationError, .historyUnavailable: "FAILED"
        }
    }

    /// Why, in a sentence, when the gates' outcomes alone do not say it.
    public var explanation: String? {
        switch reason {
        case .passed, .gatesFailed, .configurationError: nil
        case .interrupted: "the run was \(detail ?? "interrupted")"
        case .historyUnavailable: "the run history could not be kept (\(detail ?? "unknown problem")); exit status 2"
        }
    }
}
