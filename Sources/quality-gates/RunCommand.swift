import ArgumentParser
import Glibc
import ProjectFiles
import QualityGates

/// `quality-gates run`: option parsing and one call to the library's `RunSession`.
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

    @Option(help: "Exit 1 when a gate at or above this severity fails or errors.")
    var failOn: Severity = .p1

    @OptionGroup var gates: SelectionOptions
    @OptionGroup var reports: ReportPathOptions
    @OptionGroup var history: HistoryOptions

    func validate() throws {
        guard FileSystem.kind(of: projectRoot) == .directory else {
            throw ValidationError("--project-root '\(projectRoot)' is not a folder")
        }
    }

    func run() async throws {
        var settings = RunSession.Settings()
        (settings.configs, settings.envFiles) = (files.configs, files.envFiles)
        (settings.target, settings.projectRoot, settings.failOn) = (target, projectRoot, failOn)
        (settings.selection, settings.jobs, settings.deadline) = (gates.selection, gates.jobs, gates.deadline)
        (settings.junit, settings.json, settings.markdown) = (reports.junit, reports.json, reports.markdown)
        (settings.sarif, settings.gitlabCodeQuality, settings.html) = (reports.sarif, reports.gitlabCodeQuality, reports.html)
        (settings.history, settings.historyRetention, settings.cache) = (history.history, history.historyRetention, history.cache)
        settings.tool = "quality-gates \(QualityGatesCommand.version)"
        await Self.runThenExit(settings)
    }

    /// Runs a session with the signal handlers in place and exits with its status, on the thread
    /// the run ends on: returning to `main` first would resume it on the main actor, for which
    /// Dispatch starts a thread of its own at the very end.
    nonisolated static func runThenExit(_ settings: RunSession.Settings) async -> Never {
        let session = RunSession(settings)
        // Not stopped: the process ends with it.
        let signals = SignalWatcher { session.interrupt(by: $0) }
        let status = await session.run().exitStatus
        // _exit, not exit: a check started beside a need that then failed may still be inside
        // libpq or libcurl on its own thread when the verdict is known (its result no longer
        // counts), and exit's handlers (OpenSSL's cleanup) freed what that thread was using: a
        // staging run with a wrong database password crashed in one run of four. Everything the
        // run writes is written and closed by now; stdio is flushed for anything else.
        fflush(nil)
        withExtendedLifetime(signals) { Glibc._exit(status) }
    }
}
