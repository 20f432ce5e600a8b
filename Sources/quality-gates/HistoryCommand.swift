import ArgumentParser
import FoundationEssentials
import ProjectFiles
import QualityGates

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Recent outcomes of every gate's checks, and a sparkline of each measurement, from the run history."
    )

    @Option(help: ArgumentHelp("The history that `run` keeps: its SQLite file, or its postgres:// URL.", valueName: "file|url"))
    var history = "reports/history.sqlite"

    @Option(help: "The target whose runs are shown.")
    var target: Target = .build

    @Option(help: "How many of the newest runs are shown.")
    var runs = 20

    func run() throws {
        guard HistoryStore.isDatabaseURL(history) || FileSystem.kind(of: history) == .file else {
            Console.error("error: no history at \(history); `quality-gates run` keeps one there unless --history none")
            throw ExitCode(2)
        }
        let checks: [HistoryStore.CheckHistory]
        let location: String
        let schemas: [HistoryStore.RecordedSchema]
        do {
            let store = try HistoryStore(location: history)
            location = store.location
            checks = try store.overview(target: target, runs: runs)
            schemas = try store.schemas(target: target.rawValue, limit: 1000)
        } catch {
            Console.error("error: \(error.message)")
            throw ExitCode(2)
        }
        guard !checks.isEmpty else {
            Console.out("no \(target.rawValue) runs in \(location)\n")
            return
        }
        var lines = ["Last \(runs) \(target.rawValue) runs in \(location), oldest first (✓ passed, ✗ failed, ! errored, - skipped):"]
        var gate = ""
        for check in checks {
            if check.gate != gate {
                gate = check.gate
                lines.append("\n\(gate)")
            }
            lines.append("  \(check.outcomeGlyphs)  \(check.check)")
            for measurement in check.measurements {
                let last = HistoryStore.lastValue(measurement.values)
                lines.append("      \(HistoryStore.sparkline(measurement.values))  \(measurement.name) (last \(last))")
            }
        }
        if let newest = schemas.first {
            lines.append("\nThe \(target.rawValue) GraphQL schema (as introspected): last changed "
                         + "\(Timestamp.iso8601(Date(timeIntervalSince1970: newest.recordedAt))); \(schemas.count) version\(schemas.count == 1 ? "" : "s") recorded")
        }
        Console.out(lines.joined(separator: "\n") + "\n")
    }
}
