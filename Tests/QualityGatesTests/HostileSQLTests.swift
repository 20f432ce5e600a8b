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
                      WHERE grantee = 'PUBLIC' AND table_name = 'users') || '|' ||
                   (SELECT count(*) FROM pg_replication_slots) || '|' ||
                   (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory') || '|' ||
                   coalesce((SELECT stats_reset::text FROM pg_stat_database WHERE datname = current_database()), 'never') || '|' ||
                   (SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace)
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
            CREATE EXTENSION dblink;
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
        var tries = 0
        while try copy.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'victim'") != "1", tries < 100 {
            Thread.sleep(forTimeInterval: 0.05)
            tries += 1
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

    /// A connection string dblink would use to come back with the application's credentials.
    private func loopback(_ copy: TestDatabase.Copy) -> String {
        "host=127.0.0.1 port=\(TestDatabase.port) dbname=\(copy.name) user=nestsync_app password=\(TestDatabase.appPassword)"
    }

    /// Every spelling of every dangerous family (SQLGuardTests), with arguments that would really
    /// act on this copy.
    private func spelledStatements(_ copy: TestDatabase.Copy) -> [String] {
        SQLGuardTests.families.flatMap { family in
            let arguments = family.name.hasPrefix("dblink")
                ? "'\(loopback(copy))', 'DELETE FROM children\(family.name == "dblink" ? " RETURNING 1" : "")'"
                : family.arguments
            return SQLGuardTests.spellings(family.name, arguments).map(\.sql)
        }
    }

    @Test("a hostile gate file is refused at load, statement by statement, every spelling, as any role", arguments: [false, true])
    func hostileGateFileRefused(asSuperuser: Bool) throws {
        let copy = try seed()
        let victim = try victim(copy)
        defer { victim.terminate() }
        let before = try snapshot(copy)
        let url = asSuperuser ? TestDatabase.adminURL(copy.name) : copy.appURL
        let statements = Self.hostileStatements + spelledStatements(copy)
        let folder = try TemporaryFolder(files: ["hostile.yml": gateFile(statements, url: url, allowPrivileged: asSuperuser)])
        let lint = try Binary.run(["lint", "--config", "hostile.yml", "--target", "staging"], in: folder)
        #expect(lint.status == 2)
        let refusals = lint.stderr.split(separator: "\n")
        #expect(refusals.count == statements.count, "every statement is refused, each on its own line:\n\(lint.stderr)")
        for family in SQLGuardTests.families {
            #expect(refusals.filter { $0.contains("\(family.name)()") || $0.contains("\(family.name) (called in attribute notation)") }.count
                    >= SQLGuardTests.spellings(family.name, "").count - 1, "\(family.name) named in each refusal")
        }
        let run = try Binary.run(["run", "--config", "hostile.yml", "--target", "staging"], in: folder)
        #expect(run.status == 2)
        #expect(try snapshot(copy) == before)
        #expect(!FileManager.default.fileExists(atPath: Self.marker))
        #expect(try copy.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'victim'") == "1")
    }

    /// What the read-only transaction alone does not contain, measured on PostgreSQL 15: a role may
    /// end other sessions of its own role, and dblink opens a second connection that is not
    /// read-only. The guard refuses these before they reach the server.
    private func guardOnly(_ copy: TestDatabase.Copy) -> [String] {
        ["SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'victim'",
         "SELECT \"dblink_exec\"('\(loopback(copy))', 'DELETE FROM children')"]
    }

    @Test("below the guard, the read-only transaction leaves the database as it was (application role); a quoted dblink_exec would not")
    func readOnlySessionContains() throws {
        let copy = try seed()
        let victim = try victim(copy)
        defer { victim.terminate() }
        let before = try snapshot(copy)
        for sql in Self.hostileStatements where !guardOnly(copy).contains(sql) {
            let session = try ReadOnlySession.open(copy.appURL, timeout: 5)
            _ = try? session.query(sql) // refused by the server, or run and rolled back: either way, nothing stays
            session.connection.close()
            #expect(try snapshot(copy) == before, "\(sql) changed the database")
            #expect(!FileManager.default.fileExists(atPath: Self.marker), "\(sql) wrote a file on the server")
            #expect(try copy.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'victim'") == "1", "\(sql) ended a session")
        }
        for sql in guardOnly(copy) { #expect(SQLGuard.refusal(sql) != nil, "the guard must refuse \(sql)") }
        // Why the guard matters: the same statement, past it, deletes through a second connection.
        let session = try ReadOnlySession.open(copy.appURL, timeout: 5)
        _ = try session.query(guardOnly(copy)[1])
        session.connection.close()
        #expect(try copy.psql("SELECT count(*) FROM children") == "0")
    }

    /// Functions, operators and views of the application's own, which no load-time list can know.
    private func plantFunctions(_ copy: TestDatabase.Copy) throws {
        try copy.psql("""
            CREATE FUNCTION public.innocent() RETURNS bigint LANGUAGE sql IMMUTABLE
              AS $$ SELECT count(*) FROM dblink_exec('\(loopback(copy).replacingOccurrences(of: "'", with: "''"))', 'DELETE FROM children') $$;
            CREATE FUNCTION public.harmless() RETURNS int LANGUAGE sql STABLE AS $$ SELECT 1 $$;
            CREATE FUNCTION public.plus3(int, int) RETURNS int LANGUAGE sql VOLATILE AS $$ SELECT $1 + $2 + public.innocent()::int $$;
            CREATE OPERATOR public.## (FUNCTION = public.plus3, LEFTARG = int, RIGHTARG = int);
            CREATE VIEW public.innocent_view AS SELECT public.innocent() AS n;
            ALTER FUNCTION public.innocent() OWNER TO nestsync_app;
            ALTER FUNCTION public.harmless() OWNER TO nestsync_app;
            ALTER FUNCTION public.plus3(int, int) OWNER TO nestsync_app;
            ALTER OPERATOR public.## (int, int) OWNER TO nestsync_app;
            GRANT SELECT ON public.innocent_view TO nestsync_app;
            """)
    }

    private func runCheck(_ copy: TestDatabase.Copy, _ extra: String, url: String? = nil) throws -> (status: Int32, stdout: String) {
        let gate = """
            gates:
              db:
                title: Database
                severity: P0
                checks:
                  - name: the query
                    kind: postgres
                    url: "\(url ?? copy.appURL)"
                    timeout: 5s
            \(extra.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n"))
            """
        let folder = try TemporaryFolder(files: ["db.yml": gate])
        let run = try Binary.run(["run", "--config", "db.yml", "--target", "staging", "--history", "none"], in: folder)
        return (run.status, run.stdout + run.stderr)
    }

    @Test("at run time, the application's own functions and operators, and volatile functions not known to read, are refused by name")
    func functionsLookedUpAtRunTime() throws {
        let copy = try seed()
        try plantFunctions(copy)
        // With dblink executable, the role itself is refused free-form SQL (a view can reach dblink unseen).
        let view = try runCheck(copy, "query: SELECT n FROM innocent_view")
        #expect(view.status == 1 && view.stdout.contains("refused to run a gate's SQL as 'nestsync_app' (may EXECUTE dblink_connect, dblink_exec)"),
                "\(view.stdout)")
        let before = try snapshot(copy)
        let cases: [(String, String)] = [
            ("query: SELECT innocent()", "calls public.innocent(), owned by role 'nestsync_app'"),
            ("query: SELECT public.\"innocent\"() AS n", "calls public.innocent(), owned by role 'nestsync_app'"),
            ("query: \"SELECT 1 ## 2 AS n\"", "operator ## runs public.plus3()"),
            ("query: \"SELECT 1 OPERATOR(public.##) 2 AS n\"", "operator ## runs public.plus3()"),
            ("query: SELECT setseed(0.5)", "calls pg_catalog.setseed(), a volatile function not known to be free of side effects"),
        ]
        for (query, message) in cases {
            let run = try runCheck(copy, query + "\nallow_privileged_role: true")
            #expect(run.status == 1, "\(query): \(run.stdout)")
            #expect(run.stdout.contains("refused to run the query: \(message)"), "\(query): \(run.stdout)")
        }
        #expect(try snapshot(copy) == before)
        #expect(try copy.psql("SELECT count(*) FROM children") != "0")
        // Listed, the application's function runs; PostgreSQL's reading volatile functions need no list.
        #expect(try runCheck(copy, "query: SELECT harmless() AS one\nallow_privileged_role: true\nallow_functions: [public.harmless]").status == 0)
        #expect(try runCheck(copy, "query: SELECT harmless() AS one\nallow_privileged_role: true").status == 1)
        #expect(try runCheck(copy, "query: SELECT pg_database_size(current_database()) AS size, random() AS r, upper('x') AS u\nallow_privileged_role: true").status == 0)
        // Without EXECUTE on dblink the role is not privileged, and the lookup alone refuses.
        try copy.psql("REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC; GRANT EXECUTE ON FUNCTION public.innocent(), public.harmless(), public.plus3(int, int) TO nestsync_app")
        let unprivileged = try runCheck(copy, "query: SELECT innocent()")
        #expect(unprivileged.status == 1 && unprivileged.stdout.contains("calls public.innocent(), owned by role 'nestsync_app'"), "\(unprivileged.stdout)")
        #expect(try snapshot(copy) == before)
    }

    @Test("a superuser's SQL is refused unless the gate file allows it, with the reason; SELECT 1 names nothing and runs")
    func privilegedRoleRefused() throws {
        let folder = try TemporaryFolder(files: [
            "plain.yml": gateFile(["SELECT count(*) FROM users"], url: TestDatabase.adminURL("nestsync"), allowPrivileged: false),
            "allowed.yml": gateFile(["SELECT count(*) FROM users"], url: TestDatabase.adminURL("nestsync"), allowPrivileged: true),
            "constant.yml": gateFile(["SELECT 1"], url: TestDatabase.adminURL("nestsync"), allowPrivileged: false),
        ])
        let refused = try Binary.run(["run", "--config", "plain.yml", "--target", "staging"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("refused to run a gate's SQL as 'qg_admin' (superuser, REPLICATION, BYPASSRLS, pg_execute_server_program"))
        #expect(refused.stdout.contains("Connect as a dedicated read-only role"))
        #expect(try Binary.run(["run", "--config", "allowed.yml", "--target", "staging"], in: folder).status == 0)
        #expect(try Binary.run(["run", "--config", "constant.yml", "--target", "staging"], in: folder).status == 0)
    }

    @Test("a REPLICATION role and a role with EXECUTE on dblink_exec are refused free-form SQL", arguments: ["REPLICATION", "dblink"])
    func otherPrivilegedRoles(power: String) throws {
        let copy = try seed()
        let role = "qg_role_\(UInt32.random(in: 0...UInt32.max))"
        try TestDatabase.psql("CREATE ROLE \(role) LOGIN PASSWORD 'role-pw'\(power == "REPLICATION" ? " REPLICATION" : "")")
        defer {
            _ = try? copy.psql("DROP OWNED BY \(role)")
            _ = try? TestDatabase.psql("DROP OWNED BY \(role); DROP ROLE IF EXISTS \(role)")
        }
        try copy.psql("GRANT CONNECT ON DATABASE \(copy.name) TO \(role); GRANT USAGE ON SCHEMA public TO \(role); GRANT SELECT ON users TO \(role)")
        if power == "REPLICATION" {
            try copy.psql("REVOKE EXECUTE ON FUNCTION dblink_exec(text), dblink_exec(text, text), dblink_exec(text, boolean), dblink_exec(text, text, boolean), dblink_connect(text), dblink_connect(text, text) FROM PUBLIC")
        }
        let url = "postgresql://\(role):role-pw@127.0.0.1:\(TestDatabase.port)/\(copy.name)"
        let run = try runCheck(copy, "query: SELECT count(*) AS n FROM users", url: url)
        #expect(run.status == 1)
        let expected = power == "REPLICATION" ? "(REPLICATION)" : "(may EXECUTE dblink_connect, dblink_exec)"
        #expect(run.stdout.contains("refused to run a gate's SQL as '\(role)' \(expected)"), "\(run.stdout)")
    }

    @Test("a stopped run cancels its statement on the server: 2 s after the exit, no statement of the run is left",
          arguments: ["SIGTERM", "SIGINT", "deadline"])
    func stopCancelsStatements(how: String) throws {
        let application = "qg-stop-\(UInt32.random(in: 0...UInt32.max))"
        let url = TestDatabase.appURL() + "?application_name=\(application)"
        let gate = "gates:\n  db:\n    title: Database\n    severity: P0\n    checks:\n"
            + "      - {name: sleeps, kind: postgres, url: \"\(url)\", query: \"SELECT pg_sleep(3600)\", timeout: 600s}\n"
        let folder = try TemporaryFolder(files: ["sleep.yml": gate])
        let sessions = "SELECT count(*) FROM pg_stat_activity WHERE application_name = '\(application)'"
        let running = sessions + " AND query LIKE '%pg_sleep(3600)%' AND state = 'active'"
        var arguments = ["run", "--config", "sleep.yml", "--target", "staging", "--history", "none"]
        if how == "deadline" { arguments += ["--deadline", "3"] }
        let run = try Binary.run(arguments, in: folder, timeout: 60) { process in
            var tries = 0
            while (try? TestDatabase.psql(running)) != "1", tries < 200 {
                Thread.sleep(forTimeInterval: 0.02)
                tries += 1
            }
            if how != "deadline" { kill(process.processIdentifier, how == "SIGTERM" ? SIGTERM : SIGINT) }
        }
        let exited = Date()
        #expect(run.status == (how == "SIGTERM" ? 143 : how == "SIGINT" ? 130 : 2) || (how == "deadline" && run.status == 1), "\(run.stdout)\(run.stderr)")
        #expect(run.seconds < 15)
        var left = try TestDatabase.psql(sessions)
        while left != "0", Date().timeIntervalSince(exited) < 2 {
            Thread.sleep(forTimeInterval: 0.05)
            left = try TestDatabase.psql(sessions)
        }
        #expect(left == "0", "a session of the run is still on the server 2 s after the exit")
        #expect(FileManager.default.fileExists(atPath: folder.path("reports/junit.xml")))
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
