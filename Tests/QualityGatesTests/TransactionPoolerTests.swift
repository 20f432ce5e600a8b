import Foundation
import Postgres
@testable import QualityGates
import TestSupport
import Testing

/// The gates behind a pooler in transaction mode (PgBouncer, Supabase's pooler on port 6543): the
/// server connection a gate used goes next to the application's clients, so the gates may leave
/// nothing on it. scripts/test starts a real PgBouncer with one server connection, so every client's
/// transactions take turns on the same server session.
@Suite(.serialized, .enabled(if: TestDatabase.available && TestDatabase.poolerURL != nil, "scripts/test starts PostgreSQL and PgBouncer"))
struct TransactionPoolerTests {
    /// The settings a client of the pooler finds on the server session, as the application would.
    private func settingsSeenByTheNextClient() throws -> [String: String] {
        let connection = try PostgresConnection.connect(try #require(TestDatabase.poolerURL), connectTimeout: 5)
        defer { connection.close() }
        let result = try connection.query("""
            SELECT current_setting('default_transaction_read_only') AS read_only, current_setting('statement_timeout') AS statement,
                   current_setting('lock_timeout') AS lock, current_setting('idle_in_transaction_session_timeout') AS idle
            """, timeout: 5)
        return ["read_only", "statement", "lock", "idle"].reduce(into: [:]) { $0[$1] = result.value($1)?.description }
    }

    @Test("every database check run through a transaction-mode pooler leaves the server session writable and without the gates' timeouts for the application's next transaction")
    func nothingLeftForTheApplication() throws {
        let url = try #require(TestDatabase.poolerURL)
        let gates = """
            gates:
              db:
                title: Database
                severity: P0
                checks:
                  - {name: up, kind: postgres, url: "\(url)", query: SELECT 1, timeout: 7s}
                  - {name: tables, kind: postgres_tables, url: "\(url)", tables: [users, children]}
                  - {name: columns, kind: postgres_columns, url: "\(url)", table: notification_preferences, columns: [{name: notification_consent_granted, type: boolean}]}
                  - {name: headroom, kind: postgres_connections, url: "\(url)", max_utilisation: 95}
                  - {name: a reading query, kind: postgres, url: "\(url)", query: "SELECT count(*) FROM children", conditions: ["[ROWS] == 1"]}
                  - {name: at head, kind: alembic_current, url: "\(url)", versions: "**/alembic/versions"}

            """
        let folder = try TemporaryFolder(files: ["gates.yml": gates])
        let project = Paths.packageRoot.appendingPathComponent("examples/nestsync").path
        let run = try Binary.run(["run", "--config", "gates.yml", "--project-root", project, "--target", "staging", "--history", "none"],
                                 in: folder, timeout: 60)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("6 passed"), "\(run.stdout)")
        // With one server connection, the gates' sessions and this one share it.
        #expect(try settingsSeenByTheNextClient() == ["read_only": "off", "statement": "0", "lock": "0", "idle": "0"])
        // And the application's next transaction can write (a temporary table, rolled back).
        let application = try PostgresConnection.connect(url, connectTimeout: 5)
        defer { application.close() }
        _ = try application.query("BEGIN", timeout: 5)
        _ = try application.query("CREATE TEMPORARY TABLE qg_pooler_probe (x int) ON COMMIT DROP", timeout: 5)
        _ = try application.query("ROLLBACK", timeout: 5)
    }

    @Test("a read-only session's statement runs read-only under the server timeouts, which end with its transaction")
    func timeoutsLastOneTransaction() throws {
        let session = try ReadOnlySession.open(TestDatabase.appURL(), timeout: 5)
        defer { session.connection.close() }
        let inside = try session.query("""
            SELECT current_setting('transaction_read_only') AS read_only, current_setting('statement_timeout') AS statement,
                   current_setting('lock_timeout') AS lock
            """)
        #expect(inside.value("read_only")?.description == "on")
        #expect(inside.value("statement")?.description == "4s")
        #expect(inside.value("lock")?.description == "4s")
        // The same connection, outside the session's transactions: nothing set for the session.
        let after = try session.connection.query("SELECT current_setting('statement_timeout') AS statement, current_setting('default_transaction_read_only') AS read_only",
                                                 timeout: 5)
        #expect(after.value("statement")?.description == "0")
        #expect(after.value("read_only")?.description == "off")
    }
}
