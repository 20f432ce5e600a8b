/// Where a history lives: a SQLite file or a PostgreSQL database. Both hold the same three
/// tables (qg_runs, qg_results, qg_measurements) and answer the same reads, written once with
/// `$1`, `$2`, … placeholders in order of first use (SQLite reads `$1` as a named parameter,
/// numbered by first appearance, so the same text binds the same way in both).
protocol HistoryDatabase: Sendable {
    /// The rows of a read.
    func rows(_ sql: String, _ parameters: [HistoryValue]) throws(HistoryStore.Problem) -> [[HistoryValue]]
    /// Appends a run in one transaction and keeps the newest `retention` runs of its target (0: all).
    func append(_ run: HistoryRun, retention: Int) throws(HistoryStore.Problem)
    /// What a claim's inner SELECT ends with so that concurrent claimers skip each other's rows
    /// (PostgreSQL's `FOR UPDATE SKIP LOCKED`; SQLite needs nothing, its writers take turns).
    var skipLocked: String { get }
    /// Stops waiting for another process's lock: the process was asked to end. Any thread.
    func abandonWaiting()
    /// Ends the connection once the run is done with it; later calls throw.
    func close()
    /// Makes the coming append cheaper where the store can (SQLite: writes its WAL's header).
    func prepareAppend()
    /// Records a shipped app version's operations in one transaction, replacing what that
    /// version had (and bringing it back if it was retired).
    func recordManifest(_ manifest: ManifestRecord) throws(HistoryStore.Problem)
}

extension HistoryDatabase {
    func prepareAppend() {}
}

/// A shipped app version's operations, as the history keeps them.
struct ManifestRecord: Sendable {
    var app: String
    var version: String
    var recordedAt: Double
    var operations: [HistoryStore.ManifestOperation]

    /// Upserts the manifest's row and returns its id ($1 app, $2 version, $3 time): SQLite and
    /// PostgreSQL read the same statement.
    static let upsert = """
        INSERT INTO qg_manifests (app, version, recorded_at) VALUES ($1, $2, $3)
        ON CONFLICT (app, version) DO UPDATE SET recorded_at = excluded.recorded_at, retired_at = NULL RETURNING id
        """
}

/// A value bound to a placeholder or read from a column.
enum HistoryValue: Sendable, Equatable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case null

    var integer: Int64? { if case .integer(let value) = self { value } else { nil } }
    var real: Double? {
        switch self {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }
    var text: String? { if case .text(let value) = self { value } else { nil } }
}

/// One run as the history stores it.
struct HistoryRun: Sendable {
    struct Result: Sendable {
        var gate: String
        var check: String
        var outcome: String
        var duration: Double
    }
    struct Measured: Sendable {
        var gate: String
        var check: String
        var name: String
        var value: Double
    }

    var runID: String
    var startedAt: Double
    var target: String
    var commit: String?
    var results: [Result]
    var measurements: [Measured]
    /// The live schema a check of the run introspected: its hash and SDL.
    var schema: (hash: String, sdl: String)?

    init(_ report: RunReport, runID: String, commit: String?) {
        self.runID = runID
        startedAt = report.startedAt.timeIntervalSince1970
        target = report.target.rawValue
        self.commit = commit
        results = report.gates.flatMap { gate in
            // A failure flap control held back is kept as the failure it was: the next run counts it.
            gate.checks.map { Result(gate: gate.id, check: $0.name, outcome: ($0.heldBack ?? $0.outcome).rawValue, duration: $0.durationSeconds) }
        }
        measurements = report.gates.flatMap { gate in
            gate.checks.flatMap { check in check.measurements.map { Measured(gate: gate.id, check: check.name, name: $0.name, value: $0.value) } }
        }
        schema = report.allChecks.lazy.compactMap(\.schemaSnapshot).first.map { (StableHash.hex128([$0]), $0) }
    }

    /// Records the run's schema when it differs from the last one recorded for the target
    /// ($1 target, $2 time, $3 hash, $4 SDL): a history of the deployed schema's changes.
    static let schemaStatement = """
        INSERT INTO qg_schemas (target, recorded_at, hash, sdl) SELECT $1, $2, $3, $4
        WHERE NOT EXISTS (SELECT 1 FROM (SELECT hash FROM qg_schemas WHERE target = $1 ORDER BY id DESC LIMIT 1) AS last WHERE last.hash = $3)
        """

    var schemaParameters: [HistoryValue]? {
        schema.map { [.text(target), .real(startedAt), .text($0.hash), .text($0.sdl)] }
    }

    /// Deletes the runs of `target` older than its newest `retention` ($1 the target, $2 the count),
    /// results and measurements first (SQLite leaves foreign keys unenforced by default).
    static let retentionStatements: [String] = {
        let cutoff = "(SELECT id FROM qg_runs WHERE target = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)"
        return ["qg_results", "qg_measurements"].map {
            "DELETE FROM \($0) WHERE run IN (SELECT id FROM qg_runs WHERE target = $1 AND id <= \(cutoff))"
        } + ["DELETE FROM qg_runs WHERE target = $1 AND id <= \(cutoff)"]
    }()
}
