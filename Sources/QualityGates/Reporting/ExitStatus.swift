/// The process's exit status, decided once, after every report is written.
public enum ExitStatus {
    /// Every gate at or above the threshold passed (or was skipped).
    public static let success: Int32 = 0
    /// A gate at or above the threshold failed or errored.
    public static let gateFailed: Int32 = 1
    /// A configuration or usage error: bad gate file, unknown flag, missing variable.
    public static let configurationError: Int32 = 2

    /// 2 for a configuration error; 1 when a gate at or above `failOn` failed or errored; else 0.
    public static func decide(_ report: RunReport, failOn: Severity) -> Int32 {
        if !report.configurationErrors.isEmpty { return configurationError }
        let blocking = report.gates.contains { gate in
            gate.severity.isAtOrAbove(failOn) && (gate.status == .failed || gate.status == .errored)
        }
        return blocking ? gateFailed : success
    }
}
