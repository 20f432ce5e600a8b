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

    @Test("a threshold written with its tiers in place: latency: {warn: …, fail: …} warns between them; both in place and under warn: is refused")
    func tiersInPlace() async throws {
        let server = try MisbehavingServer()
        let checks = ["      - name: health", "        kind: http", "        url: \(server.url("/ok"))", "        samples: 3",
                      "        latency: {warn: p95 < 0.001, fail: p95 < 10000}"].joined(separator: "\n")
        let configuration = try loadGates(gateFile(checks: checks, severity: "P0"), target: .staging).get()
        let configured = try #require(configuration.gates.first?.checks.first)
        #expect((configured.check as? HTTPCheck)?.latency?.limit == 10000)
        #expect((configured.warnVariant as? HTTPCheck)?.latency?.limit == 0.001)
        let options = RunOptions(target: .staging, projectRoot: URL(fileURLWithPath: "/"), environment: Environment([:]), jobs: 1,
                                 deadline: 30, selection: GateSelection(), retryBackoff: 0.01)
        let report = await Runner().run(configuration, options: options, tool: "t")
        #expect(report.allChecks.first?.outcome == .warned, "\(report.allChecks.first?.message ?? "")")
        let clash = loadErrors(gateFile(checks: checks + "\n        warn: {latency: p95 < 1}", severity: "P0"), target: .staging)
        #expect(clash.first?.description.contains("has a warn tier both in place and under warn:") == true, "\(clash)")
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
    static let settling: [(String, [Double], Int, Bool?)] = [
        ("p95 < 3000", [3500], 10, false), ("p95 < 3000", [100, 200], 10, nil), ("p50 < 100", [150, 150, 150, 150, 150], 10, nil),
        ("p50 < 100", [150, 150, 150, 150, 150, 150], 10, false), ("max < 10", [11], 3, false), ("p99 < 10", [11], 200, nil),
        ("p99 < 10", [11, 12, 13], 200, false), ("p50 < 100", [50, 60, 70, 80, 90], 10, true),
        ("p95 < 100", [50, 50, 50, 50, 50, 50, 50, 50, 50], 10, nil), ("max < 10", [1, 2, 3], 3, true),
    ]

    @Test("a budget is broken once more samples are over it than the percentile allows; kept once enough are under; never before",
          arguments: settling)
    func settled(_ budget: String, _ samples: [Double], _ planned: Int, _ expected: Bool?) throws {
        let parsed = try LatencyBudget(budget)
        #expect(parsed.settled(samples, planned: planned) == expected)
    }

    @Test("property: on 5,000 random series the verdict at the early stop equals the verdict over all the samples")
    func earlyVerdictIsExact() throws {
        var random = SeededRandom(seed: 13)
        var stoppedEarly = 0
        for round in 0..<5000 {
            let statistic = ["p50", "p95", "p99", "max"][round % 4]
            let limit = Double(500 + random.next() % 3000)
            var budget = try LatencyBudget("\(statistic) < \(Int(limit))")
            budget.minSamples = Int(random.next() % 4) + 1
            let planned = Int(random.next() % 30) + 1
            // Latencies around the limit, with a slow tail, so both verdicts and early stops happen.
            let series = (0..<planned).map { _ in Double(random.next() % UInt64(limit * 1.6)) + (random.next() % 10 == 0 ? limit : 0) }
            let full = budget.judge(series).holds
            var taken: [Double] = []
            for sample in series {
                taken.append(sample)
                if budget.canStop(taken, planned: planned) { break }
            }
            let early = budget.judge(taken, planned: planned)
            #expect(early.holds == full, "\(statistic) < \(limit) over \(series): early \(early.text)")
            #expect(taken.count >= min(budget.minSamples, planned))
            if taken.count < planned { stoppedEarly += 1 }
        }
        #expect(stoppedEarly > 1000, "the early stop happens often enough to matter: \(stoppedEarly)")
    }

    @Test("the verdict says how many samples, why it stopped, and a distribution-free 95 % interval when the samples bound one")
    func reportText() throws {
        let budget = try LatencyBudget("p95 < 2000")
        #expect(budget.judge([2507], planned: 10, unit: "sign-ins").text
                == "p95 (2507 ms) < 2000 ms: at or over after 1 of 10 sign-ins, whatever the other 9 measure")
        let p50 = try LatencyBudget("p50 < 2000")
        let many = (1...100).map { Double($0 * 10) }
        let judged = p50.judge(Array(many.prefix(50)), planned: 100)
        #expect(judged.holds)
        #expect(judged.text == "p50 (250 ms) < 2000 ms: under after 50 of 100 samples, whatever the other 50 measure", "\(judged.text)")
        #expect(p50.judge(many, planned: 100).text == "p50 (500 ms) < 2000 ms over 100 samples; 95 % CI 400–610 ms")
        let all = p50.judge(many)
        #expect(all.holds)
        // The order-statistic interval for the median of 100 samples: X(40) to X(61).
        #expect(LatencyBudget.confidenceInterval(.p50, many).map { [$0.0, $0.1] } == [400, 610])
        // p95 of 10 samples has no upper bound: no interval is claimed.
        #expect(LatencyBudget.confidenceInterval(.p95, Array(repeating: 1, count: 10)) == nil)
        var floor = try LatencyBudget("p95 < 2000")
        floor.minSamples = 3
        #expect(floor.settled([2507], planned: 10) == nil, "min_samples: no verdict before 3 samples")
        #expect(floor.settled([2507, 2600, 2700], planned: 10) == false)
    }
}
