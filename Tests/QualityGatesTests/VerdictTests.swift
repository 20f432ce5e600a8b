import Foundation
@testable import QualityGates
import SQLite
import TestSupport
import Testing

/// The verdict is decided once, by the run session, and every report states the same one.
struct VerdictTests {
    private static let passingGate = gateFile(checks: "      - {name: quick, kind: env, variable: PATH}", severity: "P0")

    /// What every output says, for one run.
    private struct Outputs {
        let run: ProcessRunner.Result
        let junit: String
        let json: [UInt8]
        let markdown: String
    }

    private func outputs(_ run: ProcessRunner.Result, _ folder: TemporaryFolder) -> Outputs {
        Outputs(run: run, junit: folder.read("reports/junit.xml"), json: Array(folder.read("reports/report.json").utf8),
                markdown: folder.read("reports/summary.md"))
    }

    @Test("a history that cannot be kept: exit 2, and every report says so, although every gate passed")
    func historyUnavailable() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": Self.passingGate, "reports/history.sqlite": "not a database, just text\n"])
        let out = outputs(try Binary.run(["run", "--config", "gates.yml"], in: folder), folder)
        #expect(out.run.status == 2)
        #expect(out.run.stdout.contains("the run history could not be kept ("), "\(out.run.stdout)")
        #expect(out.run.stdout.contains("FAILED: 1 passed"))
        #expect(out.run.stderr.contains("error: "))
        let verdict = try JSONReporter.decodeVerdict(out.json)
        #expect(verdict.reason == .historyUnavailable && verdict.exitStatus == 2)
        #expect(out.junit.contains("<testsuite name=\"quality-gates run\"") && out.junit.contains("type=\"history_unavailable\""))
        #expect(out.markdown.contains("## Quality gates: ❌ failed") && out.markdown.contains("The run history could not be kept"))
    }

    @Test("a history that opens but refuses the run: the reports, rendered while it was appended, are rendered again with exit 2 and no trend")
    func appendRefused() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": Self.passingGate])
        #expect(try Binary.run(["run", "--config", "gates.yml"], in: folder).status == 0)
        // The file opens and its trend reads; only the append fails.
        let database = try SQLiteDatabase(path: folder.path("reports/history.sqlite"))
        try database.execute("CREATE TRIGGER refuse BEFORE INSERT ON qg_runs BEGIN SELECT RAISE(ABORT, 'the disk quota is reached'); END;")
        database.close()
        let out = outputs(try Binary.run(["run", "--config", "gates.yml"], in: folder), folder)
        #expect(out.run.status == 2)
        #expect(out.run.stderr.contains("error: the history reports/history.sqlite: the disk quota is reached"), "\(out.run.stderr)")
        #expect(out.run.stdout.contains("FAILED: 1 passed"), "\(out.run.stdout)")
        let verdict = try JSONReporter.decodeVerdict(out.json)
        #expect(verdict.reason == .historyUnavailable && verdict.detail?.contains("the disk quota is reached") == true)
        #expect(out.junit.contains("type=\"history_unavailable\""))
        #expect(out.markdown.contains("The run history could not be kept") && !out.markdown.contains("Trend: the last"), "\(out.markdown)")
        #expect(folder.read("reports/index.html").contains("the run history could not be kept (the history reports/history.sqlite: the disk quota"))
    }

    @Test("SIGTERM: exit 143, and every report says the run was interrupted")
    func interrupted() throws {
        let folder = try TemporaryFolder(files: [
            "gates.yml": gateFile(checks: "      - {name: quick, kind: env, variable: PATH}\n      - {name: blocked read, kind: file, path: fifo, contains: x}"),
        ])
        #expect(mkfifo(folder.path("fifo"), 0o600) == 0)
        let run = try Binary.run(["run", "--config", "gates.yml"], in: folder, timeout: 20) { process in
            Thread.sleep(forTimeInterval: 1)
            kill(process.processIdentifier, SIGTERM)
        }
        let out = outputs(run, folder)
        #expect(out.run.status == 143)
        #expect(out.run.stdout.contains("INTERRUPTED: 1 passed"), "\(out.run.stdout)")
        #expect(try JSONReporter.decodeVerdict(out.json) == Verdict(reason: .interrupted, exitStatus: 143, failOn: .p1, detail: "interrupted by SIGTERM"))
        #expect(out.junit.contains("type=\"interrupted\"") && out.junit.contains("the run was interrupted by SIGTERM"))
        #expect(out.markdown.contains("## Quality gates: ⚠️ interrupted"))
    }

    @Test("reporters state the verdict they are given and never work one out: a passing report rendered with a failing verdict says FAILED")
    func verdictIsAnInput() throws {
        let report = ReportFixtures.gotrueRange
        let passed = Verdict(reason: .passed, exitStatus: 0, failOn: .p1)
        let history = Verdict(reason: .historyUnavailable, exitStatus: 2, failOn: .p1, detail: "disk full")
        #expect(ConsoleReporter(colors: false).render(report, verdict: passed).contains("PASSED: "))
        #expect(ConsoleReporter(colors: false).render(report, verdict: history).contains("FAILED: "))
        #expect(MarkdownReporter.render(report, verdict: passed).contains("✅ passed"))
        #expect(try JSONReporter.decodeVerdict(JSONReporter.render(report, verdict: history)) == history)
        #expect(String(decoding: try JUnitReporter.render(report, verdict: history), as: UTF8.self).contains("disk full"))
        // No reporter source decides an exit status: the one decision is Verdict.decide, in the session.
        let reporting = Paths.packageRoot.appendingPathComponent("Sources/QualityGates/Reporting")
        for file in try FileManager.default.contentsOfDirectory(atPath: reporting.path) {
            let text = try String(contentsOf: reporting.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("decide(") && !text.contains("ExitStatus."), "\(file) works out a verdict")
        }
    }

    @Test("the order of the one decision: configuration error, then signal, then history, then the gates")
    func precedence() {
        var failing = ReportFixtures.gotrueRange
        #expect(Verdict.decide(failing, failOn: .p1).reason == .gatesFailed)
        #expect(Verdict.decide(failing, failOn: .p1, historyProblem: "x").reason == .historyUnavailable)
        #expect(Verdict.decide(failing, failOn: .p1, signal: "SIGINT", historyProblem: "x").exitStatus == 130)
        failing.configurationErrors = ["gates.yml:1:1: bad"]
        #expect(Verdict.decide(failing, failOn: .p1, signal: "SIGTERM").reason == .configurationError)
    }
}

/// Why a check was skipped is data, set where the skip is decided and read by every reporter.
struct SkipReasonTests {
    @Test("the schedule says why: another target, a need that did not pass, a need outside the selection")
    func scheduleReasons() async throws {
        let text = """
            gates:
              a:
                title: A
                severity: P0
                checks:
                  - {name: staging only, kind: env, variable: NOPE_1, targets: [staging]}
                  - {name: fails, kind: env, variable: NOPE_2}
                  - {name: after, kind: env, variable: PATH, needs: [fails]}
              b:
                title: B
                severity: P1
                checks:
                  - {name: outside, kind: env, variable: PATH, needs: ["a/fails"]}
            """
        let folder = try TemporaryFolder(files: ["gates.yml": text])
        let run = try Binary.run(["run", "--config", "gates.yml", "--only", "b", "--history", "none"], in: folder)
        let onlyB = try JSONReporter.decode(Array(folder.read("reports/report.json").utf8))
        #expect(onlyB.allChecks.map(\.skipReason) == [.notSelected], "\(run.stdout)")
        _ = try Binary.run(["run", "--config", "gates.yml", "--history", "none"], in: folder)
        let all = try JSONReporter.decode(Array(folder.read("reports/report.json").utf8))
        #expect(all.allChecks.map(\.skipReason) == [.notForTarget, nil, .needsNotPassed, .needsNotPassed])
    }

    @Test("the console shows skips for an unmet need, by reason, whatever the message says")
    func consoleReadsTheReason() {
        let needs = CheckReport(name: "n", kind: "env", outcome: .skipped, message: "anything", skipReason: .needsNotPassed)
        let optional = CheckReport(name: "o", kind: "env", outcome: .skipped, message: "needs nothing", skipReason: .optionalInputAbsent)
        let report = RunReport(tool: "t", target: .build, startedAt: Date(), durationSeconds: 0, configurationErrors: [],
                               gates: [GateReport(id: "g", title: "G", severity: .p0, responseTime: "", escalation: "", runbook: [],
                                                  checks: [needs, optional])])
        let text = ConsoleReporter(colors: false).render(report, verdict: .decide(report, failOn: .p1))
        #expect(text.contains("- n: anything"))
        #expect(!text.contains("o: needs nothing"))
    }
}

/// Flap control: a failure blocks only when enough recent runs, this one included, failed too.
struct FlapControlTests {
    private func run(_ folder: TemporaryFolder, failing: Bool) throws -> (status: Int32, outcome: String) {
        let run = try Binary.run(["run", "--config", "gates.yml", "--fail-on", "P1"], in: folder,
                                 environment: failing ? [:] : ["FLAPPY": "set"])
        let report = try JSONReporter.decode(Array(folder.read("reports/report.json").utf8))
        return (run.status, "\(report.allChecks[0].outcome.rawValue): \(report.allChecks[0].message)")
    }

    @Test("consecutive: 3 warns on the first two failing runs, blocks on the third; a passing run starts the count again")
    func consecutive() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": gateFile(checks: "      - {name: flappy, kind: env, variable: FLAPPY, consecutive: 3}", severity: "P0")])
        let first = try run(folder, failing: true)
        #expect(first.status == 0 && first.outcome.hasPrefix("warned:") && first.outcome.hasSuffix("(1 of the last 1 runs failing, this one included; blocks at 3 in a row: consecutive: 3)"), "\(first)")
        #expect(try run(folder, failing: true).status == 0)
        let third = try run(folder, failing: true)
        #expect(third.status == 1 && third.outcome.hasPrefix("failed:") && third.outcome.hasSuffix("(3 of the last 3 runs failing, this one included: consecutive: 3)"), "\(third)")
        #expect(try run(folder, failing: false).status == 0)
        #expect(try run(folder, failing: true).outcome.hasPrefix("warned:"), "a pass in between starts the count again")
    }

    @Test("m_of_n: [2, 4] blocks once two of the last four runs failed, in a row or not")
    func mOfN() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": gateFile(checks: "      - {name: flappy, kind: env, variable: FLAPPY, m_of_n: [2, 4]}", severity: "P0")])
        #expect(try run(folder, failing: true).status == 0)
        #expect(try run(folder, failing: false).status == 0)
        let third = try run(folder, failing: true)
        #expect(third.status == 1 && third.outcome.hasSuffix("(2 of the last 3 runs failing, this one included: m_of_n: [2, 4])"), "\(third)")
    }

    @Test("without a history the count cannot be kept: a failure blocks, and says why; consecutive and m_of_n together are refused")
    func noHistory() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": gateFile(checks: "      - {name: flappy, kind: env, variable: FLAPPY, consecutive: 3}", severity: "P0")])
        let run = try Binary.run(["run", "--config", "gates.yml", "--history", "none"], in: folder)
        #expect(run.status == 1 && run.stdout.contains("(no history to count consecutive: 3 against: blocking)"), "\(run.stdout)")
        let both = loadErrors(gateFile(checks: "      - {name: f, kind: env, variable: F, consecutive: 3, m_of_n: [2, 4]}"))
        #expect(both.first?.description.contains("give consecutive or m_of_n, not both") == true, "\(both)")
    }
}
