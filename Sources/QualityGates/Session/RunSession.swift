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
        /// The HTML report, or `none`.
        public var html = "reports/index.html"
        /// SARIF 2.1.0 for code scanning, when asked for.
        public var sarif: String?
        /// GitLab's Code Quality report, when asked for.
        public var gitlabCodeQuality: String?
        /// A SQLite file, a `postgres://` URL, or `none`.
        public var history = "reports/history.sqlite"
        /// Where verdicts that depend only on their inputs are kept (the GraphQL validator's), or
        /// `none`; by default a `cache` folder beside the history file (beside the reports for a
        /// database history).
        public var cache: String?
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
        // The history opens on a thread of its own while the gate files load.
        let opening = settings.history == "none" ? nil : Background { [self] in openStore() }
        let environment: Environment
        switch GateSources.environment(envFiles: settings.envFiles) {
        case .success(let value): environment = value
        case .failure(let error):
            await closeUnused(opening)
            return finish([error], redactor: Redactor(environment: .process()), started: started)
        }
        let configuration: GateConfiguration
        switch GateSources.load(configs: settings.configs, LoadOptions(environment: environment, target: settings.target,
                                                                       selection: settings.selection)) {
        case .success(let loaded): configuration = loaded
        case .failure(let errors):
            await closeUnused(opening)
            return finish(errors.errors, redactor: Redactor(environment: environment), started: started)
        }
        let redactor = Redactor(environment: environment, secretNames: configuration.secretNames)
        for name in redactor.shortSecretNames {
            Console.error("warning: the secret \(name) is shorter than \(Redactor.comfortableSecretLength) characters; "
                          + "it is masked wherever it appears in the reports, also inside ordinary words")
        }
        var historyProblem: String?
        var store: HistoryStore?
        switch await opening?.value() {
        case .success(let opened): store = opened
        case .failure(let error): historyProblem = redactor.redact("\(error)")
        case nil: break
        }
        var options = RunOptions(target: settings.target, projectRoot: URL(fileURLWithPath: settings.projectRoot),
                                 environment: environment, jobs: settings.jobs, deadline: settings.deadline,
                                 selection: settings.selection, history: store)
        options.cacheFolder = cacheFolder
        let problems = Preflight.problems(configuration, options: options)
        guard problems.isEmpty else {
            openHistory.withLock { $0 = nil }
            store?.close()
            return finish(problems, redactor: redactor, started: Date())
        }
        let progress = isatty(STDERR_FILENO) == 1 ? ConsoleReporter(colors: Console.wantsColor(fileDescriptor: STDERR_FILENO)) : nil
        let report = await runner.run(configuration, options: options, tool: settings.tool) { gate, check in
            if let progress { Console.error(redactor.redact(progress.progress(gate: gate, check))) }
        }.redacted(by: redactor).sanitized()
        let (trend, note) = keep(report, in: store, redactor: redactor, problem: &historyProblem)
        // Closed, not left to the process's end (which runs no deinit: see SQLiteDatabase.close),
        // on a thread of its own while the reports are written.
        openHistory.withLock { $0 = nil }
        let closing = store.map { store in Background { store.close() } }
        let verdict = Verdict.decide(report, failOn: settings.failOn, signal: signal.withLock { $0 }, historyProblem: historyProblem)
        let failure = write(report, verdict: verdict, trend: trend, quiet: false)
        await closing?.value()
        if let failure { return failure }
        if let note { Console.error("note: \(note)") }
        if let historyProblem { Console.error("error: \(historyProblem)") }
        return verdict
    }

    /// The cache folder: `cache` as given (`none`: no cache), else beside the history file, else
    /// beside the JSON report.
    var cacheFolder: String? {
        if let cache = settings.cache { return cache == "none" ? nil : cache }
        let base = settings.history != "none" && !HistoryStore.isDatabaseURL(settings.history) ? settings.history : settings.json
        let folder = URL(fileURLWithPath: base).deletingLastPathComponent().path
        return folder + "/cache"
    }

    /// The history, opened (made when missing), or why it cannot be: the gates still run and the
    /// reports are still written, and the problem (redacted) decides the verdict.
    private func openStore() -> Result<HistoryStore, any Error> {
        do {
            if !HistoryStore.isDatabaseURL(settings.history) { try ReportFiles.makeFolder(for: settings.history) }
            let store = try HistoryStore(location: settings.history)
            openHistory.withLock { $0 = store }
            return .success(store)
        } catch {
            return .failure(error)
        }
    }

    /// A run that cannot start waits for the history it was opening and closes it unused.
    private func closeUnused(_ opening: Background<Result<HistoryStore, any Error>>?) async {
        guard case .success(let store) = await opening?.value() else { return }
        openHistory.withLock { $0 = nil }
        store.close()
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
            if settings.html != "none" {
                try ReportFiles.write(Array(HTMLReporter.render(report, verdict: verdict, trend: trend).utf8), to: settings.html)
            }
            if settings.sarif != nil || settings.gitlabCodeQuality != nil {
                let problems = LocatedProblems.collect(report, paths: repositoryPaths(), gateFile: settings.configs.first ?? "gates.yml")
                if let sarif = settings.sarif { try ReportFiles.write(SARIFReporter.render(report, problems: problems, failOn: settings.failOn), to: sarif) }
                if let gitlab = settings.gitlabCodeQuality { try ReportFiles.write(GitLabCodeQuality.render(problems), to: gitlab) }
            }
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
            console.render(report, verdict: verdict, reportPaths: [settings.junit, settings.json, settings.markdown]
                           + [settings.html == "none" ? nil : settings.html, settings.sarif, settings.gitlabCodeQuality].compactMap { $0 })))
        if Console.variable("GITHUB_ACTIONS") == "true" {
            Console.out(GitHubAnnotations.render(report, failOn: settings.failOn, pathPrefix: annotationPathPrefix()))
        }
        return nil
    }

    /// The project root as GitHub wants file paths: relative to the workspace (or the working
    /// folder), since annotations with absolute paths are not shown on the changed files.
    private func annotationPathPrefix() -> String { repositoryPaths().projectPrefix }

    /// Where the repository is: the CI's workspace (GitHub's, GitLab's), else the working folder.
    private func repositoryPaths() -> RepositoryPaths {
        let working = FileSystem.realPath(".") ?? "."
        let root = [Console.variable("GITHUB_WORKSPACE"), Console.variable("CI_PROJECT_DIR")].compactMap { $0 }
            .filter { !$0.isEmpty }.first.map { FileSystem.realPath($0) ?? $0 } ?? working
        func relative(_ path: String) -> String? {
            let real = FileSystem.realPath(path) ?? path
            if real == root { return "" }
            return real.hasPrefix(root + "/") ? String(real.dropFirst(root.count + 1)) : nil
        }
        let projectRoot = settings.projectRoot
        let projectPrefix = relative(projectRoot.hasPrefix("/") ? projectRoot : working + "/" + projectRoot) ?? projectRoot
        return RepositoryPaths(projectPrefix: projectPrefix, workingPrefix: relative(working) ?? "", root: root)
    }
}
