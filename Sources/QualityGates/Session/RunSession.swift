import FoundationEssentials
import Glibc
import HTTPClient
import Postgres
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
        // A staging run makes requests and connects to databases: their libraries load on a thread
        // of their own while the gate files load, not when the first check needs them.
        if settings.target == .staging {
            DetachedThread.start {
                HTTPClient.loadLibrary()
                PostgresConnection.loadLibrary()
            }
        }
        // The history opens on a thread of its own while the gate files load.
        let opening = settings.history == "none" ? nil : Background { [self] in openStore() }
        let environment: Environment
        switch GateSources.environment(envFiles: settings.envFiles) {
        case .success(let value): environment = value
        case .failure(let error):
            await closeUnused(opening)
            return await finish([error], redactor: Redactor(environment: .process()), started: started)
        }
        let configuration: GateConfiguration
        switch GateSources.load(configs: settings.configs, LoadOptions(environment: environment, target: settings.target,
                                                                       selection: settings.selection)) {
        case .success(let loaded): configuration = loaded
        case .failure(let errors):
            await closeUnused(opening)
            return await finish(errors.errors, redactor: Redactor(environment: environment), started: started)
        }
        let redactor = Redactor(environment: environment, secretNames: configuration.secretNames)
        for name in redactor.shortSecretNames {
            Console.error("warning: the secret \(name) is shorter than \(Redactor.comfortableSecretLength) characters; "
                          + "it is masked wherever it appears in the reports, also inside ordinary words")
        }
        var historyProblem: String?
        var opened: OpenedHistory?
        switch await opening?.value() {
        case .success(let history): opened = history
        case .failure(let error): historyProblem = redactor.redact("\(error)")
        case nil: break
        }
        let store = opened?.store
        var options = RunOptions(target: settings.target, projectRoot: URL(fileURLWithPath: settings.projectRoot),
                                 environment: environment, jobs: settings.jobs, deadline: settings.deadline,
                                 selection: settings.selection, history: store)
        options.cacheFolder = cacheFolder
        let cleanup = RunCleanup()
        options.cleanup = cleanup
        let problems = Preflight.problems(configuration, options: options)
        guard problems.isEmpty else {
            await close(opened)
            return await finish(problems, redactor: redactor, started: Date())
        }
        let progress = isatty(STDERR_FILENO) == 1 ? ConsoleReporter(colors: Console.wantsColor(fileDescriptor: STDERR_FILENO)) : nil
        let report = await runner.run(configuration, options: options, tool: settings.tool) { gate, check in
            if let progress { Console.error(redactor.redact(progress.progress(gate: gate, check))) }
        }.redacted(by: redactor).sanitized()
        // The sign-in sessions whose tokens checks were handed end now, beside the reports.
        // A run stopped early (a signal, --deadline) gives them a second, not five.
        let cleaningUp = Task { [stopped = report.stoppedEarly != nil] in await cleanup.perform(limit: stopped ? 1 : 5) }
        var trend: [HistoryStore.CheckHistory]?
        switch await opened?.earlier.value() {
        case .success(let runs): trend = HistoryStore.overview(runs, adding: report)
        case .failure(let error):
            // A read a signal interrupted is no problem of the history's: the run was interrupted.
            if signal.withLock({ $0 }) == nil { historyProblem = redactor.redact(error.message) }
        case nil: break
        }
        // The run is appended on a thread of its own while the reports are rendered as if the
        // append succeeds; they are rendered again in the rare case it does not.
        let appending = store.map { store in Background { [self] in keep(report, in: store, redactor: redactor) } }
        let assumed = Circumstances(trend: trend, historyProblem: historyProblem, signal: signal.withLock { $0 })
        var rendered = await render(report, assumed)
        let kept = await appending?.value()
        // Closed, not left to the process's end (which runs no deinit: see SQLiteDatabase.close),
        // on a thread of its own while the reports are written.
        openHistory.withLock { $0 = nil }
        let closing = store.map { store in Background { store.close() } }
        let known = Circumstances(trend: kept?.appended == false ? nil : trend, historyProblem: historyProblem ?? kept?.problem,
                                  signal: signal.withLock { $0 })
        if known != assumed { rendered = await render(report, known) }
        let failure = write(rendered, report: report, quiet: false)
        await closing?.value()
        for problem in await cleaningUp.value { Console.error("note: \(redactor.redact(problem)); it stays until it expires") }
        if let failure { return failure }
        if let note = kept?.note { Console.error("note: \(note)") }
        if let problem = known.historyProblem { Console.error("error: \(problem)") }
        return rendered.verdict
    }

    /// What the verdict and the trend depend on besides the report: whether the history took the
    /// run, and whether a signal came. An interrupted run shows no trend (it is not appended).
    private struct Circumstances: Equatable {
        var trend: [HistoryStore.CheckHistory]?
        var historyProblem: String?
        var signal: String?

        init(trend: [HistoryStore.CheckHistory]?, historyProblem: String?, signal: String?) {
            self.trend = signal == nil ? trend : nil
            self.historyProblem = historyProblem
            self.signal = signal
        }

        static func == (a: Self, b: Self) -> Bool {
            (a.trend == nil) == (b.trend == nil) && a.historyProblem == b.historyProblem && a.signal == b.signal
        }
    }

    private func render(_ report: RunReport, _ circumstances: Circumstances) async -> RenderedReports {
        let verdict = Verdict.decide(report, failOn: settings.failOn, signal: circumstances.signal, historyProblem: circumstances.historyProblem)
        return await render(report, verdict: verdict, trend: circumstances.trend)
    }

    /// How many earlier runs the trend reads: one less than it shows, and no more than the
    /// history keeps (the run's own append deletes the oldest past the retention).
    private var trendRunsBefore: Int {
        let shown = settings.historyRetention > 0 ? min(MarkdownReporter.trendRuns, settings.historyRetention) : MarkdownReporter.trendRuns
        return shown - 1
    }

    /// The cache folder: `cache` as given (`none`: no cache), else beside the history file, else
    /// beside the JSON report.
    var cacheFolder: String? {
        if let cache = settings.cache { return cache == "none" ? nil : cache }
        let base = settings.history != "none" && !HistoryStore.isDatabaseURL(settings.history) ? settings.history : settings.json
        let folder = URL(fileURLWithPath: base).deletingLastPathComponent().path
        return folder + "/cache"
    }

    /// The history once open, and the trend's earlier runs being read on a thread of their own:
    /// the run itself is added to them in memory, so the read needs no append first and goes on
    /// while the gate files load and the checks run.
    private struct OpenedHistory: Sendable {
        let store: HistoryStore
        let earlier: Background<Result<[HistoryStore.CheckHistory], HistoryStore.Problem>>
    }

    /// The history, opened (made when missing), or why it cannot be: the gates still run and the
    /// reports are still written, and the problem (redacted) decides the verdict.
    private func openStore() -> Result<OpenedHistory, any Error> {
        do {
            if !HistoryStore.isDatabaseURL(settings.history) { try ReportFiles.makeFolder(for: settings.history) }
            let store = try HistoryStore(location: settings.history)
            openHistory.withLock { $0 = store }
            let (target, runs) = (settings.target, trendRunsBefore)
            let earlier = Background {
                let read = Result { () throws(HistoryStore.Problem) in try store.overview(target: target, runs: runs) }
                // The gate files and the checks take milliseconds more: the append's first sync
                // is made meanwhile.
                store.prepareAppend()
                return read
            }
            return .success(OpenedHistory(store: store, earlier: earlier))
        } catch {
            return .failure(error)
        }
    }

    /// A run that cannot start waits for the history it was opening and closes it unused.
    private func closeUnused(_ opening: Background<Result<OpenedHistory, any Error>>?) async {
        guard case .success(let opened) = await opening?.value() else { return }
        await close(opened)
    }

    /// Closes a history no run was appended to, once its trend's read is over.
    private func close(_ opened: OpenedHistory?) async {
        guard let opened else { return }
        _ = await opened.earlier.value()
        openHistory.withLock { $0 = nil }
        opened.store.close()
    }

    /// Appends the run, or says why not: an interrupted run is not appended (it is no run to
    /// learn trends from), and a run the history refuses gives the problem (redacted).
    private func keep(_ report: RunReport, in store: HistoryStore, redactor: Redactor) -> (appended: Bool, problem: String?, note: String?) {
        if let received = signal.withLock({ $0 }) {
            return (false, nil, "the run history was not appended: the run was interrupted by \(received)")
        }
        do {
            try store.append(report, runID: UUID().uuidString.lowercased(), commit: GitCommit.current(projectRoot: settings.projectRoot),
                             retention: settings.historyRetention)
            return (true, nil, nil)
        } catch {
            if let received = signal.withLock({ $0 }) {
                return (false, nil, "the run history was not appended: \(received) came while it waited for another run's lock on \(store.location)")
            }
            return (false, redactor.redact(error.message), nil)
        }
    }

    /// The reports of a run that could not start, and the reasons on stderr.
    private func finish(_ errors: [ConfigError], redactor: Redactor, started: Date) async -> Verdict {
        let messages = errors.map { UntrustedText.quoted(redactor.redact($0.description), limit: UntrustedText.messageLimit) }
        messages.forEach { Console.error("error: \($0)") }
        let report = RunReport(tool: settings.tool, target: settings.target, startedAt: started,
                               durationSeconds: Date().timeIntervalSince(started), configurationErrors: messages, gates: [])
        let verdict = Verdict.decide(report, failOn: settings.failOn)
        let rendered = await render(report, verdict: verdict, trend: nil)
        return write(rendered, report: report, quiet: true) ?? verdict
    }

    /// The reports' bytes, rendered in memory so that they can be rendered while the run is
    /// appended to the history, and again if the append changes the verdict.
    struct RenderedReports {
        var verdict: Verdict
        var files: [(path: String, bytes: [UInt8])] = []
        var stepSummary: [UInt8]?
        /// Why a report could not be rendered (libxml2 refused the JUnit document).
        var failure: String?
    }

    /// Renders the JUnit, JSON, Markdown and HTML reports (SARIF and GitLab's when asked for,
    /// and the step summary) with the run's verdict. The HTML report is rendered on a thread of
    /// its own beside the others. The JUnit report is not: libxml2 takes the first thread that
    /// calls it for its main thread and keeps per-thread state for the others, and a thread that
    /// ends after one report buys too little to be worth that.
    private func render(_ report: RunReport, verdict: Verdict, trend: [HistoryStore.CheckHistory]?) async -> RenderedReports {
        let html = settings.html == "none" ? nil : Background { Array(HTMLReporter.render(report, verdict: verdict, trend: trend).utf8) }
        var rendered = RenderedReports(verdict: verdict)
        let markdownText = MarkdownReporter.render(report, verdict: verdict, trend: trend)
        let json = JSONReporter.render(report, verdict: verdict)
        var located: [(path: String, bytes: [UInt8])] = []
        if settings.sarif != nil || settings.gitlabCodeQuality != nil {
            let problems = LocatedProblems.collect(report, paths: repositoryPaths(), gateFile: settings.configs.first ?? "gates.yml")
            if let sarif = settings.sarif { located.append((sarif, SARIFReporter.render(report, problems: problems, failOn: settings.failOn))) }
            if let gitlab = settings.gitlabCodeQuality { located.append((gitlab, GitLabCodeQuality.render(problems))) }
        }
        if let summary = Console.variable("GITHUB_STEP_SUMMARY"), !summary.isEmpty {
            rendered.stepSummary = Array(MarkdownReporter.forStepSummary(markdownText).utf8)
        }
        do {
            rendered.files.append((settings.junit, try JUnitReporter.render(report, verdict: verdict)))
        } catch {
            rendered.failure = "\(error)"
        }
        rendered.files += [(settings.json, json), (settings.markdown, Array(markdownText.utf8))]
        if let html { rendered.files.append((settings.html, await html.value())) }
        rendered.files += located
        return rendered
    }

    /// Writes the rendered reports (and appends the step summary), then the console and the
    /// annotations; a verdict of its own when the reports cannot be written.
    private func write(_ rendered: RenderedReports, report: RunReport, quiet: Bool) -> Verdict? {
        let verdict = rendered.verdict
        do {
            if let failure = rendered.failure { throw ReportFiles.WriteError(path: settings.junit, reason: failure) }
            for file in rendered.files { try ReportFiles.write(file.bytes, to: file.path) }
            if let summary = Console.variable("GITHUB_STEP_SUMMARY"), !summary.isEmpty, let bytes = rendered.stepSummary {
                try ReportFiles.append(bytes, to: summary)
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
