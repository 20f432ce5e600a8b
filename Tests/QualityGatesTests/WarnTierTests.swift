import Foundation
@testable import QualityGates
import TestSupport
import Testing
import XMLWriter

/// The warn tier: `severity: warn` on any check, `warn:` thresholds on kinds that have them; a
/// warning is reported everywhere and never blocks.
struct WarnTierTests {
    static let retention = """
          - name: retention within PIPEDA's seven years
            kind: config
            file: app.json
            key: expo.extra.retentionDays
            at_most: 3650
            warn: {at_most: 2555}
    """

    private func result(_ checks: String, files: [String: String], environment: [String: String] = [:]) async throws -> RunReport {
        let folder = try TemporaryFolder(files: files)
        let configuration = try loadGates(gateFile(checks: checks, severity: "P0"), environment: environment).get()
        let options = RunOptions(target: .build, projectRoot: folder.url, environment: Environment(environment), jobs: 2,
                                 deadline: 30, selection: GateSelection(), retryBackoff: 0.01)
        return await Runner().run(configuration, options: options, tool: "t")
    }

    private func app(_ days: Int) -> [String: String] { ["app.json": "{\"expo\": {\"extra\": {\"retentionDays\": \(days)}}}"] }

    @Test("a warn threshold crossed warns; the check's own threshold crossed fails; within both passes")
    func thresholds() async throws {
        let within = try await result(Self.retention, files: app(2000)).allChecks[0]
        #expect(within.outcome == .passed, "\(within.message)")
        let warned = try await result(Self.retention, files: app(2600)).allChecks[0]
        #expect(warned.outcome == .warned)
        #expect(warned.message == "retentionDays = 2600 at app.json:1, expected at most 2555")
        let failed = try await result(Self.retention, files: app(4000)).allChecks[0]
        #expect(failed.outcome == .failed)
        #expect(failed.message == "retentionDays = 4000 at app.json:1, expected at most 3650")
    }

    @Test("severity: warn turns a failure or an error into a warning; the gate warns and the run passes")
    func severityWarn() async throws {
        let checks = """
              - name: timezone is Toronto
                kind: env
                variable: TZ_NAME
                equals: America/Toronto
                severity: warn
              - name: config readable
                kind: file
                path: missing-folder
                contains: x
                severity: warn
        """
        let report = try await result(checks, files: [:], environment: ["TZ_NAME": "UTC"])
        #expect(report.allChecks.map(\.outcome) == [.warned, .warned])
        #expect(report.gates[0].status == .warned)
        #expect(Verdict.decide(report, failOn: .p0).exitStatus == ExitStatus.success)
    }

    @Test("a warned check satisfies the checks that need it")
    func needs() async throws {
        let checks = Self.retention + "\n" + """
              - name: after
                kind: file
                path: app.json
                needs: [retention within PIPEDA's seven years]
        """
        let report = try await result(checks, files: app(2600))
        #expect(report.allChecks.map(\.outcome) == [.warned, .passed])
    }

    @Test("warn: and fail: are refused where they cannot apply", arguments: [
        ("      - {name: x, kind: env, variable: X, warn: {equals: y}}", "env has no thresholds to warn at; write `severity: warn`"),
        ("      - {name: x, kind: config, file: a.json, key: k, at_most: 3, warn: {latency: 1}}", "unknown key 'latency'"),
        ("      - {name: x, kind: config, file: a.json, key: k, at_most: 3, fail: {at_most: 4}}", "given both beside fail: and inside it"),
        ("      - {name: x, kind: config, file: a.json, key: k, severity: P1}", "'P1' is not a check severity"),
    ])
    func refused(_ check: String, _ message: String) {
        let errors = loadErrors(gateFile(checks: check))
        #expect(errors.contains { $0.description.contains(message) }, "\(errors.map(\.description))")
    }

    static var warnedReport: RunReport {
        var report = ReportFixtures.gotrueRange
        report.gates = [GateReport(id: "pipeda_compliance", title: "PIPEDA", severity: .p0, responseTime: "< 5 minutes", escalation: "page",
                                   runbook: ["review retention"], checks: [
                                    CheckReport(name: "retention", kind: "config", outcome: .warned,
                                                message: "retentionDays = 2600 at app.json:1, expected at most 2555",
                                                findings: [Finding(file: "app.json", line: 1, column: 30, message: "at most 2555")]),
                                    CheckReport(name: "consent", kind: "config", outcome: .passed, message: "ok"),
                                   ])]
        return report
    }

    @Test("every reporter shows a warning as one, and none makes it blocking")
    func reporters() throws {
        let report = Self.warnedReport
        let console = ConsoleReporter(colors: false).render(report, verdict: .decide(report, failOn: .p0))
        #expect(console.contains("⚠ retention: retentionDays = 2600"))
        #expect(console.contains("PASSED: 1 passed, 0 failed, 0 errored, 1 warned, 0 skipped"))
        let junit = String(decoding: try JUnitReporter.render(report, verdict: .decide(report, failOn: .p1)), as: UTF8.self)
        #expect(!junit.contains("<failure") && !junit.contains("<error"))
        #expect(junit.contains("<system-out>WARNING (never blocking): retentionDays = 2600"))
        #expect(junit.contains("<property name=\"warning\" value=\"retention: retentionDays = 2600 at app.json:1, expected at most 2555\"/>"))
        let validator = try XMLSchemaValidator(schemaPath: Paths.fixtures.appendingPathComponent("junit-10.xsd").path)
        #expect(validator.errors(in: Array(junit.utf8)).isEmpty)
        let markdown = MarkdownReporter.render(report, verdict: .decide(report, failOn: .p0))
        #expect(markdown.hasPrefix("## Quality gates: ✅ passed"))
        #expect(markdown.contains("### ⚠️ Warnings (never blocking)\n\n- `pipeda_compliance` **retention**: retentionDays = 2600"))
        #expect(GitHubAnnotations.render(report, failOn: .p0).hasPrefix("::warning file=app.json,line=1,col=30,title=P0 pipeda_compliance / retention::"))
        let json = String(decoding: JSONReporter.render(report, verdict: .decide(report, failOn: .p1)), as: UTF8.self)
        #expect(json.contains("\"outcome\": \"warned\"") && json.contains("\"status\": \"warned\""))
    }
}

/// Latency budgets decide as soon as the rest of the samples cannot change the answer.
struct LatencyBudgetTests {
    @Test("a budget is broken once more samples are over it than the percentile allows; never before", arguments: [
        ("p95 < 3000", [3500.0], 10, true), ("p95 < 3000", [100, 200], 10, false), ("p50 < 100", [150, 150, 150, 150, 150], 10, false),
        ("p50 < 100", [150, 150, 150, 150, 150, 150], 10, true), ("max < 10", [11], 3, true), ("p99 < 10", [11], 200, false),
        ("p99 < 10", [11, 12, 13], 200, true),
    ])
    func broken(_ budget: String, _ samples: [Double], _ planned: Int, _ expected: Bool) throws {
        let parsed = try LatencyBudget(budget)
        #expect(parsed.isBroken(samples, planned: planned) == expected)
        // Whatever the remaining samples measure, a broken budget stays broken.
        if expected {
            let filled = samples + Array(repeating: 0, count: planned - samples.count)
            #expect(!parsed.judge(filled).holds)
        }
    }
}
