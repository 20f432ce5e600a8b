import Foundation
import TestSupport
import Testing

/// `quality-gates watch` against the staging twin with the runbook's escalation policy and real
/// receivers: a webhook receiver for chat and PagerDuty's Events API, and an SMTP server (aiosmtpd)
/// that requires STARTTLS and a login. A P0 fault planted while the watch runs pages and posts once
/// within a cadence, never again while it lasts, and resolves once when removed; a P2 failure is one
/// email; a P3 failure waits for the digest, which also lists the resolution.
@Suite(.serialized, .enabled(if: TestDatabase.available && AlertTests.python != nil, "scripts/test installs PostgreSQL and the venv"))
struct WatchTwinTests {
    /// The SMTP server of Fixtures/smtp_receiver.py; its log of messages.
    final class MailReceiver: @unchecked Sendable {
        let port = StrawberryServer.freePort()
        let log: String
        let certificate: String
        private let process = Process()

        init(folder: TemporaryFolder, user: String, password: String) throws {
            log = folder.path("mail.jsonl")
            certificate = folder.path("smtp-cert.pem")
            let ready = Pipe()
            process.executableURL = URL(fileURLWithPath: AlertTests.python!)
            process.arguments = [Paths.fixtures.appendingPathComponent("smtp_receiver.py").path, String(port), log, certificate, user, password]
            process.standardOutput = ready
            process.standardError = FileHandle.nullDevice
            try process.run()
            _ = ready.fileHandleForReading.availableData  // "ready", once it listens
        }

        deinit { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }

        var messages: [[String: Any]] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }
    }

    @Test("a P0 fault planted while watch runs pages and posts once within a cadence and resolves once; a P2 failure is one email over STARTTLS with a login; P3 and the resolution arrive in the digest, which a restarted watcher sends without alerting anything again; no secret in any alert, email or log")
    func escalationPolicy() async throws {
        let folder = try TemporaryFolder()
        let twinEnvironment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("QG_TEST_PG") }
            .merging(["QG_TWIN_DIR": folder.path("twin"), "QG_BINARY": Binary.path, "NO_COLOR": "1"]) { $1 }
        @Sendable func twin(_ arguments: [String]) async throws -> ProcessRunner.Result {
            try await offPool {
                try ProcessRunner.run(Paths.packageRoot.appendingPathComponent("scripts/staging-twin").path, arguments,
                                      environment: twinEnvironment, directory: Paths.packageRoot, timeout: 120)
            }
        }
        defer {
            _ = try? ProcessRunner.run(Paths.packageRoot.appendingPathComponent("scripts/staging-twin").path, ["down"],
                                       environment: twinEnvironment, directory: Paths.packageRoot, timeout: 60)
        }
        let up = try await twin(["up"])
        try #require(up.status == 0, "\(up.stderr)")

        let secrets = ["SLACK_PATH": "T000/B000/slack-path-5c1e9a", "PD_KEY": "pd-routing-key-8b2f41d0", "SMTP_PASSWORD": "smtp-pass-3e7d9c21"]
        let hooks = try AlertTests.Receiver(status: 200, folder: folder)
        let mail = try MailReceiver(folder: folder, user: "qg", password: secrets["SMTP_PASSWORD"]!)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        /// The alerts section, with the digest at `digestAt` (seconds since the epoch; UTC time of day).
        func writeAlerts(digestAt time: Double) throws {
            let digestAt = Int(time) % 86_400
            try folder.write("alerts.yml", """
            alerts:
              channels:
                chat: {kind: slack, url: "http://127.0.0.1:\(hooks.port)/services/${SLACK_PATH}"}
                pager: {kind: pagerduty, routing_key: "${PD_KEY}", url: "http://127.0.0.1:\(hooks.port)/v2/enqueue"}
                email:
                  kind: email
                  url: smtp://127.0.0.1:\(mail.port)
                  from: quality-gates@nestsync.test
                  to: [oncall@nestsync.test, backend@nestsync.test]
                  username: qg
                  password: ${SMTP_PASSWORD}
                  ca_file: \(mail.certificate)
              route: {P0: [pager, chat], P1: [chat, email], P2: [email]}
              digest: {at: "\(two(digestAt / 3600)):\(two(digestAt / 60 % 60)):\(two(digestAt % 60))", channels: [email]}

            """)
        }
        // The first watcher's digest is an hour away: the second one, started after the fault is
        // gone, sends it (what waits for a digest is kept in the history across watchers).
        try writeAlerts(digestAt: Date().timeIntervalSince1970 + 3600)
        try folder.write("extra.yml", """
            gates:
              status_page:
                title: Status page
                severity: P2
                checks: [{name: status page up, kind: http, url: "${SUPABASE_URL}/status-page", conditions: ["[STATUS] == 200"]}]
              docs_site:
                title: Docs site
                severity: P3
                checks: [{name: docs up, kind: http, url: "${SUPABASE_URL}/docs", conditions: ["[STATUS] == 200"]}]

            """)
        let pack = Paths.packageRoot.appendingPathComponent("gates/nestsync.yml").path
        let watchArguments = ["--config", pack, "--config", "alerts.yml", "--config", "extra.yml", "--env-file", folder.path("twin/staging.env"),
                              "--project-root", Paths.packageRoot.appendingPathComponent("examples/nestsync").path, "--target", "staging",
                              "--only", "db_health,migration_head,status_page,docs_site", "--history", "reports/history.sqlite",
                              "--every", "2s"]
        let watch = try WatchProcess(watchArguments, in: folder, environment: secrets)
        @Sendable func pages(_ action: String) -> [[String: Any]] {
            hooks.requests.filter { ($0["path"] as? String) == "/v2/enqueue" && ($0["body"] as? String)?.contains("\"event_action\":\"\(action)\"") == true }
        }
        @Sendable func chats(_ text: String) -> [[String: Any]] {
            hooks.requests.filter { ($0["path"] as? String)?.hasPrefix("/services/") == true && ($0["body"] as? String)?.contains(text) == true }
        }

        // Healthy P0 gates: nothing pages. The P2 failure is one email, over STARTTLS, logged in.
        #expect(try await watch.waitUntil(seconds: 20) { mail.messages.count == 1 }, "\(watch.stdout)\(watch.stderr)")
        _ = try await watch.waitUntil(seconds: 3) { false }
        #expect(hooks.requests.isEmpty, "\(hooks.requests)")
        let p2 = try #require(mail.messages.first)
        #expect(p2["tls"] as? Bool == true && p2["user"] as? String == "qg")
        #expect(p2["to"] as? [String] == ["oncall@nestsync.test", "backend@nestsync.test"])
        #expect((p2["data"] as? String)?.contains("Subject: [P2] Status page: failing") == true, "\(p2)")
        #expect((p2["data"] as? String)?.contains("status page up: [STATUS] (404) == 200") == true, "\(p2)")

        // The P0 fault: one page and one chat post within a cadence of its first failing run.
        let planted = try await twin(["fault", "migrations-behind"])
        #expect(planted.status == 0, "\(planted.stderr)")
        let plantedAt = Date().timeIntervalSince1970
        #expect(try await watch.waitUntil(seconds: 15) { pages("trigger").count == 1 && chats("migration_head").count == 1 }, "\(watch.stdout)\(watch.stderr)")
        let pagedAt = pages("trigger").first?["at"] as? Double ?? .infinity
        #expect(pagedAt - plantedAt < 2 + 3, "paged \(pagedAt - plantedAt) s after the fault (cadence 2 s)")
        #expect((pages("trigger").first?["body"] as? String)?.contains("\"dedup_key\":\"quality-gates/migration_head\"") == true)
        #expect((pages("trigger").first?["body"] as? String)?.contains("\"routing_key\":\"pd-routing-key-8b2f41d0\"") == true)
        _ = try await watch.waitUntil(seconds: 5) { false }
        #expect(pages("trigger").count == 1 && chats("migration_head").count == 1, "repeated: \(hooks.requests.count) requests")

        // Removed: one resolve on each channel of the route.
        let fixed = try await twin(["psql", "-q", "-c", "UPDATE alembic_version SET version_num = '004'"])
        #expect(fixed.status == 0, "\(fixed.stderr)")
        #expect(try await watch.waitUntil(seconds: 15) { pages("resolve").count == 1 && chats("resolved").count == 1 }, "\(hooks.requests)")
        _ = try await watch.waitUntil(seconds: 3) { false }
        #expect(pages("resolve").count == 1 && pages("trigger").count == 1)
        #expect(chats("docs_site").isEmpty && pages("trigger").allSatisfy { ($0["body"] as? String)?.contains("docs_site") == false },
                "P3 waits for the digest")

        let stop = try await watch.terminate()
        #expect(stop.seconds.map { $0 < 2 } == true)

        // A restarted watcher alerts nothing again; at its digest time, the P3 failure and the
        // resolution arrive in one email.
        let digestDue = Date().timeIntervalSince1970 + 8
        try writeAlerts(digestAt: digestDue)
        let restarted = try WatchProcess(watchArguments, in: folder, name: "restarted", environment: secrets)
        #expect(try await restarted.waitUntil(seconds: 25) { mail.messages.count >= 2 }, "\(restarted.stdout)\(restarted.stderr)")
        let digest = (mail.messages.last?["data"] as? String) ?? ""
        #expect(digest.contains("Subject: [P3] quality-gates daily digest (staging)"), "\(digest)")
        #expect(digest.contains("Opened (1):") && digest.contains("Docs site (docs_site)"), "\(digest)")
        #expect(digest.contains("Resolved (1):") && digest.contains("Migrations Not at Head (migration_head): passing again"), "\(digest)")
        let sentAt = mail.messages.last?["at"] as? Double ?? 0
        #expect(sentAt >= digestDue - 1 && sentAt < digestDue + 8, "the digest came \(sentAt - digestDue) s from its time")
        _ = try await restarted.waitUntil(seconds: 3) { false }
        #expect(mail.messages.count == 2 && pages("trigger").count == 1 && chats("failing").count == 1, "the restart alerted again")
        #expect(try await restarted.terminate().status == 0)

        var outputs = ["stdout": watch.stdout + restarted.stdout, "stderr": watch.stderr + restarted.stderr]
        for (index, request) in hooks.requests.enumerated() { outputs["alert \(index)"] = request["body"] as? String ?? "" }
        for (index, message) in mail.messages.enumerated() { outputs["email \(index)"] = message["data"] as? String ?? "" }
        let twinSecrets = ["SMOKE_PASSWORD": "Shazam11#", "SUPABASE_JWT_SECRET": "test-jwt-secret-7c2a", "SMTP_PASSWORD": secrets["SMTP_PASSWORD"]!,
                           "SLACK_PATH": secrets["SLACK_PATH"]!]
        for form in HardeningTests.forms(of: secrets["PD_KEY"]!) where (outputs["stdout"]! + outputs["stderr"]!).contains(form) {
            Issue.record("PD_KEY appears in the log as \(form)")
        }
        for (name, text) in outputs {
            for (variable, secret) in twinSecrets {
                for form in HardeningTests.forms(of: secret) where text.contains(form) {
                    Issue.record("\(variable) appears in \(name) as \(form)")
                }
            }
        }
    }
}
