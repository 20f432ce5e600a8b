import Foundation
import Postgres
@testable import QualityGates
import TestSupport
import Testing

/// `scripts/staging-twin` as the README walks through it: up, a passing staging run, a planted
/// fault caught by the right gate, down with nothing left running. Its own state folder, so a
/// developer's twin is left alone; a PostgreSQL server of its own.
@Suite(.enabled(if: TestDatabase.available, "scripts/test installs PostgreSQL and the venv the twin uses"))
struct StagingTwinTests {
    @Test("staging-twin up, then run-quality-gates --target staging exits 0; a dropped PIPEDA column exits 1 in pipeda_compliance; down stops everything")
    func walkThrough() async throws {
        let folder = try TemporaryFolder()
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("QG_TEST_PG") }
            .merging(["QG_TWIN_DIR": folder.path("twin"), "QG_BINARY": Binary.path, "NO_COLOR": "1"]) { $1 }
        @Sendable func script(_ name: String, _ arguments: [String]) async throws -> ProcessRunner.Result {
            try await offPool {
                try ProcessRunner.run(Paths.packageRoot.appendingPathComponent("scripts/\(name)").path, arguments,
                                      environment: environment, directory: Paths.packageRoot, timeout: 120)
            }
        }
        func runGates() async throws -> (ProcessRunner.Result, RunReport) {
            let result = try await script("run-quality-gates", ["--target", "staging", "--history", "none", "--junit", folder.path("junit.xml"),
                                                          "--json", folder.path("report.json"), "--markdown", folder.path("summary.md")])
            return (result, try JSONReporter.decode(Array(folder.read("report.json").utf8)))
        }
        defer {
            // Whatever failed above, nothing of the twin stays running.
            _ = try? ProcessRunner.run(Paths.packageRoot.appendingPathComponent("scripts/staging-twin").path, ["down"],
                                       environment: environment, directory: Paths.packageRoot, timeout: 60)
        }

        let up = try await script("staging-twin", ["up"])
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stderr.contains("Check it:  scripts/run-quality-gates --target staging"))
        let state = folder.read("twin/state")
        let pids = state.split(separator: "\n").filter { $0.contains("_PID='") }.compactMap { Int32($0.split(separator: "'").last ?? "") }
        #expect(pids.count == 2, "\(state)")
        let postgresPort = try #require(state.split(separator: "\n").first { $0.hasPrefix("QG_PG_PORT=") }?.split(separator: "'").last)

        let (healthy, healthyReport) = try await runGates()
        #expect(healthy.status == 0, "\(healthy.stdout)\n\(healthy.stderr)")
        #expect(healthy.stderr.contains("checking the staging twin: --env-file \(folder.path("twin"))/staging.env"))
        let ran = healthyReport.allChecks.filter { $0.outcome == .passed }.map(\.name)
        for check in ["accepts connections", "sign-in works", "critical resolvers live", "dashboard p95 under 3 s", "notification consent columns"] {
            #expect(ran.contains(check), "\(check) did not pass: \(ran)")
        }

        let fault = try await script("staging-twin", ["fault", "drop-consent-column"])
        #expect(fault.status == 0, "\(fault.stderr)")
        let (broken, brokenReport) = try await runGates()
        #expect(broken.status == 1)
        #expect(brokenReport.gates.filter { $0.status != .passed && $0.status != .skipped }.map(\.id) == ["pipeda_compliance"])
        #expect(broken.stdout.contains("✗ notification consent columns: public.notification_preferences: missing column marketing_consent_granted"))
        for output in [broken.stdout, broken.stderr, folder.read("junit.xml")] {
            #expect(!output.contains("Shazam11#") && !output.contains("test-jwt-secret-7c2a"), "a twin secret leaked")
        }

        // The recorded ids are the servers themselves, not a shell around them that `down` would stop alone.
        let commands = pids.map { (try? String(contentsOfFile: "/proc/\($0)/cmdline", encoding: .utf8)) ?? "" }
        #expect(commands.contains { $0.contains("nestsync_backend.py") } && commands.contains { $0.contains("gotrue_server.py") }, "\(commands)")

        let down = try await script("staging-twin", ["down"])
        #expect(down.status == 0)
        #expect(!FileManager.default.fileExists(atPath: folder.path("twin")))
        for pid in pids { #expect(kill(pid, 0) != 0 || isZombie(pid), "process \(pid) still runs") }
        #expect(throws: PostgresError.self) { try PostgresConnection.connect("postgresql://x@127.0.0.1:\(postgresPort)/x", connectTimeout: 2) }

        // The other layout: its backend and its own migrations, checked on its own project.
        let railway = try await script("staging-twin", ["up", "--layout", "railway"])
        #expect(railway.status == 0, "\(railway.stderr)")
        #expect(railway.stderr.contains("--project-root examples/nestsync-railway"))
        let (railwayRun, railwayReport) = try await runGates()
        #expect(railwayRun.status == 0, "\(railwayRun.stdout)\n\(railwayRun.stderr)")
        #expect(railwayRun.stderr.contains("--project-root \(Paths.packageRoot.path)/examples/nestsync-railway"))
        #expect(railwayReport.allChecks.first { $0.name == "dashboard p95 under 3 s" }?.outcome == .passed)
        #expect(railwayReport.allChecks.first { $0.name == "database at head" }?.message.contains("e7b3a5c9d018") == true)
        let behind = try await script("staging-twin", ["fault", "migrations-behind"])
        #expect(behind.stderr.contains("set back to a83d44c7e902"), "\(behind.stderr)")
        let (_, behindReport) = try await runGates()
        #expect(behindReport.gates.filter { $0.status == .failed || $0.status == .errored }.map(\.id) == ["migration_head"])
        #expect((try await script("staging-twin", ["down"])).status == 0)
    }

    private func isZombie(_ pid: Int32) -> Bool {
        ((try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? "").split(separator: " ").dropFirst(2).first == "Z"
    }
}
