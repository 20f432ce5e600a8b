import Foundation
import Postgres
@testable import QualityGates
import TestSupport
import Testing

/// A hostile gate file cannot change the database it checks, whether it runs as the application
/// role or as a superuser: row counts, schema, sequences, large objects, files on the server's
/// disk and other sessions stay exactly as they were, and each check reports the refusal.
extension DatabaseGateTests {
    static let marker = "/tmp/qg-hostile-\(UInt32.random(in: 0...UInt32.max))"

    static let hostileStatements: [String] = [
        "INSERT INTO users (id, supabase_user_id, email) VALUES (gen_random_uuid(), gen_random_uuid(), 'x@example.com')",
        "UPDATE users SET email = 'owned@example.com'",
        "DELETE FROM children",
        "MERGE INTO users u USING children c ON u.id = c.parent_id WHEN MATCHED THEN DELETE",
        "DROP TABLE consent_records",
        "TRUNCATE users CASCADE",
        "CREATE TABLE planted (id int)",
        "ALTER TABLE users ADD COLUMN planted int",
        "GRANT ALL ON users TO PUBLIC",
        "SELECT * INTO planted FROM users",
        "WITH gone AS (DELETE FROM children RETURNING id) SELECT count(*) FROM gone",
        "SELECT nextval('audit_seq')",
        "SELECT setval('audit_seq', 1000)",
        "COMMIT; DELETE FROM children",
        "BEGIN READ WRITE; DELETE FROM children",
        "SET transaction_read_only = off; DELETE FROM children",
        "SELECT 1 /* harmless */ ; -- nothing here\n DELETE FROM children",
        "COPY (SELECT 1) TO PROGRAM 'touch \(marker)'",
        "SELECT lo_from_bytea(0, 'planted'::bytea)",
        "SELECT lo_export(lo_from_bytea(0, 'x'::bytea), '\(marker)')",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'victim'",
        "PREPARE TRANSACTION 'planted'",
        "LOCK TABLE users IN ACCESS EXCLUSIVE MODE",
        "REINDEX TABLE users",
        "CLUSTER users USING users_pkey",
        "VACUUM users",
    ]

    /// Everything a write could change, as one comparable string.
    private func snapshot(_ copy: TestDatabase.Copy) throws -> String {
        try copy.psql("""
            SELECT (SELECT count(*) FROM users) || '/' || (SELECT count(*) FROM children) || '/' ||
                   (SELECT count(*) FROM consent_records) || '/' || (SELECT count(*) FROM notification_preferences) || '|' ||
                   (SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name)
                      FROM information_schema.columns WHERE table_schema = 'public') || '|' ||
                   (SELECT string_agg(sequencename || '=' || coalesce(last_value::text, '-'), ',') FROM pg_sequences) || '|' ||
                   (SELECT count(*) FROM pg_largeobject_metadata) || '|' ||
                   (SELECT count(*) FROM pg_prepared_xacts) || '|' ||
                   (SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) FROM information_schema.role_table_grants
                      WHERE grantee = 'PUBLIC' AND table_name = 'users')
            """)
    }

    private func seed() throws -> TestDatabase.Copy {
        let copy = try TestDatabase.Copy("hostile")
        try copy.psql("""
            INSERT INTO users (id, supabase_user_id, email) VALUES (gen_random_uuid(), gen_random_uuid(), 'parent@example.com');
            INSERT INTO children (id, parent_id, name, date_of_birth) SELECT gen_random_uuid(), id, 'Kid', '2025-01-01' FROM users;
            CREATE SEQUENCE audit_seq;
            GRANT USAGE, SELECT, UPDATE ON SEQUENCE audit_seq TO nestsync_app;
            GRANT INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO nestsync_app;
            GRANT CREATE ON SCHEMA public TO nestsync_app;
            """)
        return copy
    }

    /// A session of someone else's, to see that it survives.
    private func victim(_ copy: TestDatabase.Copy) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["-X", "-q", TestDatabase.appURL(copy.name), "-c", "SELECT pg_sleep(60)"]
        process.environment = ["PATH": "/usr/bin:/bin", "PGAPPNAME": "victim"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 where try copy.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'victim'") != "1" {
            Thread.sleep(forTimeInterval: 0.05)
        }
        return process
    }

    private func gateFile(_ statements: [String], url: String, allowPrivileged: Bool) -> String {
        let checks = statements.enumerated().map { index, sql in
            let quoted = "\"" + sql.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
            return "      - {name: hostile \(index), kind: postgres, url: \"\(url)\", query: \(quoted), timeout: 2s"
                + (allowPrivileged ? ", allow_privileged_role: true}" : "}")
        }
        return "gates:\n  hostile:\n    title: Hostile\n    severity: P0\n    checks:\n" + checks.joined(separator: "\n") + "\n"
    }

    @Test("a hostile gate file is refused at load, statement by statement, as any role", arguments: [false, true])
    func hostileGateFileRefused(asSuperuser: Bool) throws {
        let copy = try seed()
        let victim = try victim(copy)
        defer { victim.terminate() }
        let before = try snapshot(copy)
        let url = asSuperuser ? TestDatabase.adminURL(copy.name) : copy.appURL
        let folder = try TemporaryFolder(files: ["hostile.yml": gateFile(Self.hostileStatements, url: url, allowPrivileged: asSuperuser)])
        let lint = try Binary.run(["lint", "--config", "hostile.yml", "--target", "staging"], in: folder)
        #expect(lint.status == 2)
        let refusals = lint.stderr.split(separator: "\n")
        #expect(refusals.count == Self.hostileStatements.count, "every statement is refused, each on its own line:\n\(lint.stderr)")
        let run = try Binary.run(["run", "--config", "hostile.yml", "--target", "staging"], in: folder)
        #expect(run.status == 2)
        #expect(try snapshot(copy) == before)
        #expect(!FileManager.default.fileExists(atPath: Self.marker))
        #expect(try copy.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'victim'") == "1")
    }

    /// What the read-only transaction alone does not contain, measured on PostgreSQL 15: a role may
    /// end other sessions of its own role. The guard refuses these before they reach the server.
    static let guardOnly: Set<String> = ["SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'victim'"]

    @Test("below the guard, the read-only transaction leaves the database as it was (application role)")
    func readOnlySessionContains() throws {
        let copy = try seed()
        let victim = try victim(copy)
        defer { victim.terminate() }
        let before = try snapshot(copy)
        for sql in Self.hostileStatements where !Self.guardOnly.contains(sql) {
            let session = try ReadOnlySession.open(copy.appURL, timeout: 5)
            _ = try? session.query(sql) // refused by the server, or run and rolled back: either way, nothing stays
            session.connection.close()
            #expect(try snapshot(copy) == before, "\(sql) changed the database")
            #expect(!FileManager.default.fileExists(atPath: Self.marker), "\(sql) wrote a file on the server")
            #expect(try copy.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'victim'") == "1", "\(sql) ended a session")
        }
        for sql in Self.guardOnly { #expect(SQLGuard.refusal(sql) != nil, "the guard must refuse \(sql)") }
    }

    @Test("a superuser's SQL is refused unless the gate file allows it, with the reason")
    func privilegedRoleRefused() throws {
        let folder = try TemporaryFolder(files: [
            "plain.yml": gateFile(["SELECT 1"], url: TestDatabase.adminURL("nestsync"), allowPrivileged: false),
            "allowed.yml": gateFile(["SELECT 1"], url: TestDatabase.adminURL("nestsync"), allowPrivileged: true),
        ])
        let refused = try Binary.run(["run", "--config", "plain.yml", "--target", "staging"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("refused to run a gate's SQL as 'qg_admin' (superuser, pg_execute_server_program"))
        #expect(refused.stdout.contains("Connect as a dedicated read-only role"))
        #expect(try Binary.run(["run", "--config", "allowed.yml", "--target", "staging"], in: folder).status == 0)
    }

    @Test("pg_sleep(3600) is ended by the statement timeout")
    func sleepEndsAtTimeout() throws {
        let folder = try TemporaryFolder(files: ["sleep.yml": gateFile(["SELECT pg_sleep(3600)"], url: TestDatabase.appURL(), allowPrivileged: false)])
        let run = try Binary.run(["run", "--config", "sleep.yml", "--target", "staging"], in: folder, timeout: 30)
        #expect(run.status == 1)
        #expect(run.seconds < 10)
        #expect(run.stdout.contains("the statement ran past its timeout and was cancelled"), "\(run.stdout)")
    }
}
