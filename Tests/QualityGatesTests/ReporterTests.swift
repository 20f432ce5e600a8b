import Foundation
@testable import QualityGates
import TestSupport
import Testing
import XMLWriter

struct ReporterTests {
    /// Compares `actual` with `Fixtures/golden/<name>`; UPDATE_GOLDEN=1 rewrites the file.
    private func golden(_ actual: String, _ name: String) throws {
        let url = Paths.fixtures.appendingPathComponent("golden/\(name)")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "\(name) differs from its golden file; UPDATE_GOLDEN=1 swift test rewrites it")
    }

    @Test("golden files: JUnit, JSON, Markdown and console for the gotrue-range fixture")
    func goldenFiles() throws {
        let report = ReportFixtures.gotrueRange
        let exit = Verdict.decide(report, failOn: .p1).exitStatus
        #expect(exit == 1)
        try golden(String(decoding: try JUnitReporter.render(report, verdict: .decide(report, failOn: .p1)), as: UTF8.self), "gotrue_range.\(exit).junit.xml")
        try golden(String(decoding: JSONReporter.render(report, verdict: .decide(report, failOn: .p1)), as: UTF8.self), "gotrue_range.\(exit).json")
        try golden(MarkdownReporter.render(report, verdict: .decide(report, failOn: .p1)), "gotrue_range.\(exit).md")
        try golden(ConsoleReporter(colors: false).render(report, verdict: .decide(report, failOn: .p1)), "gotrue_range.\(exit).console.txt")
        try golden(GitHubAnnotations.render(report, failOn: .p1, pathPrefix: "examples/nestsync"), "gotrue_range.\(exit).annotations.txt")
    }

    @Test("the Markdown trend: this run's checks only, outcomes and a sparkline per measurement, folded")
    func markdownTrend() throws {
        let trend = [
            HistoryStore.CheckHistory(gate: "data_residency_compliance", check: "data region declared canadian", outcomes: [.passed, .failed, .passed],
                                      measurements: [(name: "lines_read", values: [10, 21, 15.55])]),
            HistoryStore.CheckHistory(gate: "auth_health", check: "gotrue pinned exactly", outcomes: [.errored, .skipped, .failed], measurements: []),
            HistoryStore.CheckHistory(gate: "retired_gate", check: "gone", outcomes: [.passed], measurements: []),
        ]
        let markdown = MarkdownReporter.render(ReportFixtures.gotrueRange, verdict: .decide(ReportFixtures.gotrueRange, failOn: .p1), trend: trend)
        #expect(markdown.hasSuffix("""
            <details><summary>Trend: the last 3 build runs, oldest first</summary>

            | Gate | Check | Outcomes | Measurement | Trend | Last |
            | --- | --- | --- | --- | --- | --- |
            | `data_residency_compliance` | data region declared canadian | `✓✗✓` | lines_read | ▁█▅ | 15.6 |
            | `auth_health` | gotrue pinned exactly | `!-✗` | | | |

            ✓ passed, ✗ failed, ! errored, - skipped, ~ warned. `quality-gates history` shows the same.

            </details>

            """), "\(markdown)")
        #expect(!markdown.contains("retired_gate"))
        #expect(MarkdownReporter.render(ReportFixtures.gotrueRange, verdict: .decide(ReportFixtures.gotrueRange, failOn: .p1), trend: []) == MarkdownReporter.render(ReportFixtures.gotrueRange, verdict: .decide(ReportFixtures.gotrueRange, failOn: .p1)))
    }

    @Test("JUnit stays valid against the XSD whatever the messages hold")
    func junitIsValidWithHostileText() throws {
        let validator = try XMLSchemaValidator(schemaPath: Paths.fixtures.appendingPathComponent("junit-10.xsd").path)
        let good = try JUnitReporter.render(ReportFixtures.gotrueRange, verdict: .decide(ReportFixtures.gotrueRange, failOn: .p1))
        #expect(validator.errors(in: good) == [])
        let hostile = try JUnitReporter.render(ReportFixtures.hostile(), verdict: .decide(ReportFixtures.hostile(), failOn: .p1))
        #expect(validator.errors(in: hostile) == [])
        let text = String(decoding: hostile, as: UTF8.self)
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("]]>"))
        #expect(!text.unicodeScalars.contains { !XMLText.isAllowed($0) })
    }

    @Test("the validator does catch an invalid report")
    func validatorRejects() throws {
        let validator = try XMLSchemaValidator(schemaPath: Paths.fixtures.appendingPathComponent("junit-10.xsd").path)
        #expect(!validator.errors(in: Array("<testsuites><testsuite name=\"x\"/></testsuites>".utf8)).isEmpty)
        #expect(!validator.errors(in: Array("<testsuites time=\"1e-05\"/>".utf8)).isEmpty)
        #expect(validator.errors(in: Array("<a>".utf8)).first?.hasPrefix("not well-formed") == true)
        #expect(validator.errors(in: []) == ["not well-formed XML: the document is empty"])
    }

    @Test("times have a dot and at most three decimals")
    func times() {
        #expect(JUnitReporter.time(1e-7) == "0.000")
        #expect(JUnitReporter.time(12.34567) == "12.346")
        #expect(JUnitReporter.time(.nan) == "0.000")
        #expect(JUnitReporter.time(-1) == "0.000")
    }

    @Test("sanitising removes ANSI sequences and characters XML 1.0 forbids, and keeps the rest")
    func sanitising() {
        #expect(XMLText.sanitized("a\u{1B}[1;31mb\u{1B}[0mc") == "abc")
        #expect(XMLText.sanitized("tab\there\nnew\u{0}\u{8}\u{FFFE}é😀") == "tab\there\nnewé😀")
        #expect(XMLText.sanitized("x\u{1B}]8;;http://a\u{1B}\\link") == "xlink")
    }

    @Test("a second, independent consumer (junitparser) reads the hostile report back",
          .enabled(if: ProcessInfo.processInfo.environment["QG_TEST_PYTHON"] != nil, "scripts/test sets QG_TEST_PYTHON"))
    func junitparserReadsIt() throws {
        let folder = try TemporaryFolder()
        try folder.write("junit.xml", try JUnitReporter.render(ReportFixtures.hostile(), verdict: .decide(ReportFixtures.hostile(), failOn: .p1)))
        let python = ProcessInfo.processInfo.environment["QG_TEST_PYTHON"]!
        let script = Paths.fixtures.appendingPathComponent("read_junit.py").path
        let result = try ProcessRunner.run(python, [script, folder.path("junit.xml")])
        #expect(result.status == 0, "\(result.stderr)")
        let suites = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let suite = try #require(suites.first)
        #expect(suite["name"] as? String == "hostile")
        #expect(suite["tests"] as? Int == 3)
        #expect(suite["failures"] as? Int == 1)
        #expect(suite["errors"] as? Int == 1)
        #expect((suite["properties"] as? [String: String])?["severity"] == "P0")
        let cases = try #require(suite["cases"] as? [[String: Any]])
        let expected = XMLText.sanitized(ReportFixtures.hostileText)
        #expect(cases[0]["name"] as? String == "control \(expected)")
        let failure = try #require((cases[0]["results"] as? [[String: Any]])?.first)
        #expect(failure["type"] as? String == "Failure")
        #expect((failure["message"] as? String) == expected.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init))
        let error = try #require((cases[1]["results"] as? [[String: Any]])?.first)
        #expect(error["type"] as? String == "Error")
        #expect((error["text"] as? String)?.contains(String(repeating: "0123456789", count: 10_000)) == true)
        #expect(((cases[2]["results"] as? [[String: Any]])?.first?["type"] as? String) == "Skipped")
    }

    @Test("JSON reports follow docs/report.schema.json",
          .enabled(if: ProcessInfo.processInfo.environment["QG_TEST_PYTHON"] != nil, "scripts/test sets QG_TEST_PYTHON"))
    func jsonSchema() throws {
        let folder = try TemporaryFolder()
        var configurationError = ReportFixtures.gotrueRange
        configurationError.gates = []
        configurationError.configurationErrors = ["gates.yml:1:1: unknown key 'x'"]
        configurationError.stoppedEarly = "interrupted by SIGINT"
        let reports = [("golden.json", ReportFixtures.gotrueRange), ("hostile.json", ReportFixtures.hostile(messageSize: 100)),
                       ("configuration.json", configurationError), ("warned.json", WarnTierTests.warnedReport)]
        for (name, report) in reports { try folder.write(name, JSONReporter.render(report, verdict: .decide(report, failOn: .p1))) }
        let result = try ProcessRunner.run(ProcessInfo.processInfo.environment["QG_TEST_PYTHON"]!,
                                           [Paths.fixtures.appendingPathComponent("validate_json.py").path,
                                            Paths.packageRoot.appendingPathComponent("docs/report.schema.json").path]
                                           + reports.map { folder.path($0.0) })
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test("GitHub annotations stop at ten per type and say how many more")
    func annotationLimit() {
        let checks = (1...12).map { index in
            CheckReport(name: "c\(index)", kind: "file", outcome: .failed, message: "bad, 100%\nsecond line",
                        findings: [Finding(file: "a,b:c.py", line: index, column: 2, message: "x")])
        }
        let report = RunReport(tool: "t", target: .build, startedAt: Date(), durationSeconds: 0, gates: [
            GateReport(id: "g", title: "g", severity: .p2, responseTime: "", escalation: "", runbook: [], checks: checks),
        ])
        let lines = GitHubAnnotations.render(report, failOn: .p1).split(separator: "\n")
        #expect(lines.count == 11)
        #expect(lines[0] == "::warning file=a%2Cb%3Ac.py,line=1,col=2,title=P2 g / c1::bad, 100%25%0Asecond line")
        #expect(lines[10] == "::notice::2 more warning annotations not shown; see the JUnit and Markdown reports")
    }

    @Test("JSON reads back to the same report, with a version field")
    func jsonRoundTrip() throws {
        let bytes = JSONReporter.render(ReportFixtures.gotrueRange, verdict: .decide(ReportFixtures.gotrueRange, failOn: .p1))
        #expect(try JSONReporter.decode(bytes) == ReportFixtures.gotrueRange)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["version"] as? Int == 3)
        #expect(try JSONReporter.decodeVerdict(bytes) == .decide(ReportFixtures.gotrueRange, failOn: .p1))
        let hostile = JSONReporter.render(ReportFixtures.hostile(messageSize: 10), verdict: .decide(ReportFixtures.hostile(messageSize: 10), failOn: .p1))
        #expect((try? JSONSerialization.jsonObject(with: Data(hostile))) != nil, "infinite durations must not break the JSON")
    }
}
