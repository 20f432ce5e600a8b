import Glibc
import SQLite

/// A history in a SQLite file, in WAL mode so that concurrent CI runs on one machine append
/// without losing a row (each append is one BEGIN IMMEDIATE transaction; others wait up to 10 s).
/// `synchronous = NORMAL`: a commit is not synced, only the checkpoint that follows each append
/// (and the close's, for what another process's readers held back); WAL keeps the file
/// consistent through a crash, and a power cut can at most lose the last run.
struct SQLiteHistory: HistoryDatabase {
    let path: String
    private let database: SQLiteDatabase

    /// Set as `user_version` once the tables below exist, so a later open reads one pragma
    /// instead of running every statement of the schema again; raise it when the schema changes.
    static let schemaVersion = 5

    static let connectionSettings = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"

    static let schema = """
        CREATE TABLE IF NOT EXISTS qg_runs (
          id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL UNIQUE, started_at REAL NOT NULL,
          target TEXT NOT NULL, git_commit TEXT);
        CREATE TABLE IF NOT EXISTS qg_results (
          run INTEGER NOT NULL REFERENCES qg_runs(id) ON DELETE CASCADE, gate TEXT NOT NULL, check_name TEXT NOT NULL,
          outcome TEXT NOT NULL, duration REAL NOT NULL);
        CREATE TABLE IF NOT EXISTS qg_measurements (
          run INTEGER NOT NULL REFERENCES qg_runs(id) ON DELETE CASCADE, gate TEXT NOT NULL, check_name TEXT NOT NULL,
          name TEXT NOT NULL, value REAL NOT NULL);
        CREATE INDEX IF NOT EXISTS qg_runs_target ON qg_runs(target, id);
        CREATE INDEX IF NOT EXISTS qg_results_run ON qg_results(run);
        CREATE INDEX IF NOT EXISTS qg_results_gate ON qg_results(gate, run);
        CREATE INDEX IF NOT EXISTS qg_measurements_run ON qg_measurements(run);
        CREATE INDEX IF NOT EXISTS qg_measurements_gate ON qg_measurements(gate, run);
        DROP INDEX IF EXISTS qg_measurements_check;
        CREATE TABLE IF NOT EXISTS qg_manifests (
          id INTEGER PRIMARY KEY AUTOINCREMENT, app TEXT NOT NULL, version TEXT NOT NULL, recorded_at REAL NOT NULL,
          retired_at REAL, UNIQUE (app, version));
        CREATE TABLE IF NOT EXISTS qg_manifest_operations (
          manifest INTEGER NOT NULL REFERENCES qg_manifests(id) ON DELETE CASCADE, name TEXT NOT NULL, document TEXT NOT NULL,
          hash TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS qg_manifest_operations_manifest ON qg_manifest_operations(manifest);
        CREATE TABLE IF NOT EXISTS qg_schemas (
          id INTEGER PRIMARY KEY AUTOINCREMENT, target TEXT NOT NULL, recorded_at REAL NOT NULL, hash TEXT NOT NULL, sdl TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS qg_schemas_target ON qg_schemas(target, id);
        CREATE TABLE IF NOT EXISTS qg_incidents (
          id INTEGER PRIMARY KEY AUTOINCREMENT, target TEXT NOT NULL, gate TEXT NOT NULL, opened_at REAL NOT NULL, resolved_at REAL,
          alerted_at REAL NOT NULL);
        CREATE INDEX IF NOT EXISTS qg_incidents_open ON qg_incidents(target, gate, resolved_at);
        CREATE TABLE IF NOT EXISTS qg_alerts (
          id INTEGER PRIMARY KEY AUTOINCREMENT, target TEXT NOT NULL, gate TEXT NOT NULL, channel TEXT NOT NULL, action TEXT NOT NULL,
          severity TEXT NOT NULL, payload TEXT NOT NULL, created_at REAL NOT NULL, next_attempt_at REAL NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0, claimed_by TEXT, claimed_until REAL, delivered_at REAL, failed_at REAL, last_error TEXT);
        CREATE INDEX IF NOT EXISTS qg_alerts_pending ON qg_alerts(channel, delivered_at, failed_at, next_attempt_at);
        CREATE TABLE IF NOT EXISTS qg_schedule (
          target TEXT NOT NULL, gate TEXT NOT NULL, next_due REAL NOT NULL, owner TEXT, lease_until REAL, PRIMARY KEY (target, gate));
        """

    /// Opens the file at `path`, creating it and the tables when missing.
    init(path: String) throws(HistoryStore.Problem) {
        self.path = path
        do throws(SQLiteDatabase.Failure) {
            database = try SQLiteDatabase(path: path)
            try Self.settle(database)
            if try database.query("PRAGMA user_version").first?.first?.integer != Int64(Self.schemaVersion) {
                try database.execute(Self.schema + "PRAGMA user_version = \(Self.schemaVersion);")
            }
        } catch {
            throw Self.problem(error, path: path)
        }
    }

    /// Sets the connection's journal mode and sync level. Switching a new file to WAL needs a
    /// write lock on it, and SQLite can refuse that at once, without its busy wait, while another
    /// process holds a lock: about one trial in twenty-five of twelve runs started together on a
    /// fresh history lost a run ("database is locked"). So a refusal is retried every 10 ms for as
    /// long as a lock is waited for (10 s).
    private static func settle(_ database: SQLiteDatabase) throws(SQLiteDatabase.Failure) {
        var waited = 0
        while true {
            do throws(SQLiteDatabase.Failure) {
                return try database.execute(connectionSettings)
            } catch where error.code == 5 && waited < 10_000 {
                usleep(10_000)
                waited += 10
            }
        }
    }

    static func problem(_ error: SQLiteDatabase.Failure, path: String) -> HistoryStore.Problem {
        let message = switch error.code {
        case 5, 6: "the history \(path) is locked by another process (\(error.message)); try again, or use --history none"
        case 11, 26: "the history \(path) is not a usable SQLite database (\(error.message)); move it away to start a new one, or use --history none"
        default: "the history \(path): \(error.message)"
        }
        return HistoryStore.Problem(message: message)
    }

    func rows(_ sql: String, _ parameters: [HistoryValue]) throws(HistoryStore.Problem) -> [[HistoryValue]] {
        do throws(SQLiteDatabase.Failure) {
            var rows: [[HistoryValue]] = []
            try database.each(sql, parameters.map(Self.bind)) { rows.append($0.map(Self.read)) }
            return rows
        } catch {
            throw Self.problem(error, path: path)
        }
    }

    func abandonWaiting() { database.abandonWaiting() }

    /// SQLite serialises writers, so a claim's UPDATE is atomic without row locks.
    var skipLocked: String { "" }

    func close() { database.close() }

    func append(_ run: HistoryRun, retention: Int) throws(HistoryStore.Problem) {
        try insert(run, retention: retention)
        // Copied into the file now, on the thread that appended, while the run renders its
        // reports: left to the close, the copy's two syncs came after the reports. PASSIVE: it
        // never waits for another process's readers; what they hold back, the close copies.
        _ = try? database.query("PRAGMA wal_checkpoint(PASSIVE)")
    }

    /// Writes the WAL's header now (a commit that sets `user_version` to what it is): the first
    /// commit into a new WAL syncs its header and its folder, and the run's append is then no
    /// longer that first commit. It never waits for another process's lock (the append does,
    /// and says so when a signal ends the wait); failing here costs nothing.
    func prepareAppend() {
        try? database.executeWithoutWaiting("PRAGMA user_version = \(Self.schemaVersion)")
    }

    private func insert(_ run: HistoryRun, retention: Int) throws(HistoryStore.Problem) {
        try transaction { () throws(SQLiteDatabase.Failure) in
            try database.query("INSERT INTO qg_runs (run_id, started_at, target, git_commit) VALUES (?, ?, ?, ?)",
                               [.text(run.runID), .real(run.startedAt), .text(run.target), run.commit.map { .text($0) } ?? .null])
            let id = SQLiteDatabase.Value.integer(database.lastInsertRowID)
            try database.repeated("INSERT INTO qg_results VALUES (?, ?, ?, ?, ?)", run.results.map { result in
                [id, .text(result.gate), .text(result.check), .text(result.outcome), .real(result.duration)]
            })
            try database.repeated("INSERT INTO qg_measurements VALUES (?, ?, ?, ?, ?)", run.measurements.map { measured in
                [id, .text(measured.gate), .text(measured.check), .text(measured.name), .real(measured.value)]
            })
            if retention > 0 {
                for statement in HistoryRun.retentionStatements {
                    try database.query(statement, [.text(run.target), .integer(Int64(retention))])
                }
            }
            if let parameters = run.schemaParameters {
                try database.query(HistoryRun.schemaStatement, parameters.map(Self.bind))
            }
        }
    }

    func recordManifest(_ manifest: ManifestRecord) throws(HistoryStore.Problem) {
        try transaction { () throws(SQLiteDatabase.Failure) in
            // RETURNING always gives the row's id (SQLite 3.35 and later).
            let inserted = try database.query(ManifestRecord.upsert, [.text(manifest.app), .text(manifest.version), .real(manifest.recordedAt)])
            let id = inserted.first?.first ?? .null
            try database.query("DELETE FROM qg_manifest_operations WHERE manifest = ?", [id])
            try database.repeated("INSERT INTO qg_manifest_operations VALUES (?, ?, ?, ?)", manifest.operations.map { operation in
                [id, .text(operation.name), .text(operation.document), .text(operation.hash)]
            })
        }
    }

    /// `body` in one BEGIN IMMEDIATE transaction (others wait for its lock), rolled back on failure.
    private func transaction(_ body: () throws(SQLiteDatabase.Failure) -> Void) throws(HistoryStore.Problem) {
        do throws(SQLiteDatabase.Failure) {
            try database.execute("BEGIN IMMEDIATE")
            do throws(SQLiteDatabase.Failure) {
                try body()
                try database.execute("COMMIT")
            } catch {
                try? database.execute("ROLLBACK")
                throw error
            }
        } catch {
            throw Self.problem(error, path: path)
        }
    }

    private static func bind(_ value: HistoryValue) -> SQLiteDatabase.Value {
        switch value {
        case .integer(let value): .integer(value)
        case .real(let value): .real(value)
        case .text(let value): .text(value)
        case .null: .null
        }
    }

    private static func read(_ value: SQLiteDatabase.Value) -> HistoryValue {
        switch value {
        case .integer(let value): .integer(value)
        case .real(let value): .real(value)
        case .text(let value): .text(value)
        case .null: .null
        }
    }
}
