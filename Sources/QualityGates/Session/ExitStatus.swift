/// The process's exit statuses; `Verdict` decides which one a run ends with.
public enum ExitStatus {
    /// Every gate at or above the threshold passed (or was skipped).
    public static let success: Int32 = 0
    /// A gate at or above the threshold failed or errored.
    public static let gateFailed: Int32 = 1
    /// A configuration or usage error (bad gate file, unknown flag, missing variable), or a run
    /// history that could not be kept.
    public static let configurationError: Int32 = 2
}
