import ArgumentParser
import QualityGates

/// Where `run` writes its reports.
struct ReportPathOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The JUnit XML report.", valueName: "file"))
    var junit = "reports/junit.xml"

    @Option(help: ArgumentHelp("The JSON report.", valueName: "file"))
    var json = "reports/report.json"

    @Option(help: ArgumentHelp("The Markdown summary.", valueName: "file"))
    var markdown = "reports/summary.md"

    @Option(help: ArgumentHelp("The HTML report: one self-contained page with the verdict, the failures and their runbook, and a plot of every measurement's history; or none.", valueName: "file|none"))
    var html = "reports/index.html"

    @Option(help: ArgumentHelp("Also write SARIF 2.1.0 for GitHub code scanning (every problem located; upload it with github/codeql-action/upload-sarif).", valueName: "file"))
    var sarif: String?

    @Option(name: .customLong("gitlab-codequality"),
            help: ArgumentHelp("Also write GitLab's Code Quality report (artifacts:reports:codequality) for the merge-request widget.", valueName: "file"))
    var gitlabCodeQuality: String?
}

/// Where `run` keeps its history, and how much of it.
struct HistoryOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Where runs are kept for the trend gates (error_rate, latency_trend): a SQLite file, a postgres:// URL that many CI runners share (quality-gates writes its three qg_ tables there and nothing else), or none.", valueName: "file|url|none"))
    var history = "reports/history.sqlite"

    @Option(help: ArgumentHelp("How many runs of each target the history keeps.", valueName: "runs"))
    var historyRetention = 1000

    @Option(help: ArgumentHelp("Where verdicts that depend only on their inputs are kept between runs (the GraphQL validator's, keyed by the schema, the documents, the rules and the version), or none; default: a cache folder beside the history file.", valueName: "dir|none"))
    var cache: String?
}

/// Which gates run, and how many checks at once, for how long.
struct SelectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only these gate ids (comma-separated).", valueName: "ids"))
    var only: String?

    @Option(help: ArgumentHelp("Leave out these gate ids (comma-separated).", valueName: "ids"))
    var skip: String?

    @Option(help: "How many checks run at once.")
    var jobs = 4

    @Option(help: ArgumentHelp("Seconds after which unfinished checks become errors and the run ends.", valueName: "seconds"))
    var deadline: Double = 600

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard deadline > 0, deadline.isFinite else { throw ValidationError("--deadline must be a positive number of seconds") }
    }

    var selection: GateSelection {
        GateSelection(only: only.map(RunArguments.ids), skip: skip.map(RunArguments.ids) ?? [])
    }
}
