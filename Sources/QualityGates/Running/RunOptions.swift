import FoundationEssentials

/// How a run executes its checks.
public struct RunOptions: Sendable {
    /// The target.
    public var target: Target
    /// The project's root folder.
    public var projectRoot: URL
    /// The variables checks read.
    public var environment: Environment
    /// How many checks run at once.
    public var jobs: Int
    /// Seconds after which unfinished checks become errors and the run ends; nil for none.
    public var deadline: Double?
    /// The gates in the run.
    public var selection: GateSelection
    /// Seconds before the first retry of an errored attempt; doubled for each further one.
    public var retryBackoff: Double
    /// Earlier runs, for the trend checks.
    public var history: HistoryStore?
    /// Where verdicts that only depend on their inputs are kept between runs (the GraphQL
    /// validator's); nil for none.
    public var cacheFolder: String?
    /// Where checks leave requests for the end of the run (see RunCleanup); nil for none, and
    /// then nothing is handed on that would need one.
    public var cleanup: RunCleanup?

    /// Options with the defaults of `quality-gates run`.
    public init(target: Target, projectRoot: URL, environment: Environment, jobs: Int = 4, deadline: Double? = nil,
                selection: GateSelection = GateSelection(), retryBackoff: Double = 0.5, history: HistoryStore? = nil) {
        self.history = history
        self.target = target
        self.projectRoot = projectRoot
        self.environment = environment
        self.jobs = max(1, jobs)
        self.deadline = deadline
        self.selection = selection
        self.retryBackoff = retryBackoff
    }
}
