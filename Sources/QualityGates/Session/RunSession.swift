import FoundationEssentials
import Glibc
import ProjectFiles
import Synchronization

/// Everything `quality-gates run` does, as a library: loads the gate files, opens the history,
/// runs the gates, appends the run, reads the trend, decides the one verdict and writes every
/// report with it. The command line only parses options and calls `run()`; a signal handler calls
/// `interrupt(by:)`.
public final class RunSession: Sendable {
    public struct Settings: Sendable {
        public var configs: [String] = []
        public var envFiles: [String] = []
        public var target: Target = .build
        public var projectRoot = "."
        public var selection = GateSelection()
        public var failOn: Severity = .p1
        public var junit = "reports/junit.xml"
        public var json = "reports/report.json"
        public var markdown = "reports/summary.md"
        /// A SQLite file, a `postgres://` URL, or `none`.
        public var history = "reports/history.sqlite"
        public var historyRetention = 1000
        public var jobs = 4
        public var deadline: Double = 600
        /// The tool and its version, for the reports.
        public var tool = "quality-gates"

        public init() {}
    }

    private let settings: Settings
    private let runner = Runner()
    private let signal = Mutex<String?>(nil)
    /// The history, once open: a signal during its append ends the wait for another run's lock.
    private let openHistory = Mutex<HistoryStore?>(nil)

    public init(_ settings: Settings) {
        self.settings = settings
    }

    /// SIGINT or SIGTERM: unfinished checks stop (their statements cancelled on the server), a
    /// history append waiting for a lock gives up, and the verdict becomes "interrupted".
    public func interrupt(by name: String) {
        signal.withLock { received in if received == nil { received = name } }
        runner.interrupt("interrupted by \(name)")
        openHistory.withLock { $0?.abandonWaiting() }
    }

    /// Runs the gates and writes every report; the verdict's exit status is the process's.
    public func run() async -> Verdict {
        let started = Date()
        let environment: Environment
        switch GateSources.environment(envFiles: settings.envFiles) {
        case .success(let value): environment = value
        case .failure(let error): return finish([error], redactor: Redactor(environment: .process()), started: started)
        }
        let configuration: GateConfiguration
        switch GateSources.load(configs: settings.configs, LoadOptions(environment: environment, target: settings.target,
                                                                       selection: settings.selection)) {
        case .success(let loaded): configuration = loaded
        case .failure(let errors): return finish(errors.errors, redactor: Redactor(environment: environment), started: started)
        }
        let redactor = Redactor(environment: environment, secretNames: configuration.secretNames)
        for name in redactor.shortSecretNames {
            Console.error("warning: the secret \(name) is shorter than \(Redactor.comfortableSecretLength) characters; "
                          + "it is masked wherever it appears in the reports, also inside ordinary words")
        }
        var historyProblem: String?
        let store = openStore(redactor: redactor, problem: &historyProblem)
        let options = RunOptions(target: settings.target, projectRoot: URL(fileURLWithPath: settings.projectRoot),
                                 environment: environment, jobs: settings.jobs, deadline: settings.deadline,
                                 selection: settings.selection, history: store)
        let problems = Preflight.problems(configuration, options: options)
        guard problems.isEmpty else { return finish(problems, redactor: redactor, started: Date()) }
        let progress = isatty(STDERR_FILENO) == 1 ? ConsoleReporter(colors: Console.wantsColor(fileDescriptor: STDERR_FILENO)) : nil
        let report = await runner.run(configuration, options: options, tool: settings.tool) { gate, check in
            if let progress { Console.error(redactor.redact(progress.progress(gate: gate, check))) }
        }.redacted(by: redactor).sanitized()
        let (trend, note) = keep(report, in: store, redactor: redactor, problem: &historyProblem)
        let verdict = Verdict.decide(report, failOn: settings.failOn, signal: signal.withLock { $0 }, historyProblem: historyProblem)
        if let failure = write(report, verdict: verdict, trend: trend, quiet: false) { return failure }
        if let note { Console.error("note: \(note)") }
        if let historyProblem { Console.error("error: \(historyProblem)") }
        return verdict
    }

    /// The history, opened (made when missing); nil with `problem` set when it cannot be, since
    /// the gates still run and the reports are still written.
    private func openStore(redactor: Redactor, problem: inout String?) -> HistoryStore? {
        guard settings.history != "none" else { return nil }
        do {
            if !HistoryStore.isDatabaseURL(settings.history) { try ReportFiles.makeFolder(for: settings.history) }
            let store = try HistoryStore(location: settings.history)
            openHistory.withLock { $0 = store }
            return store
        } catch {
            problem = redactor.redact("\(error)")
            return nil
        }
    }

    /// Appends the run (before the reports, so the Markdown trend includes it) and reads the
    /// trend. An interrupted run is not appended: it is no run to learn trends from.
    private func keep(_ report: RunReport, in store: HistoryStore?, redactor: Redactor,
                      problem: inout String?) -> (trend: [HistoryStore.CheckHistory]?, note: String?) {
        guard let store else { return (nil, nil) }
        if let received = signal.withLock({ $0 }) {
            return (nil, "the run history was not appended: the run was interrupted by \(received)")
        }
        do {
            try store.append(report, runID: UUID().uuidString.lowercased(), commit: GitCommit.current(projectRoot: settings.projectRoot),
                             retention: settings.historyRetention)
            return (try store.overview(target: settings.target, runs: MarkdownReporter.trendRuns), nil)
        } catch {
            if let received = signal.withLock({ $0 }) {
                return (nil, "the run history was not appended: \(received) came while it waited for another run's lock on \(store.location)")
            }
            problem = redactor.redact(error.message)
            return (nil, nil)
        }
    }

    /// The reports of a run that could not start, and the reasons on stderr.
    private func finish(_ errors: [ConfigError], redactor: Redactor, started: Date) -> Verdict {
        let messages = errors.map { UntrustedText.quoted(redactor.redact($0.description), limit: UntrustedText.messageLimit) }
        messages.forEach { Console.error("error: \($0)") }
        let report = RunReport(tool: settings.tool, target: settings.target, startedAt: started,
                               durationSeconds: Date().timeIntervalSince(started), configurationErrors: messages, gates: [])
        let verdict = Verdict.decide(report, failOn: settings.failOn)
        return write(report, verdict: verdict, trend: nil, quiet: true) ?? verdict
    }

    /// Writes the JUnit, JSON and Markdown reports (and the step summary), then the console and
    /// the annotations; a verdict of its own when the reports cannot be written.
    private func write(_ report: RunReport, verdict: Verdict, trend: [HistoryStore.CheckHistory]?, quiet: Bool) -> Verdict? {
        let markdownText = MarkdownReporter.render(report, verdict: verdict, trend: trend)
        do {
            try ReportFiles.write(JUnitReporter.render(report, verdict: verdict), to: settings.junit)
            try ReportFiles.write(JSONReporter.render(report, verdict: verdict), to: settings.json)
            try ReportFiles.write(Array(markdownText.utf8), to: settings.markdown)
            if let summary = Console.variable("GITHUB_STEP_SUMMARY"), !summary.isEmpty {
                try ReportFiles.append(Array(MarkdownReporter.forStepSummary(markdownText).utf8), to: summary)
            }
        } catch {
            Console.error("error: cannot write the reports: \(error)")
            return Verdict(reason: .configurationError, exitStatus: ExitStatus.configurationError, failOn: settings.failOn,
                           detail: "cannot write the reports: \(error)")
        }
        guard !quiet else { return nil }
        let console = ConsoleReporter(colors: Console.wantsColor(fileDescriptor: STDOUT_FILENO))
        Console.out(UntrustedText.neutralisingWorkflowCommands(
            console.render(report, verdict: verdict, reportPaths: [settings.junit, settings.json, settings.markdown])))
        if Console.variable("GITHUB_ACTIONS") == "true" {
            Console.out(GitHubAnnotations.render(report, failOn: settings.failOn, pathPrefix: annotationPathPrefix()))
        }
        return nil
    }

    /// The project root as GitHub wants file paths: relative to the workspace (or the working
    /// folder), since annotations with absolute paths are not shown on the changed files.
    private func annotationPathPrefix() -> String {
        let projectRoot = settings.projectRoot
        guard projectRoot.hasPrefix("/") else { return projectRoot }
        for base in [Console.variable("GITHUB_WORKSPACE"), FileSystem.realPath(".")].compactMap({ $0 }) {
            let root = FileSystem.realPath(projectRoot) ?? projectRoot
            if root == base { return "" }
            if root.hasPrefix(base + "/") { return String(root.dropFirst(base.count + 1)) }
        }
        return projectRoot
    }
}
