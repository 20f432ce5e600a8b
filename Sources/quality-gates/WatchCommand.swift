import ArgumentParser
import Glibc
import QualityGates

/// `quality-gates watch`: the gates on cadences, failures turned into incidents and alerts.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Run the gates on cadences (P0 every minute, P1 every 3, P2 every 10, P3 every 15), append each run to the history, and alert through the gate files' alerts: section when a gate starts failing and when it passes again.",
        discussion: """
            Alerts go through an outbox in the history: retried with backoff (alerts.retries, alerts.backoff), held by each channel's rate_limit, \
            and reported as undeliverable in the log and in /health when the retries run out. Watchers sharing one history (a postgres:// URL) \
            share the work: each gate's run and each alert is taken by one of them, and a watcher that dies leaves its gates to the others \
            within one cadence (15 s at most). Stops on SIGINT or SIGTERM, the run in flight interrupted with its reports written. --once runs every gate once \
            (for cron and tests), sends the alerts that are due, and exits with that run's status.
            """
    )

    @OptionGroup var files: GateFileOptions

    @Option(help: "The target the gates run against.")
    var target: Target = .staging

    @Option(help: ArgumentHelp("The project the build checks read.", valueName: "dir"))
    var projectRoot = "."

    @Option(help: ArgumentHelp("The run history (SQLite file or postgres:// URL): runs, open incidents, the alert outbox and the schedule, so a restarted watcher does not alert twice and watchers sharing it share the work; or none (kept in memory).", valueName: "file|url|none"))
    var history = "reports/history.sqlite"

    @Option(help: ArgumentHelp("Where each run's reports go.", valueName: "dir"))
    var reports = "reports"

    @OptionGroup var selection: SelectionOptions

    @Flag(help: "Run every gate once and exit with that run's status.")
    var once = false

    @Option(help: ArgumentHelp("Run every gate at this cadence, whatever its every: and severity say (30s, 5m).", valueName: "duration"))
    var every: String?

    @Option(help: ArgumentHelp("Serve /metrics (Prometheus text format) and /health (JSON, docs/health.schema.json) on this address; port 0 picks a free one, printed at start.", valueName: "host:port"))
    var listen: String?

    func run() async throws {
        var settings = Watcher.Settings()
        settings.once = once
        settings.listen = listen
        if let every {
            guard let seconds = Watcher.duration(every), seconds >= 1 else {
                throw ValidationError("--every \(every): a duration of at least 1 s, such as 30s or 5m")
            }
            settings.every = seconds
        }
        settings.run.configs = files.configs
        settings.run.envFiles = files.envFiles
        settings.run.target = target
        settings.run.projectRoot = projectRoot
        settings.run.history = history
        settings.run.junit = reports + "/junit.xml"
        settings.run.json = reports + "/report.json"
        settings.run.markdown = reports + "/summary.md"
        settings.run.html = reports + "/index.html"
        settings.run.selection = selection.selection
        settings.run.jobs = selection.jobs
        settings.run.deadline = selection.deadline
        settings.run.tool = "quality-gates \(QualityGatesCommand.version)"
        let watcher = Watcher(settings)
        let signals = SignalWatcher { watcher.stop(by: $0) }
        let status = await watcher.run()
        signals.stop()
        // _exit, as `run` ends (RunCommand.runThenExit): a check started beside a need that
        // then failed may still be inside libpq on its own thread, and exit's handlers would free
        // OpenSSL under it (`watch --once` with a wrong database password crashed in 6 of 60 runs).
        // The watcher has written, sent and closed everything by now.
        fflush(nil)
        Glibc._exit(status)
    }
}
