import Foundation
import TestSupport
import Testing

/// `quality-gates watch` as a service: alerts that a receiver refuses or never answers are retried
/// with backoff on their own threads while the gates keep their cadence; what cannot be delivered
/// shows in the log and in /health; /metrics is what promtool accepts; /health is what its schema
/// says; no secret reaches an alert, a log line or an endpoint.
@Suite(.serialized, .enabled(if: AlertTests.python != nil, "scripts/test sets QG_TEST_PYTHON"))
struct WatchServiceTests {
    static let secret = "sk_live_4eC39HqLyjWDarjtT1zdp7dcAbCdEfGh"

    @Test("a receiver answering 500 twice gets the alert on the third attempt; one that hangs is undeliverable after its retries, in the log and /health; the gate keeps its 1 s cadence meanwhile; promtool accepts /metrics; /health validates; SIGTERM ends it within 2 s; no secret anywhere")
    func retriesHealthAndMetrics() async throws {
        let folder = try TemporaryFolder()
        let flaky = try AlertTests.Receiver(status: "500x2,200", folder: folder)
        let stuck = try AlertTests.Receiver(status: "200", folder: folder)
        let echo = try MisbehavingServer()
        try folder.write("gates.yml", """
            secrets: [API_TOKEN]
            alerts:
              channels:
                flaky: {kind: webhook, url: "http://127.0.0.1:\(flaky.port)/echo/flaky", headers: {X-Token: "${HOOK_TOKEN}"}}
                stuck: {kind: slack, url: "http://127.0.0.1:\(stuck.port)/hang/${HOOK_TOKEN}"}
              route: {P0: [flaky, stuck]}
              retries: 2
              backoff: 300ms
              timeout: 1s
            gates:
              echo:
                title: Echoing API
                severity: P0
                runbook: ["Look at the echo"]
                checks:
                  - name: echoes the token
                    kind: http
                    url: "\(echo.url("/echo-all"))"
                    headers: {Authorization: "Bearer ${API_TOKEN}"}
                    conditions: ["[BODY] == ok"]

            """)
        let environment = ["API_TOKEN": Self.secret, "HOOK_TOKEN": "hook-token-93f1c2d8e7"]
        let watch = try WatchProcess(["--config", "gates.yml", "--target", "staging", "--history", "reports/history.sqlite", "--every", "1s",
                                      "--listen", "127.0.0.1:0"], in: folder, environment: environment)
        #expect(try await watch.listening() != nil, "\(watch.stdout)\(watch.stderr)")

        let gaveUp = try await watch.waitUntil(seconds: 30) { watch.stderr.contains("via stuck is undeliverable") }
        #expect(gaveUp, "\(watch.stderr)")
        #expect(watch.stderr.contains("alert echo via stuck: "), "\(watch.stderr)")
        #expect(watch.stderr.contains("retry 1 of 2 in 300 ms") && watch.stderr.contains("retry 2 of 2 in 600 ms"), "\(watch.stderr)")
        #expect(watch.stderr.contains("error: alert echo via stuck is undeliverable after 3 attempts"), "\(watch.stderr)")
        #expect(try await watch.waitUntil(seconds: 10) { flaky.requests.count == 3 })
        #expect(flaky.requests.map { $0["status"] as? Int } == [500, 500, 200], "\(flaky.requests)")
        #expect(stuck.requests.count == 3, "the first attempt and two retries")
        #expect(watch.stdout.contains("alert echo via flaky: HTTP 200"), "\(watch.stdout)")

        // The gate kept its cadence while the stuck channel hung for a second at each attempt.
        let history = folder.path("reports/history.sqlite")
        let starts = try await offPool {
            try ProcessRunner.run(AlertTests.python!, ["-c", "import sqlite3, sys; print('\\n'.join(str(r[0]) for r in "
                                                       + "sqlite3.connect(sys.argv[1]).execute('SELECT started_at FROM qg_runs ORDER BY id')))", history])
        }.stdout.split(separator: "\n").compactMap { Double($0) }
        #expect(starts.count >= 4, "\(starts)")
        let gaps = zip(starts.dropFirst(), starts).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 < 2.5 }, "runs were held up: \(gaps)")

        let health = try await watch.get("/health")
        #expect(health.status == 503, "every check fails: unhealthy")
        try folder.write("health.json", health.body)
        let document = try JSONSerialization.jsonObject(with: Data(health.body.utf8)) as? [String: Any]
        #expect(document?["status"] as? String == "unhealthy")
        let alerts = document?["alerts"] as? [String: Any]
        let undeliverable = alerts?["undeliverable"] as? [[String: Any]]
        #expect(undeliverable?.map { $0["channel"] as? String } == ["stuck"], "\(health.body)")
        #expect((undeliverable?.first?["attempts"] as? Int) == 3)
        #expect((document?["incidents"] as? [[String: Any]])?.map { $0["gate"] as? String } == ["echo"])
        let validation = try await offPool {
            try ProcessRunner.run(AlertTests.python!, [Paths.fixtures.appendingPathComponent("validate_json.py").path,
                                                       Paths.packageRoot.appendingPathComponent("docs/health.schema.json").path, folder.path("health.json")])
        }
        #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")

        let metrics = try await watch.get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("quality_gates_alerts_sent_total{channel=\"flaky\"} 1\n"), "\(metrics.body)")
        #expect(metrics.body.contains("quality_gates_alerts_undeliverable_total{channel=\"stuck\"} 1\n"), "\(metrics.body)")
        #expect(metrics.body.contains("quality_gates_gate_status{gate=\"echo\",severity=\"P0\",outcome=\"failed\"} 1\n"), "\(metrics.body)")
        #expect(metrics.body.contains("quality_gates_incidents_open 1\n"))
        if let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first(where: FileManager.default.isExecutableFile(atPath:)) {
            try folder.write("metrics.txt", metrics.body)
            let checked = try await offPool { try ProcessRunner.run("/bin/sh", ["-c", "\(promtool) check metrics < metrics.txt"], directory: folder.url) }
            #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        } else {
            Issue.record("promtool is missing: scripts/test installs Debian's prometheus package")
        }
        #expect(try await watch.get("/nothing").status == 404)

        let stop = try await watch.terminate()
        #expect(stop.seconds.map { $0 < 2 } == true, "took \(stop.seconds.map { "\($0) s" } ?? "over 10 s") after SIGTERM: \(watch.stdout.suffix(400))")
        #expect(stop.status == 0)

        var outputs = ["stdout": watch.stdout, "stderr": watch.stderr, "health": health.body, "metrics": metrics.body]
        for (index, request) in (flaky.requests + stuck.requests).enumerated() {
            outputs["alert \(index)"] = request["body"] as? String ?? ""
        }
        #expect(outputs["alert 0"]?.contains("[REDACTED]") == true, "the echo reached the alert: \(outputs["alert 0"] ?? "")")
        for (name, text) in outputs {
            for (variable, secret) in environment {
                for form in HardeningTests.forms(of: secret) where text.contains(form) {
                    Issue.record("\(variable) appears in \(name) as \(form)")
                }
            }
        }
    }
}
