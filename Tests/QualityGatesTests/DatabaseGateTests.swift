import Foundation
import Postgres
@testable import QualityGates
import TestSupport
import Testing

/// The NestSync pack's database gates against a real PostgreSQL: healthy, and each fault a
/// responder meets. Serialized, so the planted faults and copies stay few at a time.
@Suite(.serialized, .enabled(if: TestDatabase.available, "scripts/test starts PostgreSQL"))
struct DatabaseGateTests {
    static let databaseGates = "db_health,pipeda_compliance,migration_head"

    struct Run {
        let result: ProcessRunner.Result
        let report: RunReport
        let outputs: [String]

        func check(_ gate: String, _ name: String) -> CheckReport? {
            report.gates.first { $0.id == gate }?.checks.first { $0.name == name }
        }
    }

    private func runPack(databaseURL: String, project: URL = Paths.packageRoot.appendingPathComponent("examples/nestsync"),
                         target: String = "staging", only: String = databaseGates) throws -> Run {
        let folder = try TemporaryFolder()
        let result = try Binary.run(["run", "--config", Paths.packageRoot.appendingPathComponent("gates/nestsync.yml").path,
                                     "--project-root", project.path, "--target", target, "--only", only],
                                    in: folder, environment: ["DATABASE_URL": databaseURL], timeout: 60)
        let report = try JSONReporter.decode(Array(folder.read("reports/report.json").utf8))
        let outputs = [result.stdout, result.stderr, folder.read("reports/junit.xml"), folder.read("reports/report.json"),
                       folder.read("reports/summary.md")]
        for output in outputs { #expect(!output.contains(TestDatabase.appPassword), "the database password leaked") }
        return Run(result: result, report: report, outputs: outputs)
    }

    @Test("the healthy database passes db_health, pipeda_compliance and migration_head")
    func healthy() throws {
        let run = try runPack(databaseURL: TestDatabase.appURL())
        #expect(run.result.status == 0, "\(run.result.stdout)")
        #expect(run.report.gates.map(\.status) == [.passed, .passed, .passed])
        #expect(run.check("db_health", "accepts connections")?.measurements.first?.name == "connect_time")
    }

    @Test("server down: one failure in db_health, the checks that need it skipped")
    func serverDown() throws {
        let run = try runPack(databaseURL: "postgresql://nestsync_app:\(TestDatabase.appPassword)@127.0.0.1:1/nestsync")
        #expect(run.result.status == 1)
        let failed = run.report.allChecks.filter { $0.outcome == .failed || $0.outcome == .errored }
        #expect(failed.map(\.name) == ["accepts connections"])
        #expect(failed.first?.message.contains("connection refused (is PostgreSQL running and listening there?)") == true)
        #expect(run.check("db_health", "critical tables")?.message == "needs 'accepts connections', which failed")
        #expect(run.check("pipeda_compliance", "notification consent columns")?.message == "needs 'db_health/critical tables', which was skipped")
        #expect(run.check("migration_head", "single head")?.outcome == .passed)
    }

    @Test("wrong password")
    func wrongPassword() throws {
        let run = try runPack(databaseURL: TestDatabase.appURL(password: "not-the-password"))
        #expect(run.check("db_health", "accepts connections")?.message.contains("authentication failed") == true)
        #expect(run.result.status == 1)
        for output in run.outputs { #expect(!output.contains("not-the-password")) }
    }

    @Test("a run that ends while checks started beside their failed need are still connecting exits cleanly: 30 runs with a wrong password each exit 1",
          arguments: [["run", "--history", "none", "--html", "none"], ["watch", "--once", "--history", "none", "--reports", "watch-reports"]])
    func exitWhileChecksConnect(_ command: [String]) throws {
        // The checks that need "accepts connections" start beside it and are still inside libpq
        // (SCRAM, OpenSSL) when it fails and the verdict is known. exit()'s handlers freed
        // OpenSSL under them: one run in four crashed with SIGSEGV (status 11), and one
        // `watch --once` in ten. No history: the shorter the run's end, the wider the window.
        let folder = try TemporaryFolder()
        var statuses: [Int32] = []
        for _ in 0..<30 {
            let run = try Binary.run(command + ["--config", Paths.packageRoot.appendingPathComponent("gates/nestsync.yml").path,
                                                "--project-root", Paths.packageRoot.appendingPathComponent("examples/nestsync").path,
                                                "--target", "staging", "--only", Self.databaseGates],
                                     in: folder, environment: ["DATABASE_URL": TestDatabase.appURL(password: "not-the-password")], timeout: 60)
            statuses.append(run.status)
        }
        #expect(statuses == Array(repeating: 1, count: 30), "\(statuses)")
    }

    @Test("database missing")
    func databaseMissing() throws {
        let run = try runPack(databaseURL: TestDatabase.appURL("nestsync_gone"))
        #expect(run.check("db_health", "accepts connections")?.message.contains("/nestsync_gone: the database does not exist") == true)
    }

    @Test("table children dropped")
    func childrenDropped() throws {
        let copy = try TestDatabase.Copy("children")
        try copy.psql("DROP TABLE children")
        let run = try runPack(databaseURL: copy.appURL)
        #expect(run.check("db_health", "critical tables")?.message == "missing table: public.children (3 of 4 present)")
        #expect(run.report.gates.first { $0.id == "db_health" }?.status == .failed)
    }

    @Test("a PIPEDA consent column dropped")
    func consentColumnDropped() throws {
        let copy = try TestDatabase.Copy("pipeda")
        try copy.psql("ALTER TABLE notification_preferences DROP COLUMN marketing_consent_granted")
        let run = try runPack(databaseURL: copy.appURL)
        #expect(run.check("pipeda_compliance", "notification consent columns")?.message
                == "public.notification_preferences: missing column marketing_consent_granted")
        #expect(run.result.status == 1)
    }

    @Test("pool exhausted: every connection the database allows is held")
    func poolExhausted() throws {
        // A copy with a CONNECTION LIMIT of its own: the server's other slots stay free for the
        // suites running beside this one. The refusal is 53300, as at max_connections.
        let copy = try TestDatabase.Copy("pool")
        try TestDatabase.psql("ALTER DATABASE \(copy.name) CONNECTION LIMIT 3")
        var held: [PostgresConnection] = []
        defer { held.forEach { $0.close() } }
        while held.count < 10 {
            do {
                held.append(try PostgresConnection.connect(copy.appURL, connectTimeout: 5))
            } catch {
                #expect(error.kind == .tooManyClients, "\(error)")
                break
            }
        }
        #expect(held.count == 3)
        let run = try runPack(databaseURL: copy.appURL, only: "db_health")
        let message = run.check("db_health", "accepts connections")?.message ?? ""
        #expect(message.contains("connection pool exhausted at 127.0.0.1:\(TestDatabase.port)/\(copy.name): every connection slot is taken [53300]"), "\(message)")
        #expect(run.check("db_health", "connection headroom")?.outcome == .skipped)
    }

    @Test("alembic_version two revisions behind")
    func migrationsBehind() throws {
        let copy = try TestDatabase.Copy("behind")
        try copy.psql("UPDATE alembic_version SET version_num = '002'")
        let run = try runPack(databaseURL: copy.appURL)
        #expect(run.check("migration_head", "database at head")?.message
                == "2 revisions pending: 003_consent_records → 004_notification_preferences (database at 002); run `alembic upgrade head`")
    }

    @Test("alembic_version naming an unknown revision")
    func unknownRevision() throws {
        let copy = try TestDatabase.Copy("unknown")
        try copy.psql("UPDATE alembic_version SET version_num = 'f00dbabe'")
        let run = try runPack(databaseURL: copy.appURL)
        #expect(run.check("migration_head", "database at head")?.message.hasPrefix("the database is at revision f00dbabe, which no file in") == true)
    }

    @Test("two heads in the versions folder fail the build target")
    func twoHeads() throws {
        let folder = try TemporaryFolder()
        let project = folder.url.appendingPathComponent("project")
        try FileManager.default.copyItem(at: Paths.packageRoot.appendingPathComponent("examples/nestsync"), to: project)
        try folder.write("project/NestSync-backend/alembic/versions/004b_growth_charts.py",
                         "\"\"\"growth charts\"\"\"\nrevision = \"004b\"\ndown_revision = \"003\"\nbranch_labels = None\ndepends_on = None\n")
        let run = try runPack(databaseURL: "unused", project: project, target: "build", only: "migration_head")
        #expect(run.result.status == 1)
        #expect(run.check("migration_head", "single head")?.message
                == "2 heads: 004 (NestSync-backend/alembic/versions/004_notification_preferences.py), 004b (NestSync-backend/alembic/versions/004b_growth_charts.py); run `alembic merge heads`")
    }
}
