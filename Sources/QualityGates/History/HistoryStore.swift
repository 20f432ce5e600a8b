import FoundationEssentials
import SQLite

/// The run history: every run appended (run id, start, target, commit; each check's outcome,
/// duration and measurements), read by the trend checks and `quality-gates history`. A SQLite
/// file, in WAL mode so that concurrent CI runs append without losing a row. The history is the
/// only thing quality-gates ever writes outside its reports.
public final class HistoryStore: Sendable {
    public let path: String
    private let database: SQLiteDatabase

    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    static let schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS qg_runs (
          id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL UNIQUE, started_at REAL NOT NULL,
          target TEXT NOT NULL, git_commit TEXT);
        CREATE TABLE IF NOT EXISTS qg_results (
          run INTEGER NOT NULL REFERENCES qg_runs(id) ON DELETE CASCADE, gate TEXT NOT NULL, check_name TEXT NOT NULL,
          outcome TEXT NOT NULL, duration REAL NOT NULL);
        CREATE TABLE IF NOT EXISTS qg_measurements (
          run INTEGER NOT NULL REFERENCES qg_runs(id) ON DELETE CASCADE, gate TEXT NOT NULL, check_name TEXT NOT NULL,
          name TEXT NOT NULL, value REAL NOT NULL);
        CREATE INDEX IF NOT EXISTS qg_results_gate ON qg_results(gate, run);
        CREATE INDEX IF NOT EXISTS qg_measurements_check ON qg_measurements(gate, check_name, name, run);
        """

    /// Opens the history at `path`, creating it (and its folder's file) when missing.
    public init(path: String) throws(Problem) {
        self.path = path
        do throws(SQLiteDatabase.Failure) {
            database = try SQLiteDatabase(path: path)
            try database.execute(Self.schema)
        } catch {
            throw Problem(message: Self.explain(error, path: path))
        }
    }

    static func explain(_ error: SQLiteDatabase.Failure, path: String) -> String {
        switch error.code {
        case 5, 6: "the history \(path) is locked by another process (\(error.message)); try again, or use --history none"
        case 11, 26: "the history \(path) is not a usable SQLite database (\(error.message)); move it away to start a new one, or use --history none"
        default: "the history \(path): \(error.message)"
        }
    }

    /// Appends a run in one transaction; keeps the newest `retention` runs of its target.
    public func append(_ report: RunReport, runID: String, commit: String?, retention: Int) throws(Problem) {
        do throws(SQLiteDatabase.Failure) {
            try database.execute("BEGIN IMMEDIATE")
            do throws(SQLiteDatabase.Failure) {
                try database.query("INSERT INTO qg_runs (run_id, started_at, target, git_commit) VALUES (?, ?, ?, ?)",
                                   [.text(runID), .real(report.startedAt.timeIntervalSince1970), .text(report.target.rawValue),
                                    commit.map { .text($0) } ?? .null])
                let run = SQLiteDatabase.Value.integer(database.lastInsertRowID)
                for gate in report.gates {
                    for check in gate.checks {
                        try database.query("INSERT INTO qg_results VALUES (?, ?, ?, ?, ?)",
                                           [run, .text(gate.id), .text(check.name), .text(check.outcome.rawValue), .real(check.durationSeconds)])
                        for measurement in check.measurements {
                            try database.query("INSERT INTO qg_measurements VALUES (?, ?, ?, ?, ?)",
                                               [run, .text(gate.id), .text(check.name), .text(measurement.name), .real(measurement.value)])
                        }
                    }
                }
                if retention > 0 {
                    let cutoff = "(SELECT id FROM qg_runs WHERE target = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)"
                    for table in ["qg_results", "qg_measurements"] {
                        try database.query("DELETE FROM \(table) WHERE run IN (SELECT id FROM qg_runs WHERE target = ?1 AND id <= \(cutoff))",
                                           [.text(report.target.rawValue), .integer(Int64(retention))])
                    }
                    try database.query("DELETE FROM qg_runs WHERE target = ?1 AND id <= \(cutoff)", [.text(report.target.rawValue), .integer(Int64(retention))])
                }
                try database.execute("COMMIT")
            } catch {
                try? database.execute("ROLLBACK")
                throw error
            }
        } catch {
            throw Problem(message: Self.explain(error, path: path))
        }
    }

    /// One check execution of an earlier run.
    public struct Execution: Sendable, Equatable {
        public var run: Int64
        public var gate: String
        public var check: String
        public var outcome: Outcome
    }

    /// The outcomes of the newest `runs` runs of `target`, oldest first; only `gate`'s when given.
    public func executions(target: Target, runs: Int, gate: String?) throws(Problem) -> [Execution] {
        var found: [Execution] = []
        do throws(SQLiteDatabase.Failure) {
            var sql = "SELECT r.run, r.gate, r.check_name, r.outcome FROM qg_results r WHERE r.run IN (SELECT id FROM qg_runs WHERE target = ? ORDER BY id DESC LIMIT ?)"
            var parameters: [SQLiteDatabase.Value] = [.text(target.rawValue), .integer(Int64(runs))]
            if let gate { sql += " AND r.gate = ?"; parameters.append(.text(gate)) }
            try database.each(sql + " ORDER BY r.run", parameters) { row in
                guard let run = row[0].integer, let gate = row[1].text, let check = row[2].text,
                      let outcome = row[3].text.flatMap(Outcome.init(rawValue:)) else { return }
                found.append(Execution(run: run, gate: gate, check: check, outcome: outcome))
            }
        } catch {
            throw Problem(message: Self.explain(error, path: path))
        }
        return found
    }

    /// How many runs of `target` the history holds.
    public func runCount(target: Target) throws(Problem) -> Int {
        do throws(SQLiteDatabase.Failure) {
            return Int(try database.query("SELECT count(*) FROM qg_runs WHERE target = ?", [.text(target.rawValue)]).first?.first?.integer ?? 0)
        } catch {
            throw Problem(message: Self.explain(error, path: path))
        }
    }

    /// A measurement series: (check, measurement) → values of the newest `runs` runs, oldest first.
    public func series(target: Target, runs: Int, gate: String, check: String?) throws(Problem) -> [SeriesKey: [Double]] {
        var series: [SeriesKey: [Double]] = [:]
        do throws(SQLiteDatabase.Failure) {
            var sql = "SELECT m.check_name, m.name, m.value FROM qg_measurements m WHERE m.gate = ? AND m.run IN (SELECT id FROM qg_runs WHERE target = ? ORDER BY id DESC LIMIT ?)"
            var parameters: [SQLiteDatabase.Value] = [.text(gate), .text(target.rawValue), .integer(Int64(runs))]
            if let check { sql += " AND m.check_name = ?"; parameters.append(.text(check)) }
            try database.each(sql + " ORDER BY m.run", parameters) { row in
                guard let check = row[0].text, let name = row[1].text, let value = row[2].real else { return }
                series[SeriesKey(check: check, measurement: name), default: []].append(value)
            }
        } catch {
            throw Problem(message: Self.explain(error, path: path))
        }
        return series
    }

    public struct SeriesKey: Hashable, Sendable, Comparable {
        public var check: String
        public var measurement: String
        public static func < (a: SeriesKey, b: SeriesKey) -> Bool { (a.check, a.measurement) < (b.check, b.measurement) }
    }
}

extension HistoryStore {
    /// Appends a run written as in a check example's history: `gate/check outcome [name=value …]`.
    public func appendExampleRun(_ line: String, target: Target = .build, index: Int) throws(Problem) {
        let words = line.split(separator: " ").map(String.init)
        guard words.count >= 2, let slash = words[0].firstIndex(of: "/"), let outcome = Outcome(rawValue: words[1]) else {
            throw Problem(message: "'\(line)' is not `gate/check outcome [name=value …]`")
        }
        let gate = String(words[0][..<slash])
        let measurements = words.dropFirst(2).compactMap { word -> Measurement? in
            let parts = word.split(separator: "=")
            guard parts.count == 2, let value = Double(parts[1]) else { return nil }
            return Measurement(name: String(parts[0]), value: value, unit: "ms")
        }
        let check = CheckReport(name: String(words[0][words[0].index(after: slash)...]), kind: "example", outcome: outcome,
                                message: "", measurements: measurements)
        let report = RunReport(tool: "example", target: target, startedAt: Date(timeIntervalSince1970: Double(index) * 60),
                               durationSeconds: 0, gates: [GateReport(id: gate, title: gate, severity: .p2, responseTime: "",
                                                                      escalation: "", runbook: [], checks: [check])])
        try append(report, runID: "example-\(index)", commit: nil, retention: 0)
    }
}

extension HistoryStore {
    /// Every gate's checks over the newest `runs` runs: outcomes and measurement series, oldest first.
    public struct CheckHistory: Sendable {
        public var gate: String
        public var check: String
        public var outcomes: [Outcome]
        public var measurements: [(name: String, values: [Double])]
    }

    public func overview(target: Target, runs: Int) throws(Problem) -> [CheckHistory] {
        var byCheck: [String: CheckHistory] = [:]
        var order: [String] = []
        for execution in try executions(target: target, runs: runs, gate: nil) {
            let key = execution.gate + "\u{0}" + execution.check
            if byCheck[key] == nil {
                byCheck[key] = CheckHistory(gate: execution.gate, check: execution.check, outcomes: [], measurements: [])
                order.append(key)
            }
            byCheck[key]!.outcomes.append(execution.outcome)
        }
        for gate in Set(byCheck.values.map(\.gate)) {
            for (key, values) in try series(target: target, runs: runs, gate: gate, check: nil).sorted(by: { $0.key < $1.key }) {
                byCheck[gate + "\u{0}" + key.check]?.measurements.append((key.measurement, values))
            }
        }
        return order.compactMap { byCheck[$0] }.sorted { ($0.gate, $0.check) < ($1.gate, $1.check) }
    }

    /// A sparkline of values: ▁ for the lowest, █ for the highest.
    public static func sparkline(_ values: [Double]) -> String {
        let bars = Array("▁▂▃▄▅▆▇█")
        guard let low = values.min(), let high = values.max() else { return "" }
        return String(values.map { value in
            high == low ? bars[0] : bars[min(7, Int(((value - low) / (high - low) * 7).rounded()))]
        })
    }
}
