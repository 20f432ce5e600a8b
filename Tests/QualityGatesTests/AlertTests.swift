import Foundation
import TestSupport
import Testing

/// The gate files' `alerts:` section and `quality-gates alert test`, against a real receiver on
/// 127.0.0.1 (Fixtures/alert_receiver.py).
@Suite(.serialized)
struct AlertTests {
    static let python = ProcessInfo.processInfo.environment["QG_TEST_PYTHON"]

    /// A receiver answering `status`; its log of requests.
    final class Receiver: @unchecked Sendable {
        let port = StrawberryServer.freePort()
        let log: String
        private let process = Process()

        convenience init(status: Int, folder: TemporaryFolder) throws {
            try self.init(status: String(status), folder: folder)
        }

        /// `status` as alert_receiver.py reads it: `200`, or `500x2,200` (the last repeats).
        init(status: String, folder: TemporaryFolder) throws {
            log = folder.path("received-\(port).jsonl")
            process.executableURL = URL(fileURLWithPath: AlertTests.python!)
            process.arguments = [Paths.fixtures.appendingPathComponent("alert_receiver.py").path, String(port), log, status]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<100 {
                let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                let connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                close(socket)
                if connected == 0 { break }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }

        deinit { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }

        var requests: [[String: Any]] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }
    }

    static func gates(_ port: Int) -> String {
        """
        secrets: [HOOK_TOKEN]
        alerts:
          channels:
            chat: {kind: slack, url: "http://127.0.0.1:\(port)/services/${SLACK_WEBHOOK_PATH}"}
            pager: {kind: pagerduty, routing_key: "${PAGERDUTY_ROUTING_KEY}", url: "http://127.0.0.1:\(port)/v2/enqueue"}
            hook: {kind: webhook, url: "http://127.0.0.1:\(port)/echo/hook", headers: {X-Token: "${HOOK_TOKEN}"}}
          route: {P0: [pager, chat], P1: [chat], P2: [hook]}
        gates:
          g:
            title: G
            severity: P1
            checks:
              - {name: path set, kind: env, variable: PATH}

        """
    }

    static let secrets = ["SLACK_WEBHOOK_PATH": "T000/B000/xoxsecretpart1234", "PAGERDUTY_ROUTING_KEY": "R0UT1NGKEY0123456789abcdef",
                          "HOOK_TOKEN": "hook-token-5566778899"]

    @Test("alert test sends one alert through each kind of channel, as its receiver expects it, and says what it answered; no secret in any output",
          .enabled(if: python != nil, "scripts/test sets QG_TEST_PYTHON"))
    func channels() async throws {
        let folder = try TemporaryFolder()
        let receiver = try Receiver(status: 202, folder: folder)
        try folder.write("gates.yml", Self.gates(receiver.port))
        func alert(_ channel: String, _ extra: [String] = []) async throws -> ProcessRunner.Result {
            try await offPool { try Binary.run(["alert", "test", channel, "--config", "gates.yml"] + extra, in: folder, environment: Self.secrets) }
        }
        let chat = try await alert("chat")
        #expect(chat.status == 0, "\(chat.stderr)")
        #expect(chat.stdout.contains("chat (slack) answered HTTP 202"))
        let pager = try await alert("pager", ["--severity", "P0"])
        #expect(pager.status == 0, "\(pager.stderr)")
        let hook = try await alert("hook")
        #expect(hook.status == 0, "\(hook.stderr)")
        let requests = receiver.requests
        #expect(requests.count == 3)
        let slack = try #require(requests.first { ($0["path"] as? String)?.hasPrefix("/services/") == true })
        #expect(slack["path"] as? String == "/services/T000/B000/xoxsecretpart1234")
        let slackBody = try #require(try JSONSerialization.jsonObject(with: Data((slack["body"] as? String ?? "").utf8)) as? [String: Any])
        #expect((slackBody["text"] as? String)?.contains("quality-gates test alert") == true)
        let events = try #require(requests.first { $0["path"] as? String == "/v2/enqueue" })
        let event = try #require(try JSONSerialization.jsonObject(with: Data((events["body"] as? String ?? "").utf8)) as? [String: Any])
        #expect(event["routing_key"] as? String == "R0UT1NGKEY0123456789abcdef")
        #expect(event["event_action"] as? String == "trigger")
        #expect(event["dedup_key"] as? String == "quality-gates/quality_gates_test")
        #expect((event["payload"] as? [String: Any])?["severity"] as? String == "critical")
        let webhook = try #require(requests.first { $0["path"] as? String == "/echo/hook" })
        #expect((webhook["headers"] as? [String: String])?["x-token"] == "hook-token-5566778899")
        // The receiver echoed the webhook's body: its answer is shown, its secrets masked.
        #expect(hook.stdout.contains("hook (webhook) answered HTTP 202: {"), "\(hook.stdout)")
        for output in [chat, pager, hook] {
            for secret in Self.secrets.values {
                #expect(!(output.stdout + output.stderr).contains(secret), "\(secret) in \(output.stdout)\(output.stderr)")
            }
        }
    }

    @Test("a receiver answering 500, an unset variable and an unknown channel are one-line errors with exit 2; a run needs none of the alert variables",
          .enabled(if: python != nil, "scripts/test sets QG_TEST_PYTHON"))
    func failures() async throws {
        let folder = try TemporaryFolder()
        let receiver = try Receiver(status: 500, folder: folder)
        try folder.write("gates.yml", Self.gates(receiver.port))
        let refused = try await offPool { try Binary.run(["alert", "test", "chat", "--config", "gates.yml"], in: folder, environment: Self.secrets) }
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("error: chat (slack) answered HTTP 500"), "\(refused.stderr)")
        let unset = try await offPool { try Binary.run(["alert", "test", "pager", "--config", "gates.yml"], in: folder) }
        #expect(unset.status == 2)
        #expect(unset.stderr.contains("PAGERDUTY_ROUTING_KEY"), "\(unset.stderr)")
        #expect(unset.stderr.split(separator: "\n").count == 1)
        let unknown = try await offPool { try Binary.run(["alert", "test", "phone", "--config", "gates.yml"], in: folder, environment: Self.secrets) }
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no alert channel 'phone' in gates.yml (it has: chat, hook, pager)"), "\(unknown.stderr)")
        let run = try await offPool { try Binary.run(["run", "--config", "gates.yml", "--history", "none"], in: folder) }
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    }

    @Test("a broken alerts section is refused where it is: an unknown kind, a route naming no channel (with the closest), a second section")
    func brokenSection() async throws {
        let unknownKind = "alerts:\n  channels:\n    chat: {kind: teams, url: x}\ngates:\n  g: {title: G, severity: P1, checks: [{name: c, kind: env, variable: PATH}]}\n"
        let badRoute = "alerts:\n  channels:\n    chat: {kind: slack, url: x}\n  route: {P0: [chta]}\ngates:\n  g: {title: G, severity: P1, checks: [{name: c, kind: env, variable: PATH}]}\n"
        let first = "alerts:\n  channels:\n    chat: {kind: slack, url: x}\ngates:\n  g: {title: G, severity: P1, checks: [{name: c, kind: env, variable: PATH}]}\n"
        let second = "alerts:\n  channels:\n    other: {kind: webhook, url: y}\ngates:\n  h: {title: H, severity: P1, checks: [{name: c, kind: env, variable: PATH}]}\n"
        let folder = try TemporaryFolder(files: ["kind.yml": unknownKind, "route.yml": badRoute, "first.yml": first, "second.yml": second])
        let kind = try await offPool { try Binary.run(["lint", "--config", "kind.yml"], in: folder) }
        #expect(kind.status == 2)
        #expect(kind.stderr.contains("kind.yml:3:") && kind.stderr.contains("'teams' is not one of slack, webhook, pagerduty, email"), "\(kind.stderr)")
        let route = try await offPool { try Binary.run(["lint", "--config", "route.yml"], in: folder) }
        #expect(route.stderr.contains("route.yml:4:") && route.stderr.contains("P0 names no channel 'chta'; did you mean 'chat'?"), "\(route.stderr)")
        let twice = try await offPool { try Binary.run(["lint", "--config", "first.yml", "--config", "second.yml"], in: folder) }
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("second.yml:2:3: invalid 'alerts': also defined in first.yml"), "\(twice.stderr)")
    }
}
