import Foundation
@testable import QualityGates
import TestSupport
import Testing

/// The run history in a real PostgreSQL database (`--history postgres://…`). In DatabaseGateTests'
/// suite, so never at the same time as its test that holds every connection slot.
extension DatabaseGateTests {
    /// A throw-away database the application role owns, as a history database would be set up.
    final class HistoryDatabase: @unchecked Sendable {
        let name = "qg_history_\(UInt32.random(in: 0...UInt32.max))"
        var url: String { TestDatabase.appURL(name) }
        init() throws { try TestDatabase.psql("CREATE DATABASE \(name) OWNER nestsync_app") }
        deinit { _ = try? TestDatabase.psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    }

    @Test("many runs appended at once to one PostgreSQL history, by threads and by processes, lose no row")
    func postgresConcurrentAppends() throws {
        let database = try HistoryDatabase()
        let threads = 6, perThread = 20, processes = 4
        let folder = try TemporaryFolder(files: ["gates.yml": gateFile(checks: "      - {name: always, kind: env, variable: PATH}")])
        // Everyone starts on an empty database: the tables are made once, under the advisory lock.
        let binaries = try (0..<processes).map { _ in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Binary.path)
            process.arguments = ["run", "--config", "gates.yml", "--history", database.url, "--junit", "/dev/null", "--json", "/dev/null", "--markdown", "/dev/null"]
            process.currentDirectoryURL = folder.url
            process.environment = Binary.environment()
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return process
        }
        let url = database.url
        let failures = appendFromThreads(threads, perThread) { try HistoryStore(location: url) }
        binaries.forEach { $0.waitUntilExit() }
        #expect(failures.isEmpty, "\(failures)")
        #expect(binaries.allSatisfy { $0.terminationStatus == 0 })
        let store = try HistoryStore(location: database.url)
        #expect(store.location == "127.0.0.1:\(TestDatabase.port)/\(database.name)")
        #expect(try store.runCount(target: .build) == threads * perThread + processes)
        #expect(try store.executions(target: .build, runs: 1000, gate: "g").count == threads * perThread + processes)  // the binaries' gate is g too
        #expect(try TestDatabase.psql("SELECT count(*) FROM qg_measurements", database: database.name) == "\(threads * perThread)")
        // `history` reads the database too, naming it without the password.
        let shown = try Binary.run(["history", "--history", database.url, "--runs", "1000"], in: folder)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.hasPrefix("Last 1000 build runs in 127.0.0.1:\(TestDatabase.port)/\(database.name), oldest first"), "\(shown.stdout)")
        #expect(shown.stdout.contains("  ✓✓✓✓  always\n"), "\(shown.stdout)")
        #expect(shown.stdout.contains("  " + String(repeating: "✓", count: threads * perThread) + "  c\n"), "\(shown.stdout)")
        #expect(!shown.stdout.contains(TestDatabase.appPassword))
    }

    @Test("a PostgreSQL history answers as a SQLite history seeded the same way; retention holds")
    func postgresMatchesSQLite() throws {
        let database = try HistoryDatabase()
        let folder = try TemporaryFolder()
        let stores = [try HistoryStore(location: database.url), try HistoryStore(path: folder.path("h.sqlite"))]
        let outcomes = ["passed", "failed", "passed", "errored", "skipped", "passed", "passed", "failed", "passed", "passed", "passed", "passed"]
        for store in stores {
            for (index, outcome) in outcomes.enumerated() {
                try store.appendExampleRun("auth/sign-in \(outcome) auth_time=\(100 + index * 7) auth_p95=\(Double(index) / 3)", index: index)
                try store.appendExampleRun("db/connect passed connect_time=\(index)", index: 100 + index)
            }
        }
        let (postgres, sqlite) = (stores[0], stores[1])
        #expect(try postgres.executions(target: .build, runs: 10, gate: nil) .map(\.outcome) == sqlite.executions(target: .build, runs: 10, gate: nil).map(\.outcome))
        #expect(try postgres.series(target: .build, runs: 30, gate: "auth", check: "sign-in") == sqlite.series(target: .build, runs: 30, gate: "auth", check: "sign-in"))
        #expect(try postgres.overview(target: .build, runs: 24).map(\.outcomes) == sqlite.overview(target: .build, runs: 24).map(\.outcomes))
        #expect(try postgres.series(target: .build, runs: 30, gate: "auth", check: nil)[.init(check: "sign-in", measurement: "auth_p95")]?[4] == 4.0 / 3)

        let report = RunReport(tool: "t", target: .build, startedAt: Date(), durationSeconds: 0, gates: [])
        try postgres.append(report, runID: "newest", commit: "abc123", retention: 5)
        #expect(try postgres.runCount(target: .build) == 5)
        #expect(try TestDatabase.psql("SELECT count(*) FROM qg_results", database: database.name) == "4")
        #expect(try TestDatabase.psql("SELECT git_commit FROM qg_runs ORDER BY id DESC LIMIT 1", database: database.name) == "abc123")
    }

    @Test("with the history in the application's database, the run writes the qg_ tables and nothing else")
    func postgresHistoryWritesOnlyItsTables() throws {
        let copy = try TestDatabase.Copy("history")
        let folder = try TemporaryFolder()
        func run() throws -> ProcessRunner.Result {
            try Binary.run(["run", "--config", Paths.packageRoot.appendingPathComponent("gates/nestsync.yml").path,
                            "--project-root", Paths.packageRoot.appendingPathComponent("examples/nestsync").path,
                            "--target", "staging", "--only", Self.databaseGates, "--history", copy.appURL],
                           in: folder, environment: ["DATABASE_URL": copy.appURL], timeout: 60)
        }
        let snapshot = """
            SELECT string_agg(c.relname || ':' || c.relkind::text, ' ' ORDER BY c.relname) FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace
            """
        let checksums = """
            SELECT string_agg(t.table_name || '=' || (xpath('/row/c/text()', query_to_xml(
              format('SELECT md5(coalesce(string_agg(x::text, '','' ORDER BY x::text), '''')) AS c FROM public.%I x', t.table_name),
              false, true, '')))[1]::text, ' ' ORDER BY t.table_name)
            FROM information_schema.tables t WHERE t.table_schema = 'public' AND t.table_name NOT LIKE 'qg\\_%'
            """
        let (relationsBefore, contentBefore) = (try copy.psql(snapshot), try copy.psql(checksums))

        // The application role may not create tables in public (PostgreSQL 15's default): a clear
        // error, the gates still ran and the reports were written.
        let refused = try run()
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("error: the history database: 127.0.0.1:\(TestDatabase.port)/\(copy.name): permission denied for schema public [42501]"),
                "\(refused.stderr)")
        #expect(folder.read("reports/junit.xml").contains("<testsuites"))
        #expect(!refused.stderr.contains(TestDatabase.appPassword) && !refused.stdout.contains(TestDatabase.appPassword))

        try copy.psql("GRANT CREATE ON SCHEMA public TO nestsync_app")
        for _ in 0..<2 { #expect(try run().status == 0) }
        let relationsAfter = try copy.psql(snapshot)
        let added = Set(relationsAfter.split(separator: " ")).subtracting(relationsBefore.split(separator: " "))
        #expect(!added.isEmpty && added.allSatisfy { $0.hasPrefix("qg_") }, "\(added)")
        #expect(Set(relationsBefore.split(separator: " ")).isSubset(of: relationsAfter.split(separator: " ")))
        #expect(try copy.psql(checksums) == contentBefore)
        #expect(try copy.psql("SELECT count(*) FROM qg_runs") == "2")
    }

    @Test("an unreachable PostgreSQL history is one line on stderr and exit 2, without the password; the reports are written")
    func postgresHistoryUnreachable() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": gateFile(checks: "      - {name: always, kind: env, variable: PATH}")])
        let result = try Binary.run(["run", "--config", "gates.yml", "--history", "postgresql://ci:hunter2-secret@127.0.0.1:1/history"], in: folder)
        #expect(result.status == 2)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors == ["error: the history database: cannot connect to 127.0.0.1:1/history: connection refused (is PostgreSQL running and listening there?); check the --history URL, or use --history none"],
                "\(result.stderr)")
        #expect(!(result.stdout + result.stderr + folder.read("reports/report.json")).contains("hunter2"))
        #expect(folder.read("reports/report.json").contains("\"always\""))
    }
}
