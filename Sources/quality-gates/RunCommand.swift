import ArgumentParser
import FoundationEssentials
import ProjectFiles
import QualityGates

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
        var settings = RunSession.Settings()
        (settings.configs, settings.envFiles) = (files.configs, files.envFiles)
        (settings.target, settings.projectRoot, settings.failOn) = (target, projectRoot, failOn)
        settings.selection = GateSelection(only: only.map(Self.ids), skip: skip.map(Self.ids) ?? [])
        (settings.junit, settings.json, settings.markdown) = (junit, json, markdown)
        (settings.history, settings.historyRetention) = (history, historyRetention)
        (settings.jobs, settings.deadline) = (jobs, deadline)
        settings.tool = "quality-gates \(QualityGatesCommand.version)"
        let session = RunSession(settings)
        let signals = SignalWatcher { session.interrupt(by: $0) }
        defer { signals.stop() }
        throw ExitCode(await session.run().exitStatus)
    }

    static func ids(_ text: String) -> Set<String> {
        Set(text.split(separator: ",").map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }.filter { !$0.isEmpty })
    }
}
