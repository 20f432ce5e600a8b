/// A check kind's description of itself, after SwiftLint's `RuleDescription`.
public struct CheckDescription: Sendable {
    /// The kind, snake_case, as written after `kind:` in a gate file.
    public let kind: String
    /// One sentence: what the kind checks.
    public let summary: String
    /// The kind's own parameters (the keys every check shares are documented once, elsewhere).
    public let parameters: [ParameterDoc]
    /// The targets a check of this kind runs on unless `targets` says otherwise.
    public let defaultTargets: Set<Target>
    /// Passing, failing and invalid examples; each runs as a test.
    public let examples: [CheckExample]
    /// The parameters that set a threshold (`latency`, `conditions`, `max_utilisation`): a gate
    /// file may give stricter values of them under `warn:`, crossing which is a warning.
    public let thresholds: [String]
    /// True for kinds that judge the run itself (error rates, trends): they start after every
    /// other check has finished, and see this run's results beside the history's.
    public let judgesTheRun: Bool
    /// True for kinds that use what the checks they `need` hand on (a sign-in's token, exposed
    /// values): they start only when the checks whose values reach them (`Check.exposes`) have
    /// passed, or passed with their result held for their own needs. Any other need is waited
    /// for beside the check: it starts with them, and its result counts only if they pass
    /// (skipped otherwise), so a chain of needs costs its slowest link, not the sum.
    public let readsHandoff: Bool

    /// A description.
    public init(kind: String, summary: String, parameters: [ParameterDoc], defaultTargets: Set<Target>,
                thresholds: [String] = [], judgesTheRun: Bool = false, readsHandoff: Bool = false,
                examples: [CheckExample]) {
        self.kind = kind
        self.summary = summary
        self.parameters = parameters
        self.defaultTargets = defaultTargets
        self.thresholds = thresholds
        self.judgesTheRun = judgesTheRun
        self.readsHandoff = readsHandoff
        self.examples = examples
    }
}

/// One parameter of a check kind.
public struct ParameterDoc: Sendable {
    /// The key in the gate file.
    public let name: String
    /// The value's type, for people (`string`, `list of strings`, `regex`).
    public let type: String
    /// Whether the key must be present.
    public let required: Bool
    /// What it means.
    public let summary: String

    /// A parameter.
    public init(_ name: String, _ type: String, required: Bool = false, _ summary: String) {
        self.name = name
        self.type = type
        self.required = required
        self.summary = summary
    }
}

/// A self-describing example: a check's YAML, the world it runs in, and what must happen.
public struct CheckExample: Sendable {
    /// What must happen.
    public enum Expectation: Sendable, Equatable {
        /// The check passes.
        case passes
        /// The check fails, and its message contains the text.
        case fails(String)
        /// The check errors, and its message contains the text.
        case errors(String)
        /// The check is skipped, and its message contains the text.
        case skips(String)
        /// The check warns (a warn-tier expectation was false), and its message contains the text.
        case warns(String)
        /// The gate file is refused at load time, and the error contains the text.
        case invalid(String)
    }

    /// The check as written in a gate file (its `kind` line and parameters; `name` is added).
    public let yaml: String
    /// Files of the project the check runs in, path to content.
    public let files: [String: String]
    /// The environment the check runs in.
    public let environment: [String: String]
    /// What must happen.
    public let expectation: Expectation
    /// True when the example reads `DATABASE_URL`: the tests run it against their PostgreSQL
    /// (the healthy NestSync schema, as the application role).
    public let needsDatabase: Bool
    /// True when the example reads `SERVER_URL`: the tests run it against their misbehaving HTTP
    /// server (paths /ok, /500, /hang, /drip, /endless, /gzip-bomb, /redirect-loop, /echo).
    public let needsHTTPServer: Bool
    /// Earlier runs the example's history holds, oldest first, one run each:
    /// `gate/check outcome [measurement=value …]`.
    public let history: [String]
    /// Where the example is written, so a failing example points at itself.
    public let sourceFile: String
    /// The line of the example in `sourceFile`.
    public let sourceLine: Int

    /// An example; the caller's file and line are remembered.
    public init(_ yaml: String, files: [String: String] = [:], environment: [String: String] = [:],
                needsDatabase: Bool = false, needsHTTPServer: Bool = false, history: [String] = [], _ expectation: Expectation,
                file: StaticString = #fileID, line: UInt = #line) {
        self.yaml = yaml
        self.files = files
        self.environment = environment
        self.needsDatabase = needsDatabase
        self.needsHTTPServer = needsHTTPServer
        self.history = history
        self.expectation = expectation
        self.sourceFile = "\(file)"
        self.sourceLine = Int(line)
    }
}
