import Foundation
@testable import QualityGates
import TestSupport
import Testing

/// The HTML report: self-contained, well-formed HTML5, a plot per measurement with history that
/// shows what the series does, and a page Chromium renders into something that is not blank.
struct HTMLReportTests {
    static let python = ProcessInfo.processInfo.environment["QG_TEST_PYTHON"]
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// A staging run whose sign-in latency has been rising towards its budget and now crosses it.
    static func risingRun() -> (RunReport, Verdict, [HistoryStore.CheckHistory]) {
        let signIn = CheckReport(name: "sign-in p95 under 2 s", kind: "gotrue_auth", outcome: .failed,
                                 message: "p95 2507 ms (≥ 2000 after 1 of 10 samples; 95 % CI 2490–2531 ms)",
                                 details: ["sampled 1 of 10 sign-ins: 2507 ms"],
                                 measurements: [Measurement(name: "auth_p95", value: 2507, unit: "ms", limit: 2000)],
                                 definedAt: "gates/nestsync.yml:195:9")
        let dashboard = CheckReport(name: "dashboard p95 under 3 s", kind: "graphql_query", outcome: .warned,
                                    message: "p95 1620 ms, over the warn tier's 1500 ms",
                                    measurements: [Measurement(name: "latency_p95", value: 1620, unit: "ms", limit: 3000)])
        let report = RunReport(tool: "quality-gates 0.1.0", target: .staging, startedAt: Date(timeIntervalSince1970: 1_795_000_000),
                               durationSeconds: 2.58, gates: [
                                GateReport(id: "auth_performance", title: "Performance Degradation (authentication)", severity: .p1,
                                           responseTime: "< 15 minutes", escalation: "Slack #alerts, email",
                                           runbook: ["Check system resources: docker stats; htop", "Review slow resolvers & N+1 queries <script>"],
                                           checks: [signIn]),
                                GateReport(id: "analytics_performance", title: "Performance Degradation (analytics)", severity: .p1,
                                           responseTime: "< 15 minutes", escalation: "Slack", runbook: ["Time the dashboard query"], checks: [dashboard]),
                               ])
        let verdict = Verdict.decide(report, failOn: .p1)
        let rising: [Double] = [820, 860, 905, 990, 1080, 1210, 1390, 1600, 1850, 2507]
        let trend = [
            HistoryStore.CheckHistory(gate: "auth_performance", check: "sign-in p95 under 2 s",
                                      outcomes: Array(repeating: .passed, count: 9) + [.failed], measurements: [("auth_p95", rising)]),
            HistoryStore.CheckHistory(gate: "analytics_performance", check: "dashboard p95 under 3 s",
                                      outcomes: [.passed, .passed, .warned, .passed, .warned, .passed, .passed, .passed, .passed, .warned],
                                      measurements: [("latency_p95", [1400, 1380, 1550, 1420, 1600, 1450, 1390, 1410, 1440, 1620])]),
        ]
        return (report, verdict, trend)
    }

    /// The y coordinates of a plot's polyline, in order.
    static func seriesYs(_ svg: String) throws -> [Double] {
        let start = try #require(svg.range(of: "<polyline class=\"series\" points=\""))
        let rest = svg[start.upperBound...]
        let points = rest[..<(try #require(rest.firstIndex(of: "\"")))]
        return points.split(separator: " ").compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }
    }

    @Test("a rising series rises in the plot (the polyline's points read back), a falling one falls; the budget line sits at the budget; warned and failed runs are marked")
    func plotShowsTheSeries() throws {
        let rising = HTMLReporter.plot(values: [800, 900, 1000, 1500, 2500], outcomes: [.passed, .passed, .warned, .passed, .failed],
                                       limit: 2000, label: "sign-in")
        let ys = try Self.seriesYs(rising)
        #expect(ys.count == 5)
        // SVG's y grows downwards: a rising value has a falling y.
        #expect(zip(ys, ys.dropFirst()).allSatisfy { $0 > $1 }, "\(ys)")
        let falling = try Self.seriesYs(HTMLReporter.plot(values: [2500, 1500, 1000, 900, 800], outcomes: [], limit: nil, label: "x"))
        #expect(zip(falling, falling.dropFirst()).allSatisfy { $0 < $1 }, "\(falling)")
        // The budget line lies between the 1500 and 2500 points.
        let budget = try #require(rising.range(of: "<line class=\"budget\"").map { rising[$0.upperBound...] })
        let y1 = try #require(budget.range(of: "y1=\"").map { Double(budget[$0.upperBound...].prefix { $0 != "\"" }) } ?? nil)
        #expect(y1 < ys[3] && y1 > ys[4])
        #expect(rising.components(separatedBy: "<circle class=\"warned\"").count == 2)
        #expect(rising.components(separatedBy: "<path class=\"failed\"").count == 2)
        #expect(rising.components(separatedBy: "<rect class=").count == 6, "one strip cell per run")
    }

    @Test("self-contained and well-formed: no external resource, no script, every text escaped; html5lib parses it without an error")
    func selfContained() throws {
        let (report, verdict, trend) = Self.risingRun()
        let html = HTMLReporter.render(report, verdict: verdict, trend: trend)
        for forbidden in ["<script", "<link", "src=", "@import", "url(", "https://"] {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
        // The only URL is the SVG namespace, which is a name, not a resource.
        #expect(html.components(separatedBy: "http://").count - 1 == html.components(separatedBy: "http://www.w3.org/2000/svg").count - 1)
        #expect(html.contains("Review slow resolvers &amp; N+1 queries &lt;script&gt;"))
        #expect(html.contains("2507"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 2, "a plot per measurement with history")
        #expect(html.contains("prefers-color-scheme:dark") && html.contains("@media print"))
        if let python = Self.python {
            let folder = try TemporaryFolder(files: ["index.html": html])
            let parsed = try ProcessRunner.run(python, [Paths.fixtures.appendingPathComponent("check_html.py").path, "parse", folder.path("index.html")])
            #expect(parsed.status == 0, "\(parsed.stdout)\(parsed.stderr)")
        }
    }

    @Test("headless Chromium renders the report into a page that is not blank",
          .enabled(if: chromium != nil && python != nil, "scripts/test installs chromium and sets QG_TEST_PYTHON"))
    func chromiumScreenshot() async throws {
        let (report, verdict, trend) = Self.risingRun()
        let folder = try TemporaryFolder(files: ["index.html": HTMLReporter.render(report, verdict: verdict, trend: trend)])
        let shot = folder.path("shot.png")
        let chromium = Self.chromium!, page = folder.path("index.html"), profile = folder.path("profile"), home = folder.path(".")
        let run = try await offPool { try ProcessRunner.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                                        "--user-data-dir=\(profile)", "--window-size=1100,1300",
                                                        "--screenshot=\(shot)", "file://\(page)"],
                                        environment: ["PATH": "/usr/bin:/bin", "HOME": home], timeout: 60) }
        #expect(FileManager.default.fileExists(atPath: shot), "\(run.stdout)\(run.stderr)")
        let stats = try ProcessRunner.run(Self.python!, [Paths.fixtures.appendingPathComponent("check_html.py").path, "png", shot])
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any], "\(stats.stderr)")
        #expect((figures["width"] as? Int) == 1100)
        #expect((figures["colors"] as? Int ?? 0) > 50, "text and plots in several colours: \(figures)")
        #expect((figures["non_background"] as? Double ?? 0) > 0.05, "more than a blank page: \(figures)")
        // `QG_DOC_IMAGES=1 scripts/test --filter chromiumScreenshot` refreshes the README's picture.
        if ProcessInfo.processInfo.environment["QG_DOC_IMAGES"] == "1" {
            let target = Paths.packageRoot.appendingPathComponent("docs/images/html-report.png")
            try? FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(atPath: shot, toPath: target.path)
        }
    }

    @Test("a run writes reports/index.html by default, with the plots of its history; --html none writes none")
    func writtenByDefault() async throws {
        let folder = try TemporaryFolder()
        try Binary.copyExample(into: folder)
        for _ in 0..<2 { _ = try await offPool { try Binary.run(["run", "--project-root", "project", "--target", "build"], in: folder) } }
        let html = folder.read("reports/index.html")
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("Quality gates passed"))
        #expect(html.contains("<svg "), "the graphql_documents operation count has two runs of history")
        let other = try TemporaryFolder()
        try Binary.copyExample(into: other)
        try Binary.run(["run", "--project-root", "project", "--target", "build", "--html", "none"], in: other)
        #expect(!FileManager.default.fileExists(atPath: other.path("reports/index.html")))
        #expect(FileManager.default.fileExists(atPath: other.path("reports/junit.xml")))
    }
}
