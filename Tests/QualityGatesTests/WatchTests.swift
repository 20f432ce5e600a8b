import Foundation
import TestSupport
import Testing

/// `quality-gates watch`: incidents opened and resolved once, alerts through a real receiver,
/// the state in the history across processes, and a prompt stop on SIGTERM.
@Suite(.serialized)
struct WatchTests {
    static func gates(_ port: Int) -> String {
        """
        alerts:
          channels:
            chat: {kind: slack, url: "http://127.0.0.1:\(port)/services/x"}
          route: {P1: [chat]}
        gates:
          region:
            title: Data region
            severity: P1
            runbook: ["Set DATA_REGION to a Canadian region"]
            checks:
              - {name: region set, kind: env, variable: WATCHED_REGION}

        """
    }

    @Test("a failing gate opens one incident and one alert; the next watch (a new process) does not alert again; passing again resolves it with one more",
          .enabled(if: AlertTests.python != nil, "scripts/test sets QG_TEST_PYTHON"))
    func incidents() async throws {
        let folder = try TemporaryFolder()
        let receiver = try AlertTests.Receiver(status: 200, folder: folder)
        try folder.write("gates.yml", Self.gates(receiver.port))
        func watch(_ environment: [String: String] = [:]) async throws -> ProcessRunner.Result {
            try await offPool {
                try Binary.run(["watch", "--once", "--config", "gates.yml", "--target", "build", "--history", "reports/history.sqlite"],
                               in: folder, environment: environment)
            }
        }
        let first = try await watch()
        #expect(first.status == 1, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("alert region via chat: HTTP 200"), "\(first.stdout)")
        #expect(receiver.requests.count == 1)
        let trigger = receiver.requests.first.flatMap { $0["body"] as? String } ?? ""
        #expect(trigger.contains("[P1] Data region (region): failing") && trigger.contains("Set DATA_REGION to a Canadian region"), "\(trigger)")
        let second = try await watch()
        #expect(second.status == 1)
        #expect(receiver.requests.count == 1, "the incident is open: no second alert")
        let third = try await watch(["WATCHED_REGION": "ca-central-1"])
        #expect(third.status == 0, "\(third.stdout)\(third.stderr)")
        #expect(third.stdout.contains("resolved region via chat: HTTP 200"), "\(third.stdout)")
        #expect(receiver.requests.count == 2)
        let resolve = receiver.requests.last.flatMap { $0["body"] as? String } ?? ""
        #expect(resolve.contains("resolved") && resolve.contains("passing again after"), "\(resolve)")
    }

    @Test("consecutive: 2 opens the incident on the second failing run in a row, counted in the history across processes; every: and consecutive: are checked when the gate file loads",
          .enabled(if: AlertTests.python != nil, "scripts/test sets QG_TEST_PYTHON"))
    func consecutiveFailures() async throws {
        let folder = try TemporaryFolder()
        let receiver = try AlertTests.Receiver(status: 200, folder: folder)
        try folder.write("gates.yml", Self.gates(receiver.port).replacingOccurrences(of: "    severity: P1\n", with: "    severity: P1\n    every: 30s\n    consecutive: 2\n"))
        func watch() async throws -> ProcessRunner.Result {
            try await offPool { try Binary.run(["watch", "--once", "--config", "gates.yml", "--target", "build", "--history", "reports/history.sqlite"], in: folder) }
        }
        let first = try await watch()
        #expect(first.status == 1, "\(first.stderr)")
        #expect(receiver.requests.isEmpty, "one failing run is not yet an incident")
        _ = try await watch()
        #expect(receiver.requests.count == 1, "the second failing run in a row opens it")
        try folder.write("bad.yml", "gates:\n  g:\n    title: G\n    severity: P1\n    every: soon\n    consecutive: 0\n    checks: [{name: c, kind: env, variable: PATH}]\n")
        let lint = try await offPool { try Binary.run(["lint", "--config", "bad.yml"], in: folder) }
        #expect(lint.status == 2)
        #expect(lint.stderr.contains("bad.yml:5:12: invalid 'every': 'soon': a duration of a second or more"), "\(lint.stderr)")
    }

    @Test("repeat_after alerts an incident still open again once its last alert is that old; success_threshold resolves it only after that many passing runs in a row",
          .enabled(if: AlertTests.python != nil, "scripts/test sets QG_TEST_PYTHON"))
    func repeatAndResolve() async throws {
        let folder = try TemporaryFolder()
        let receiver = try AlertTests.Receiver(status: 200, folder: folder)
        try folder.write("gates.yml", Self.gates(receiver.port).replacingOccurrences(of: "  route: {P1: [chat]}\n",
                                                                                   with: "  route: {P1: [chat]}\n  repeat_after: 1h\n  success_threshold: 2\n"))
        func watch(_ environment: [String: String] = [:]) async throws {
            _ = try await offPool {
                try Binary.run(["watch", "--once", "--config", "gates.yml", "--target", "build", "--history", "reports/history.sqlite"],
                               in: folder, environment: environment)
            }
        }
        try await watch()
        #expect(receiver.requests.count == 1)
        try await watch()
        #expect(receiver.requests.count == 1, "its last alert is not an hour old yet")
        // An hour passes: the incident's last alert is made older in the history, not waited for
        // (wall-clock waits made this test depend on the machine's load).
        let history = folder.path("reports/history.sqlite")
        let aged = try await offPool {
            try ProcessRunner.run(AlertTests.python!, ["-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                                                       + "c.execute('UPDATE qg_incidents SET alerted_at = alerted_at - 3601'); c.commit()", history])
        }
        #expect(aged.status == 0, "\(aged.stderr)")
        try await watch()
        #expect(receiver.requests.count == 2, "repeated after repeat_after")
        try await watch(["WATCHED_REGION": "ca-central-1"])
        #expect(receiver.requests.count == 2, "one passing run is not yet enough")
        try await watch(["WATCHED_REGION": "ca-central-1"])
        #expect(receiver.requests.count == 3)
        #expect((receiver.requests.last?["body"] as? String)?.contains("resolved") == true)
    }

    @Test("a channel's rate_limit holds the alerts past it in the outbox, sent when a slot frees; none is dropped",
          .enabled(if: AlertTests.python != nil, "scripts/test sets QG_TEST_PYTHON"))
    func rateLimit() async throws {
        let folder = try TemporaryFolder()
        let receiver = try AlertTests.Receiver(status: 200, folder: folder)
        let gates = (1...3).map { "  region\($0):\n    title: Region \($0)\n    severity: P1\n    checks: [{name: set, kind: env, variable: WATCHED_REGION}]\n" }
        try folder.write("gates.yml", """
            alerts:
              channels:
                chat: {kind: slack, url: "http://127.0.0.1:\(receiver.port)/services/x", rate_limit: 2/1h}
              route: {P1: [chat]}
            gates:
            \(gates.joined())
            """)
        let history = folder.path("reports/history.sqlite")
        func watch() async throws -> ProcessRunner.Result {
            try await offPool { try Binary.run(["watch", "--once", "--config", "gates.yml", "--target", "build", "--history", history], in: folder) }
        }
        let first = try await watch()
        #expect(receiver.requests.count == 2, "two alerts an hour: \(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("waits for the channel's rate limit (2 per 60 min)"), "\(first.stdout)")
        func sql(_ statement: String) async throws -> String {
            try await offPool {
                try ProcessRunner.run(AlertTests.python!, ["-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                                                           + "print(c.execute(sys.argv[2]).fetchall()); c.commit()", history, statement])
            }.stdout
        }
        #expect(try await sql("SELECT count(*) FROM qg_alerts WHERE delivered_at IS NULL AND failed_at IS NULL") == "[(1,)]\n", "the third waits")
        _ = try await watch()
        #expect(receiver.requests.count == 2, "the hour has not passed")
        // The hour passes: the two deliveries are made older in the history, not waited for.
        _ = try await sql("UPDATE qg_alerts SET delivered_at = delivered_at - 3601, next_attempt_at = next_attempt_at - 3601")
        _ = try await watch()
        #expect(receiver.requests.count == 3, "the held alert went once a slot freed")
        let bodies = receiver.requests.compactMap { $0["body"] as? String }
        #expect(Set(["region1", "region2", "region3"].filter { gate in bodies.contains { $0.contains("(\(gate))") } }).count == 3, "\(bodies)")
    }

    @Test("SIGTERM ends a watch within 2 s, between runs")
    func stopsOnSignal() async throws {
        let folder = try TemporaryFolder(files: ["gates.yml": """
            gates:
              path:
                title: Path
                severity: P0
                checks:
                  - {name: path set, kind: env, variable: PATH}

            """])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["watch", "--config", "gates.yml", "--target", "build", "--history", "none"]
        process.currentDirectoryURL = folder.url
        process.environment = Binary.environment()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first run writes its report; then the watch waits a minute for the next.
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: folder.path("reports/report.json")) {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(FileManager.default.fileExists(atPath: folder.path("reports/report.json")))
        // Timed on the waiting thread: the test's own task may resume late on a busy test pool.
        let took = try await offPool { () -> Double? in
            let signalled = Date()
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<500 where process.isRunning { Thread.sleep(forTimeInterval: 0.01) }
            return process.isRunning ? nil : Date().timeIntervalSince(signalled)
        }
        if took == nil { kill(process.processIdentifier, SIGKILL) }
        #expect(took != nil, "the watch was still running 5 s after SIGTERM")
        #expect((took ?? 99) < 2, "took \(took ?? 99) s")
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
