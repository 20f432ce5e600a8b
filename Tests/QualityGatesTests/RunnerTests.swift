import Foundation
import Testing
@testable import QualityGates

struct RunnerTests {
    @Test("a check whose need failed is skipped with the reason; one whose need passed runs")
    func needs() async {
        let report = await run([gate("g", [
            configured("connect", ScriptedCheck([.failed("connection refused")])),
            configured("tables", ScriptedCheck([.passed("ok")]), needs: ["connect"]),
            configured("ping", ScriptedCheck([.passed("ok")])),
            configured("after ping", ScriptedCheck([.passed("ok")]), needs: ["ping"]),
        ])])
        let checks = report.gates[0].checks
        #expect(checks.map(\.outcome) == [.failed, .skipped, .passed, .passed])
        #expect(checks[1].message == "needs 'connect', which failed")
    }

    @Test("a check that takes nothing from its needs starts beside them: a chain costs its slowest link; its result counts only if they pass")
    func earlyStart() async throws {
        // Orders are asserted from the checks' own stamps, not from wall-clock budgets: the runner's
        // loop shares the test process's two pool threads with every other suite. A check that
        // must not hold another up waits for that other's start (60 s at most): run in the wrong
        // order, the wait runs out and the stamps show it.
        let p95 = StampedCheck(sleep: 0.6)
        let signIn = HandingCheck(sleep: 0.6, until: p95.stamps)
        let reader = HandoffReadingCheck()
        let schemaReader = HandoffReadingCheck()
        let slowAlone = StampedCheck(sleep: 90)
        let schema = StampedCheck(sleep: 0.9, until: schemaReader.stamps)
        let report = await run([gate("g", [
            configured("sign-in", signIn),
            configured("sign-in p95", p95, needs: ["sign-in"]),
            configured("quick after", ScriptedCheck([.passed("ok")]), needs: ["sign-in"]),
            configured("uses the token", reader, needs: ["sign-in"]),
            configured("down", ScriptedCheck([.failed("refused")], sleep: 0.3)),
            configured("passes alone", ScriptedCheck([.passed("ok")]), needs: ["down"]),
            configured("slow alone", slowAlone, needs: ["down"]),
            configured("schema", schema),
            configured("uses the token, after the schema", schemaReader, needs: ["schema", "sign-in"]),
        ])], jobs: 9)
        let checks = report.gates[0].checks
        #expect(checks.map(\.outcome) == [.passed, .passed, .passed, .passed, .failed, .skipped, .skipped, .passed, .passed])
        // Held until its need passed, then counted as its own result.
        #expect(checks[2].message == "ok")
        #expect(checks[3].message == "read [\"access_token\"]", "the token reached the check that reads it")
        // Passed by itself, but what it needs failed: skipped, as if it had waited.
        #expect(checks[5].message == "needs 'down', which failed")
        // Its attempt is dropped when the need fails: the run does not wait 30 s for it.
        #expect(checks[6].message == "needs 'down', which failed")
        #expect(slowAlone.stamps.ended == nil, "the run did not wait for the check whose need failed")
        let signInEnd = try #require(signIn.stamps.ended)
        // The latency check that needs the sign-in ran beside it.
        #expect(try #require(p95.stamps.started) < signInEnd)
        // The checks that read the handoff started only after the sign-in had ended, and the one
        // that also needs the schema (which hands nothing on) did not wait for it on top.
        #expect(try #require(reader.stamps.started) >= signInEnd)
        let schemaReaderStart = try #require(schemaReader.stamps.started)
        #expect(schemaReaderStart >= signInEnd)
        #expect(schemaReaderStart < (try #require(schema.stamps.ended)), "started at the sign-in's end, before the schema check's")
        #expect(checks[8].message == "read [\"access_token\"]")
    }

    @Test("a check that reads a token passed on by a need that only forwards it starts when the token's source has passed, beside that need")
    func forwardedHandoff() async throws {
        // sign-in → backend accepts the token (exposes nothing, passes the token on) → a query
        // that uses the token: the query takes the token from the sign-in, so it does not wait
        // for the middle link (which waits, up to 60 s, for the query to start).
        let signIn = HandingCheck(sleep: 0.1)
        let reader = HandoffReadingCheck()
        let backend = StampedCheck(sleep: 0.2, until: reader.stamps)
        let refusingReader = HandoffReadingCheck()
        let report = await run([gate("g", [
            configured("sign-in", signIn),
            configured("backend accepts the token", backend, needs: ["sign-in"]),
            configured("uses the token", reader, needs: ["backend accepts the token"]),
            configured("backend refuses", ScriptedCheck([.failed("401")], sleep: 0.3), needs: ["sign-in"]),
            configured("uses the refused token", refusingReader, needs: ["backend refuses"]),
        ])], jobs: 5)
        let checks = report.gates[0].checks
        #expect(checks.map(\.outcome) == [.passed, .passed, .passed, .failed, .skipped])
        #expect(checks[2].message == "read [\"access_token\"]", "the token reached it through the need still going")
        let readerStart = try #require(reader.stamps.started)
        #expect(readerStart >= (try #require(signIn.stamps.ended)))
        #expect(readerStart < (try #require(backend.stamps.ended)), "started beside the need that only passes the token on")
        // Run beside the need that then failed (or, on a loaded machine, not started before the
        // refusal), its result does not count.
        #expect(checks[4].message == "needs 'backend refuses', which failed")
    }

    @Test("a check taking values from a need whose result is held for that need's own needs starts at once, and counts once they pass")
    func heldHandoff() async throws {
        // sign-in → child query (takes the token; also needs a slow check it takes nothing from,
        // so its result is held) → dashboard (takes the child's id). The dashboard starts when the
        // child query has answered, not when the slow check ends (which waits for the dashboard
        // to start, up to 60 s).
        let dashboard = HandoffReadingCheck()
        let slow = StampedCheck(sleep: 0.2, until: dashboard.stamps)
        let child = ExposingReaderCheck()
        let refusedDashboard = HandoffReadingCheck()
        let report = await run([gate("g", [
            configured("sign-in", HandingCheck(sleep: 0.05)),
            configured("critical tables", slow),
            configured("a child", child, needs: ["sign-in", "critical tables"]),
            configured("dashboard", dashboard, needs: ["a child"]),
            configured("tables refused", ScriptedCheck([.failed("no such table")], sleep: 0.3)),
            configured("another child", ExposingReaderCheck(), needs: ["sign-in", "tables refused"]),
            configured("dashboard of the other", refusedDashboard, needs: ["another child"]),
        ])], jobs: 7)
        let checks = report.gates[0].checks
        #expect(checks.map(\.outcome) == [.passed, .passed, .passed, .passed, .failed, .skipped, .skipped])
        #expect(checks[3].message == "read [\"access_token\", \"childId\"]", "the held child's id and the token it passes on")
        #expect(try #require(dashboard.stamps.started) < (try #require(slow.stamps.ended)), "started while the child's result was held")
        // Whether it ran on the held values or never started (on a loaded machine the refusal can
        // come first), its result does not count: the need under its need failed.
        #expect(checks[6].message == "needs 'another child', which was skipped")
    }

    @Test("a check needing one of a gate left out of the run is skipped, and says how to bring it in")
    func needOutsideSelection() async {
        let report = await run([
            gate("auth", [configured("sign-in", ScriptedCheck([.passed("ok")]), gate: "auth")]),
            gate("analytics", [configured("dashboard", ScriptedCheck([.passed("ok")]), needs: ["sign-in"], gate: "auth")]),
        ], selection: GateSelection(only: ["analytics"]))
        #expect(report.gates.map(\.id) == ["analytics"])
        #expect(report.gates[0].checks[0].message == "needs 'auth/sign-in', which is not in this run; select its gate too (--only auth,…)")
    }

    @Test("errored attempts are retried; failed ones never are")
    func retries() async {
        let flaky = ScriptedCheck([.errored("connection reset"), .passed("ok")])
        let failing = ScriptedCheck([.failed("wrong")])
        let report = await run([gate("g", [configured("flaky", flaky, retries: 2), configured("failing", failing, retries: 2)])])
        #expect(report.gates[0].checks[0].outcome == .passed)
        #expect(report.gates[0].checks[0].message == "ok (after 1 retry)")
        #expect(report.gates[0].checks[0].attempts == 2)
        #expect(failing.attempts == 1)
    }

    @Test("retries run out and the last error stands")
    func retriesRunOut() async {
        let broken = ScriptedCheck([.errored("refused")])
        let report = await run([gate("g", [configured("broken", broken, retries: 2)])])
        #expect(report.gates[0].checks[0].message == "refused (after 2 retries)")
        #expect(broken.attempts == 3)
    }

    // The slow checks below sleep 120 s on their own threads. What the tests assert is that the run
    // returned before the check finished, not a wall-clock bound: the run's timers live on the test
    // process's cooperative pool, which suites that block their threads can starve for tens of
    // seconds on two cores (27.7 s was seen in CI), while the check's sleep goes on regardless.

    @Test("a check past its timeout is an error, and the run does not wait for it")
    func timeout() async {
        let slow = ScriptedCheck([.passed("late")], sleep: 120)
        let report = await run([gate("g", [configured("slow", slow, timeout: 0.2)])])
        #expect(report.gates[0].checks[0].outcome == .errored)
        #expect(report.gates[0].checks[0].message == "timed out after 0.2 s")
        #expect(!slow.finished)
    }

    @Test("the deadline turns unfinished checks into errors")
    func deadline() async {
        let slow = ScriptedCheck([.passed("late")], sleep: 120)
        let report = await run([gate("g", [
            configured("quick", ScriptedCheck([.passed("ok")])),
            configured("slow", slow),
        ])], deadline: 0.3)
        #expect(report.gates[0].checks.map(\.outcome) == [.passed, .errored])
        #expect(report.gates[0].checks[1].message == "not finished: the run's deadline of 0.3 s was reached")
        #expect(report.stoppedEarly == "the run's deadline of 0.3 s was reached")
        #expect(!slow.finished)
    }

    @Test("an interrupt ends the run with what finished")
    func interrupt() async {
        let runner = Runner()
        Task {
            try await Task.sleep(for: .milliseconds(200))
            runner.interrupt("interrupted by SIGTERM")
        }
        let slow = ScriptedCheck([.passed("late")], sleep: 120)
        let report = await run([gate("g", [configured("slow", slow)])], runner: runner)
        #expect(report.gates[0].checks[0].message == "not finished: interrupted by SIGTERM")
        #expect(!slow.finished)
    }

    @Test("no more than --jobs checks run at once")
    func jobs() async {
        let meter = ConcurrencyMeter()
        let checks = (0..<8).map { configured("c\($0)", ScriptedCheck([.passed("ok")], sleep: 0.05, meter: meter)) }
        let report = await run([gate("g", checks)], jobs: 3)
        #expect(report.count(.passed) == 8)
        #expect(meter.peak <= 3)
        #expect(meter.peak >= 2)
    }

    @Test("checks for another target are skipped; unselected gates are left out")
    func targetsAndSelection() async {
        let report = await run([
            gate("a", [configured("live", ScriptedCheck([.passed("ok")]), targets: [.staging])]),
            gate("b", [configured("x", ScriptedCheck([.passed("ok")]))]),
        ], selection: GateSelection(skip: ["b"]))
        #expect(report.gates.map(\.id) == ["a"])
        #expect(report.gates[0].checks[0].outcome == .skipped)
        #expect(report.gates[0].checks[0].message == "runs on the staging target only")
        #expect(report.gates[0].status == .skipped)
    }

    @Test("reports list gates by severity, then id")
    func order() async {
        let report = await run([
            gate("zz", severity: .p2, [configured("x", ScriptedCheck([.passed("ok")]))]),
            gate("aa", severity: .p2, [configured("x", ScriptedCheck([.passed("ok")]))]),
            gate("mm", severity: .p0, [configured("x", ScriptedCheck([.passed("ok")]))]),
        ])
        #expect(report.gates.map(\.id) == ["mm", "aa", "zz"])
    }
}

struct ExitStatusTests {
    private func report(_ severity: Severity, _ outcome: Outcome) -> RunReport {
        RunReport(tool: "t", target: .build, startedAt: Date(), durationSeconds: 0, gates: [
            GateReport(id: "g", title: "g", severity: severity, responseTime: "", escalation: "", runbook: [],
                       checks: [CheckReport(name: "c", kind: "env", outcome: outcome, message: "")]),
        ])
    }

    @Test("a failed or errored gate at or above --fail-on gives 1; below it, 0")
    func threshold() {
        #expect(Verdict.decide(report(.p0, .failed), failOn: .p1).exitStatus == 1)
        #expect(Verdict.decide(report(.p1, .errored), failOn: .p1).exitStatus == 1)
        #expect(Verdict.decide(report(.p2, .failed), failOn: .p1).exitStatus == 0)
        #expect(Verdict.decide(report(.p2, .failed), failOn: .p3).exitStatus == 1)
        #expect(Verdict.decide(report(.p0, .skipped), failOn: .p0).exitStatus == 0)
    }

    @Test("a configuration error gives 2")
    func configuration() {
        var failed = report(.p0, .passed)
        failed.configurationErrors = ["gates.yml:1:1: bad"]
        #expect(Verdict.decide(failed, failOn: .p1).exitStatus == 2)
    }
}
