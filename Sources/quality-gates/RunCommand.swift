import ArgumentParser
import Dispatch
import FoundationEssentials
import Glibc
import ProjectFiles
import QualityGates
import Synchronization

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the gates and write the reports (the default subcommand).",
        discussion: "Reports are written on every run, also when a gate file is broken or the run is interrupted."
    )

    @OptionGroup var files: GateFileOptions

    @Option(help: "build: repository files only; staging: live services as well.")
    var target: Target = .build

    @Option(help: ArgumentHelp("The checked project's root; relative paths in gate files start here.", valueName: "dir"))
    var projectRoot = "."

    @Option(help: ArgumentHelp("Only these gate ids (comma-separated).", valueName: "ids"))
    var only: String?

    @Option(help: ArgumentHelp("Leave out these gate ids (comma-separated).", valueName: "ids"))
    var skip: String?

    @Option(help: "Exit 1 when a gate at or above this severity fails or errors.")
    var failOn: Severity = .p1

    @Option(help: ArgumentHelp("The JUnit XML report.", valueName: "file"))
    var junit = "reports/junit.xml"

    @Option(help: ArgumentHelp("The JSON report.", valueName: "file"))
    var json = "reports/report.json"

    @Option(help: ArgumentHelp("The Markdown summary.", valueName: "file"))
    var markdown = "reports/summary.md"

    @Option(help: ArgumentHelp("Where runs are kept for the trend gates (error_rate, latency_trend): a SQLite file, a postgres:// URL that many CI runners share (quality-gates writes its three qg_ tables there and nothing else), or none.", valueName: "file|url|none"))
    var history = "reports/history.sqlite"

    @Option(help: ArgumentHelp("How many runs of each target the history keeps.", valueName: "runs"))
    var historyRetention = 1000

    @Option(help: "How many checks run at once.")
    var jobs = 4

    @Option(help: ArgumentHelp("Seconds after which unfinished checks become errors and the run ends.", valueName: "seconds"))
    var deadline: Double = 600

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard deadline > 0, deadline.isFinite else { throw ValidationError("--deadline must be a positive number of seconds") }
        guard FileSystem.kind(of: projectRoot) == .directory else {
            throw ValidationError("--project-root '\(projectRoot)' is not a folder")
        }
    }

    func run() async throws {
        let started = Date()
        let selection = GateSelection(only: only.map(Self.ids), skip: skip.map(Self.ids) ?? [])
        let environment: Environment
        switch files.environment() {
        case .success(let value): environment = value
        case .failure(let error):
            throw ExitCode(try finish(configurationErrors: [error], redactor: Redactor(environment: .process()), started: started))
        }
        let options = LoadOptions(environment: environment, target: target, selection: selection)
        switch files.load(options) {
        case .failure(let errors):
            throw ExitCode(try finish(configurationErrors: errors.errors, redactor: Redactor(environment: environment), started: started))
        case .success(let configuration):
            let redactor = Redactor(environment: environment, secretNames: configuration.secretNames)
            for name in redactor.shortSecretNames {
                Console.error("warning: the secret \(name) is shorter than \(Redactor.comfortableSecretLength) characters; "
                              + "it is masked wherever it appears in the reports, also inside ordinary words")
            }
            throw ExitCode(try await execute(configuration, environment: environment, selection: selection, redactor: redactor))
        }
    }

    private func execute(_ configuration: GateConfiguration, environment: Environment, selection: GateSelection,
                         redactor: Redactor) async throws -> Int32 {
        let runner = Runner()
        // The history is opened below; a signal that comes while its append waits for another
        // process's lock ends the wait at once.
        let historyToAbandon = Mutex<HistoryStore?>(nil)
        let signals = SignalWatcher { name in
            runner.interrupt("interrupted by \(name)")
            historyToAbandon.withLock { $0?.abandonWaiting() }
        }
        defer { signals.stop() }
        let console = ConsoleReporter(colors: Console.wantsColor(fileDescriptor: STDERR_FILENO), failOn: failOn)
        let showProgress = isatty(STDERR_FILENO) == 1
        // A history that cannot be opened is an error, but the gates still run and the reports are written.
        var store: HistoryStore?
        var historyFailed = false
        if history != "none" {
            do {
                if !HistoryStore.isDatabaseURL(history) { try ReportFiles.makeFolder(for: history) }
                store = try HistoryStore(location: history)
                historyToAbandon.withLock { $0 = store }
            } catch {
                Console.error("error: \(redactor.redact("\(error)"))")
                historyFailed = true
            }
        }
        let options = RunOptions(target: target, projectRoot: URL(fileURLWithPath: projectRoot), environment: environment,
                                 jobs: jobs, deadline: deadline, selection: selection, history: store)
        let problems = Preflight.problems(configuration, options: options)
        guard problems.isEmpty else { return try finish(configurationErrors: problems, redactor: redactor, started: Date()) }
        let report = await runner.run(configuration, options: options, tool: "quality-gates \(QualityGatesCommand.version)") { gate, check in
            if showProgress { Console.error(redactor.redact(console.progress(gate: gate, check))) }
        }.redacted(by: redactor).sanitized()
        // Appended before the reports are written, so the Markdown report's trend includes this run;
        // a history that fails is reported after them.
        var trend: [HistoryStore.CheckHistory]?
        var historyError: String?
        var historyNote: String?
        if store != nil, let signal = signals.received {
            // An interrupted run is not a run to learn trends from, and the process should end now.
            historyNote = "the run history was not appended: the run was interrupted by \(signal)"
        } else if let store {
            do {
                try store.append(report, runID: UUID().uuidString.lowercased(), commit: GitCommit.current(projectRoot: projectRoot),
                                 retention: historyRetention)
                trend = try store.overview(target: target, runs: MarkdownReporter.trendRuns)
            } catch {
                if let signal = signals.received {
                    historyNote = "the run history was not appended: \(signal) came while it waited for another run's lock on \(store.location)"
                } else {
                    historyError = redactor.redact(error.message)
                }
            }
        }
        try write(report, trend: trend)
        if let historyNote { Console.error("note: \(historyNote)") }
        if let historyError {
            Console.error("error: \(historyError)")
            historyFailed = true
        }
        if let signal = signals.received { return signal == "SIGINT" ? 130 : 143 }
        return historyFailed ? ExitStatus.configurationError : ExitStatus.decide(report, failOn: failOn)
    }

    /// Writes the reports of a run that could not start and says why; the exit status is 2.
    private func finish(configurationErrors: [ConfigError], redactor: Redactor, started: Date) throws -> Int32 {
        let messages = configurationErrors.map { UntrustedText.quoted(redactor.redact($0.description), limit: UntrustedText.messageLimit) }
        messages.forEach { Console.error("error: \($0)") }
        let report = RunReport(tool: "quality-gates \(QualityGatesCommand.version)", target: target, startedAt: started,
                               durationSeconds: Date().timeIntervalSince(started), configurationErrors: messages, gates: [])
        try? write(report, quiet: true)
        return ExitStatus.configurationError
    }

    private func write(_ report: RunReport, trend: [HistoryStore.CheckHistory]? = nil, quiet: Bool = false) throws {
        let markdownText = MarkdownReporter.render(report, failOn: failOn, trend: trend)
        do {
            try ReportFiles.write(JUnitReporter.render(report), to: junit)
            try ReportFiles.write(JSONReporter.render(report), to: json)
            try ReportFiles.write(Array(markdownText.utf8), to: markdown)
            if let summary = Console.variable("GITHUB_STEP_SUMMARY"), !summary.isEmpty {
                try ReportFiles.append(Array(MarkdownReporter.forStepSummary(markdownText).utf8), to: summary)
            }
        } catch {
            Console.error("error: cannot write the reports: \(error)")
            throw ExitCode(ExitStatus.configurationError)
        }
        guard !quiet else { return }
        let colors = Console.wantsColor(fileDescriptor: STDOUT_FILENO)
        Console.out(UntrustedText.neutralisingWorkflowCommands(
            ConsoleReporter(colors: colors, failOn: failOn).render(report, reportPaths: [junit, json, markdown])))
        if Console.variable("GITHUB_ACTIONS") == "true" {
            Console.out(GitHubAnnotations.render(report, failOn: failOn, pathPrefix: annotationPathPrefix()))
        }
    }

    /// The project root as GitHub wants file paths: relative to the workspace (or the working
    /// folder), since annotations with absolute paths are not shown on the changed files.
    private func annotationPathPrefix() -> String {
        guard projectRoot.hasPrefix("/") else { return projectRoot }
        for base in [Console.variable("GITHUB_WORKSPACE"), FileSystem.realPath(".")].compactMap({ $0 }) {
            let root = FileSystem.realPath(projectRoot) ?? projectRoot
            if root == base { return "" }
            if root.hasPrefix(base + "/") { return String(root.dropFirst(base.count + 1)) }
        }
        return projectRoot
    }

    static func ids(_ text: String) -> Set<String> {
        Set(text.split(separator: ",").map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }.filter { !$0.isEmpty })
    }
}
