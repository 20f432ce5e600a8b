import FoundationEssentials

/// The run history: every run appended (run id, start, target, commit; each check's outcome,
/// duration and measurements), read by the trend checks and `quality-gates history`. A SQLite
/// file, or a PostgreSQL database when the location is a `postgres://` URL. The history is the
/// only thing quality-gates ever writes outside its reports.
public final class HistoryStore: Sendable {
    /// What messages name: the file's path, or the database as `host:port/database`.
    public let location: String
    let database: any HistoryDatabase

    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    /// Opens the history at `location`: a `postgres://` or `postgresql://` URL, else a SQLite
    /// file (created when missing). Missing tables are created.
    public init(location: String) throws(Problem) {
        if Self.isDatabaseURL(location) {
            let postgres = try PostgresHistory(url: location)
            self.location = postgres.target
            database = postgres
        } else {
            self.location = location
            database = try SQLiteHistory(path: location)
        }
    }

    /// Opens (creating when missing) the SQLite history file at `path`.
    public convenience init(path: String) throws(Problem) {
        guard !Self.isDatabaseURL(path) else { throw Problem(message: "\(path) is a database URL, not a file") }
        try self.init(location: path)
    }

    /// Whether `location` names a PostgreSQL database rather than a file.
    public static func isDatabaseURL(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// Stops waiting for another process's lock, at once: for a process that was asked to end.
    /// Safe from any thread; a waiting append fails.
    public func abandonWaiting() { database.abandonWaiting() }

    /// Ends the connection (a SQLite history checkpoints its WAL into the file); later calls throw.
    public func close() { database.close() }

    /// Readies the store for an append while the run goes on (SQLite: syncs its WAL's header
    /// now rather than at the append's commit).
    public func prepareAppend() { database.prepareAppend() }

    /// Appends a run in one transaction; keeps the newest `retention` runs of its target (0: all).
    public func append(_ report: RunReport, runID: String, commit: String?, retention: Int) throws(Problem) {
        try database.append(HistoryRun(report, runID: runID, commit: commit), retention: retention)
    }

    /// One operation of a shipped app version: its name, its document (the operation and the
    /// fragments it spreads, whitespace collapsed) and a hash of that document.
    public struct ManifestOperation: Sendable, Equatable {
        public var name: String
        public var document: String
        public var hash: String

        public init(name: String, document: String, hash: String) {
            self.name = name
            self.document = document
            self.hash = hash
        }
    }

    /// A shipped app version and its operations.
    public struct Manifest: Sendable, Equatable {
        public var app: String
        public var version: String
        public var recordedAt: Double
        public var retired: Bool
        public var operations: [ManifestOperation]
    }

    /// Records the operations of `app` at `version` (replacing an earlier record of the same version).
    public func recordManifest(app: String, version: String, operations: [ManifestOperation], at time: Double) throws(Problem) {
        try database.recordManifest(ManifestRecord(app: app, version: version, recordedAt: time, operations: operations))
    }

    /// The open incident of a gate: when it opened, or nil.
    public func incidentOpenedAt(target: String, gate: String) throws(Problem) -> Double? {
        try database.rows("SELECT opened_at FROM qg_incidents WHERE target = $1 AND gate = $2 AND resolved_at IS NULL ORDER BY id DESC LIMIT 1",
                          [.text(target), .text(gate)]).first?.first?.real
    }

    /// Opens an incident for a gate that has none open; false when one is open already (another
    /// watcher, or this one before a restart, has alerted for it).
    public func openIncident(target: String, gate: String, at time: Double) throws(Problem) -> Bool {
        !(try database.rows("""
            INSERT INTO qg_incidents (target, gate, opened_at, alerted_at) SELECT $1, $2, $3, $3
            WHERE NOT EXISTS (SELECT 1 FROM qg_incidents WHERE target = $1 AND gate = $2 AND resolved_at IS NULL) RETURNING id
            """, [.text(target), .text(gate), .real(time)])).isEmpty
    }

    /// Marks an open incident as alerted again at `time`, when its last alert is older than
    /// `after` seconds; whether it was (one watcher of many repeats it).
    public func repeatIncident(target: String, gate: String, at time: Double, after: Double) throws(Problem) -> Bool {
        !(try database.rows("""
            UPDATE qg_incidents SET alerted_at = $1 WHERE target = $2 AND gate = $3 AND resolved_at IS NULL AND alerted_at <= $4 RETURNING id
            """, [.real(time), .text(target), .text(gate), .real(time - after)])).isEmpty
    }

    /// Resolves a gate's open incident; when it opened, or nil when none was open.
    public func resolveIncident(target: String, gate: String, at time: Double) throws(Problem) -> Double? {
        try database.rows("UPDATE qg_incidents SET resolved_at = $1 WHERE target = $2 AND gate = $3 AND resolved_at IS NULL RETURNING opened_at",
                          [.real(time), .text(target), .text(gate)]).first?.first?.real
    }

    /// A schema a staging run saw: when it was first recorded, its hash and its SDL.
    public struct RecordedSchema: Sendable, Equatable {
        public var recordedAt: Double
        public var hash: String
        public var sdl: String
    }

    /// The schemas recorded for `target`, newest first: one each time the live schema changed.
    public func schemas(target: String, limit: Int = 10) throws(Problem) -> [RecordedSchema] {
        try database.rows("SELECT recorded_at, hash, sdl FROM qg_schemas WHERE target = $1 ORDER BY id DESC LIMIT $2",
                          [.text(target), .integer(Int64(limit))]).compactMap { row in
            guard let time = row[0].real, let hash = row[1].text, let sdl = row[2].text else { return nil }
            return RecordedSchema(recordedAt: time, hash: hash, sdl: sdl)
        }
    }

    /// Marks a version as no longer installed anywhere; false when there is no such live version.
    public func retireManifest(app: String, version: String, at time: Double) throws(Problem) -> Bool {
        !(try database.rows("UPDATE qg_manifests SET retired_at = $1 WHERE app = $2 AND version = $3 AND retired_at IS NULL RETURNING id",
                            [.real(time), .text(app), .text(version)])).isEmpty
    }

    /// The recorded versions, newest first, with their operations; the retired ones only when asked.
    public func manifests(includeRetired: Bool = false) throws(Problem) -> [Manifest] {
        let rows = try database.rows("SELECT id, app, version, recorded_at, retired_at FROM qg_manifests"
                                     + (includeRetired ? "" : " WHERE retired_at IS NULL") + " ORDER BY recorded_at DESC, id DESC", [])
        var manifests: [Manifest] = []
        for row in rows {
            guard let id = row[0].integer, let app = row[1].text, let version = row[2].text, let recordedAt = row[3].real else { continue }
            let operations = try database.rows("SELECT name, document, hash FROM qg_manifest_operations WHERE manifest = $1 ORDER BY name",
                                               [.integer(id)]).compactMap { operation -> ManifestOperation? in
                guard let name = operation[0].text, let document = operation[1].text, let hash = operation[2].text else { return nil }
                return ManifestOperation(name: name, document: document, hash: hash)
            }
            manifests.append(Manifest(app: app, version: version, recordedAt: recordedAt, retired: row[4] != .null, operations: operations))
        }
        return manifests
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
        var sql = "SELECT r.run, r.gate, r.check_name, r.outcome FROM qg_results r WHERE r.run IN (SELECT id FROM qg_runs WHERE target = $1 ORDER BY id DESC LIMIT $2)"
        var parameters: [HistoryValue] = [.text(target.rawValue), .integer(Int64(runs))]
        if let gate { sql += " AND r.gate = $3"; parameters.append(.text(gate)) }
        return try database.rows(sql + " ORDER BY r.run", parameters).compactMap { row in
            guard let run = row[0].integer, let gate = row[1].text, let check = row[2].text,
                  let outcome = row[3].text.flatMap(Outcome.init(rawValue:)) else { return nil }
            return Execution(run: run, gate: gate, check: check, outcome: outcome)
        }
    }

    /// How many runs of `target` the history holds.
    public func runCount(target: Target) throws(Problem) -> Int {
        Int(try database.rows("SELECT count(*) FROM qg_runs WHERE target = $1", [.text(target.rawValue)]).first?.first?.integer ?? 0)
    }

    /// A measurement series: (check, measurement) → values of the newest `runs` runs, oldest first.
    public func series(target: Target, runs: Int, gate: String, check: String?) throws(Problem) -> [SeriesKey: [Double]] {
        var series: [SeriesKey: [Double]] = [:]
        var sql = "SELECT m.check_name, m.name, m.value FROM qg_measurements m WHERE m.gate = $1 AND m.run IN (SELECT id FROM qg_runs WHERE target = $2 ORDER BY id DESC LIMIT $3)"
        var parameters: [HistoryValue] = [.text(gate), .text(target.rawValue), .integer(Int64(runs))]
        if let check { sql += " AND m.check_name = $4"; parameters.append(.text(check)) }
        for row in try database.rows(sql + " ORDER BY m.run", parameters) {
            guard let check = row[0].text, let name = row[1].text, let value = row[2].real else { continue }
            series[SeriesKey(check: check, measurement: name), default: []].append(value)
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

        /// A check's key in the overviews' lookups: its gate and name.
        static func key(_ gate: String, _ check: String) -> String { gate + "\u{0}" + check }

        /// The outcomes as one character each: ✓ passed, ✗ failed, ! errored, - skipped, ~ warned.
        public var outcomeGlyphs: String {
            String(outcomes.map { outcome -> Character in
                switch outcome {
                case .passed: "✓"
                case .failed: "✗"
                case .errored: "!"
                case .skipped: "-"
                case .warned: "~"
                }
            })
        }
    }

    public func overview(target: Target, runs: Int) throws(Problem) -> [CheckHistory] {
        // In run order (the index's order: sorting by check made SQLite's sorter cost more than
        // the read). A run's rows come in the order its checks were appended, mostly the order of
        // the run before, so each row is first compared with the check at its place in that run.
        let newest = "SELECT id FROM qg_runs WHERE target = $1 ORDER BY id DESC LIMIT $2"
        let parameters: [HistoryValue] = [.text(target.rawValue), .integer(Int64(runs))]
        var checks: [CheckHistory] = []
        var index: [String: Int] = [:]
        var previousRun: Int64 = -1
        var place = 0
        let outcomes = "SELECT r.run, r.gate, r.check_name, r.outcome FROM qg_results r WHERE r.run IN (\(newest)) ORDER BY r.run"
        for row in try database.rows(outcomes, parameters) {
            guard let run = row[0].integer, let gate = row[1].text, let check = row[2].text,
                  let outcome = row[3].text.flatMap(Outcome.init(rawValue:)) else { continue }
            if run != previousRun { (previousRun, place) = (run, 0) }
            let position: Int
            if place < checks.count, checks[place].gate == gate, checks[place].check == check {
                position = place
            } else if let known = index[CheckHistory.key(gate, check)] {
                position = known
            } else {
                position = checks.count
                index[CheckHistory.key(gate, check)] = position
                checks.append(CheckHistory(gate: gate, check: check, outcomes: [], measurements: []))
            }
            checks[position].outcomes.append(outcome)
            place = position + 1
        }
        // Every gate's measurements in one read (a read per gate cost a millisecond a run).
        var series: [String: [String: [Double]]] = [:]
        let measured = "SELECT m.gate, m.check_name, m.name, m.value FROM qg_measurements m WHERE m.run IN (\(newest)) ORDER BY m.run"
        for row in try database.rows(measured, parameters) {
            guard let gate = row[0].text, let check = row[1].text, let name = row[2].text, let value = row[3].real else { continue }
            series[CheckHistory.key(gate, check), default: [:]][name, default: []].append(value)
        }
        for (key, measurements) in series {
            guard let position = index[key] else { continue }
            checks[position].measurements = measurements.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
        return checks.sorted { ($0.gate, $0.check) < ($1.gate, $1.check) }
    }

    /// The overview of the runs before `report` with `report` added as the newest run, as the
    /// history gives it once the run is appended: a run reads the earlier runs while its checks
    /// run, not after its append (a run that another process appends in between is not shown).
    public static func overview(_ earlier: [CheckHistory], adding report: RunReport) -> [CheckHistory] {
        let run = HistoryRun(report, runID: "", commit: nil)
        var byCheck = Dictionary(earlier.map { (CheckHistory.key($0.gate, $0.check), $0) }, uniquingKeysWith: { first, _ in first })
        for result in run.results {
            guard let outcome = Outcome(rawValue: result.outcome) else { continue }
            let fresh = CheckHistory(gate: result.gate, check: result.check, outcomes: [], measurements: [])
            byCheck[CheckHistory.key(result.gate, result.check), default: fresh].outcomes.append(outcome)
        }
        for measured in run.measurements {
            let key = CheckHistory.key(measured.gate, measured.check)
            guard var history = byCheck[key] else { continue }
            if let index = history.measurements.firstIndex(where: { $0.name == measured.name }) {
                history.measurements[index].values.append(measured.value)
            } else {
                history.measurements.append((measured.name, [measured.value]))
                history.measurements.sort { $0.name < $1.name }
            }
            byCheck[key] = history
        }
        return byCheck.values.sorted { ($0.gate, $0.check) < ($1.gate, $1.check) }
    }

    /// The newest of a series, to one decimal, as `history` and the Markdown trend show it.
    public static func lastValue(_ values: [Double]) -> String {
        values.last.map { "\(NumberText.tenths($0))" } ?? ""
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
