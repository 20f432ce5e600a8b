import Foundation
import Postgres
import TestSupport
import Testing

/// Two watchers on one PostgreSQL history share the work: each gate runs once per cadence, each
/// alert is sent once, and when one watcher is killed the other takes its gates. In
/// DatabaseGateTests' suite, so never beside its test that holds every connection slot.
extension DatabaseGateTests {
    /// An alerts section routing P0 to a chat channel on the receiver at `port`, with `extra` lines.
    static func chatAlerts(_ port: Int, _ extra: String = "") -> String {
        "alerts:\n  channels:\n    chat: {kind: slack, url: \"http://127.0.0.1:\(port)/services/x\"}\n  route: {P0: [chat]}\n" + extra
    }

    @Test("two watchers on one PostgreSQL history: every gate runs once per cadence, the failing gate's alert is sent once; killed, one watcher's gates are taken by the other within a cadence",
          .enabled(if: AlertTests.python != nil, "scripts/test sets QG_TEST_PYTHON"))
    func twoWatchersShareOneHistory() async throws {
        let database = try HistoryDatabase()
        let folder = try TemporaryFolder()
        let receiver = try AlertTests.Receiver(status: 200, folder: folder)
        try folder.write("gates.yml", """
            \(Self.chatAlerts(receiver.port))gates:
            \((1...3).map { "  ok\($0):\n    title: OK \($0)\n    severity: P1\n    checks: [{name: path, kind: env, variable: PATH}]\n" }.joined())
              region:
                title: Data region
                severity: P0
                checks: [{name: region set, kind: env, variable: WATCHED_REGION}]

            """)
        let cadence = 2.0
        func start(_ name: String) throws -> WatchProcess {
            try FileManager.default.createDirectory(atPath: folder.path(name), withIntermediateDirectories: true)
            return try WatchProcess(["--config", "gates.yml", "--target", "build", "--history", database.url, "--every", "2s",
                                     "--reports", name], in: folder, name: name)
        }
        let first = try start("first")
        let second = try start("second")
        _ = try await first.waitUntil(seconds: 9) { false }

        /// Every run of each gate: when it started (from the history both watchers append to).
        func runs() throws -> [String: [Double]] {
            let connection = try PostgresConnection.connect(database.url, connectTimeout: 5)
            defer { connection.close() }
            var runs: [String: [Double]] = [:]
            let rows = try connection.query("SELECT DISTINCT r.gate, s.started_at FROM qg_results r JOIN qg_runs s ON s.id = r.run ORDER BY 2", [],
                                            timeout: 10).rows
            for row in rows {
                if case .text(let gate) = row[0], case .double(let started) = row[1] { runs[gate, default: []].append(started) }
            }
            return runs
        }
        let shared = try runs()
        #expect(shared.keys.sorted() == ["ok1", "ok2", "ok3", "region"], "\(shared)")
        for (gate, starts) in shared {
            // Two watchers each running every gate would double these; one run per cadence is 9 s / 2 s, about 5.
            #expect((3...6).contains(starts.count), "\(gate) ran \(starts.count) times in 9 s: \(starts)")
            let gaps = zip(starts.dropFirst(), starts).map { $0 - $1 }
            #expect(gaps.allSatisfy { $0 > cadence * 0.75 }, "\(gate) ran twice within a cadence: \(gaps)")
        }
        #expect(receiver.requests.count == 1, "one alert for the region's incident, whichever watcher opened it: \(receiver.requests.count)")

        // The watcher that ran last is killed without a word; the other carries on with every gate.
        func lastRun(_ watch: WatchProcess) -> String { watch.stdout.split(separator: "\n").last { $0.contains(" ran ") }.map(String.init) ?? "" }
        let (victim, survivor) = lastRun(first) > lastRun(second) ? (first, second) : (second, first)
        #expect(!lastRun(victim).isEmpty, "\(victim.stdout)")
        kill(victim.process.processIdentifier, SIGKILL)
        let killedAt = Date().timeIntervalSince1970
        _ = try await survivor.waitUntil(seconds: 6) { false }
        let after = try runs()
        for gate in ["ok1", "ok2", "ok3", "region"] {
            let next = after[gate, default: []].first { $0 > killedAt }
            #expect(next.map { $0 - killedAt < cadence + 3 } == true, "\(gate) was not taken over within a cadence (and a lease): \(after[gate] ?? [])")
        }
        #expect(receiver.requests.count == 1, "the incident stays open: no second alert")
        #expect(try await survivor.terminate().status == 0)
    }
}

extension DatabaseGateTests {
    /// Fixtures/tcp_proxy.py in front of the test PostgreSQL: killed, the history is down.
    final class Proxy: @unchecked Sendable {
        let port = StrawberryServer.freePort()
        private var process: Process?

        init() throws { try start() }
        deinit { cut() }

        func start() throws {
            let process = Process()
            let ready = Pipe()
            process.executableURL = URL(fileURLWithPath: AlertTests.python!)
            process.arguments = [Paths.fixtures.appendingPathComponent("tcp_proxy.py").path, String(port), TestDatabase.port]
            process.standardOutput = ready
            process.standardError = FileHandle.nullDevice
            try process.run()
            _ = ready.fileHandleForReading.availableData
            self.process = process
        }

        func cut() {
            guard let process else { return }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            self.process = nil
        }
    }

    @Test("the history down mid-watch (it may be the database that is down): the gates go on, incidents are decided by the watcher and alerted straight to the channels, once each; back, the history takes over without a second alert",
          .enabled(if: AlertTests.python != nil, "scripts/test sets QG_TEST_PYTHON"))
    func historyOutage() async throws {
        let database = try HistoryDatabase()
        let proxy = try Proxy()
        let folder = try TemporaryFolder()
        let receiver = try AlertTests.Receiver(status: 200, folder: folder)
        try folder.write("gates.yml", """
            \(Self.chatAlerts(receiver.port, "  backoff: 200ms\n"))gates:
              site:
                title: Site up
                severity: P0
                checks: [{name: up, kind: file, path: up}]

            """)
        let history = database.url.replacingOccurrences(of: ":\(TestDatabase.port)/", with: ":\(proxy.port)/")
        let watch = try WatchProcess(["--config", "gates.yml", "--target", "build", "--history", history, "--every", "1s"], in: folder)
        @Sendable func bodies() -> [String] { receiver.requests.compactMap { $0["body"] as? String } }
        let up = folder.path("up")

        #expect(try await watch.waitUntil(seconds: 15) { bodies().count == 1 }, "\(watch.stdout)\(watch.stderr)")
        #expect(bodies().last?.contains("failing") == true)

        proxy.cut()
        try folder.write("up", "")
        #expect(try await watch.waitUntil(seconds: 15) { bodies().count == 2 }, "\(watch.stdout)\(watch.stderr)")
        #expect(bodies().last?.contains("resolved") == true, "the incident the history knew as open resolves")
        #expect(watch.stderr.contains("warning: the history cannot be reached"), "\(watch.stderr)")
        #expect(watch.stderr.components(separatedBy: "the history cannot be reached").count == 2, "said once: \(watch.stderr)")
        #expect(watch.stdout.contains("resolved site via chat (without the history): HTTP 200"), "\(watch.stdout)")
        try FileManager.default.removeItem(atPath: up)
        #expect(try await watch.waitUntil(seconds: 15) { bodies().count == 3 }, "\(watch.stdout)\(watch.stderr)")
        #expect(bodies().last?.contains("failing") == true)
        _ = try await watch.waitUntil(seconds: 3) { false }
        #expect(bodies().count == 3, "one alert a change, while the history is down")

        try proxy.start()
        #expect(try await watch.waitUntil(seconds: 20) { watch.stdout.contains("note: the history is back") }, "\(watch.stdout)\(watch.stderr)")
        _ = try await watch.waitUntil(seconds: 3) { false }
        #expect(bodies().count == 3, "the history knows the incident is open: no second alert")
        try folder.write("up", "")
        #expect(try await watch.waitUntil(seconds: 15) { bodies().count == 4 }, "\(watch.stdout)\(watch.stderr)")
        #expect(bodies().last?.contains("resolved") == true, "resolved through the history's outbox again")
        #expect(try await watch.terminate().status == 0)
        for said in ["the history cannot be reached", "the outbox of chat cannot be read", "the schedule in the history is unreachable"] {
            #expect(watch.stderr.components(separatedBy: said).count <= 2, "'\(said)' more than once an outage:\n\(watch.stderr)")
        }
    }
}
