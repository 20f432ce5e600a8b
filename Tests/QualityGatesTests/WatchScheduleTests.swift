@testable import QualityGates
import Testing

/// What watchers share through the history, on an in-memory SQLite history: the schedule's claims
/// and leases, the outbox's claims, retries and give-ups, and the digest gathered from it.
struct WatchScheduleTests {
    static func store() throws -> HistoryStore { try HistoryStore(location: ":memory:") }

    @Test("a due gate is claimed by one owner until its lease runs out; a finished gate is due again a cadence later; a shorter cadence applies at once")
    func schedule() throws {
        let store = try Self.store()
        defer { store.close() }
        try store.schedule(target: "staging", entries: [("a", 100, 160), ("b", 100, 700)])
        #expect(try store.claimDueGates(target: "staging", gates: ["a", "b"], owner: "w1", now: 100, until: 115) == ["a", "b"])
        #expect(try store.claimDueGates(target: "staging", gates: ["a", "b"], owner: "w2", now: 101, until: 116) == [], "leased by w1")
        try store.finishGate(target: "staging", gate: "a", owner: "w1", nextDue: 160)
        try store.finishGate(target: "staging", gate: "b", owner: "w2", nextDue: 999)  // not its lease: nothing changes
        #expect(try store.claimDueGates(target: "staging", gates: ["a", "b"], owner: "w2", now: 116, until: 131) == ["b"], "w1's lease on b ran out")
        #expect(try store.claimDueGates(target: "staging", gates: ["a"], owner: "w2", now: 159, until: 174) == [])
        #expect(try store.claimDueGates(target: "staging", gates: ["a"], owner: "w2", now: 160, until: 175) == ["a"])
        try store.finishGate(target: "staging", gate: "a", owner: "w2", nextDue: 1000)
        #expect(try store.nextWake(target: "staging", gates: ["a"]) == 1000)
        // Restarted with --every 10s: what was due at 1000 is due by 210.
        try store.schedule(target: "staging", entries: [("a", 200, 210)])
        #expect(try store.nextWake(target: "staging", gates: ["a"]) == 210)
        #expect(try store.claimDueGates(target: "build", gates: ["a"], owner: "w1", now: 5000, until: 5015) == [], "another target's schedule")
    }

    @Test("an alert is claimed by one sender, retried after a failure, given up after its last; deliveries count per channel")
    func outbox() throws {
        let store = try Self.store()
        defer { store.close() }
        try store.enqueueAlert(target: "staging", gate: "g", channel: "chat", action: "trigger", severity: "P0", payload: "{}", at: 10)
        #expect(try store.hasDueAlerts(channel: "chat", now: 10) && !(try store.hasDueAlerts(channel: "mail", now: 10)))
        let claimed = try store.claimAlerts(channel: "chat", owner: "w1", now: 10, until: 70)
        #expect(claimed.map(\.gate) == ["g"] && claimed.first?.attempts == 0)
        #expect(try store.claimAlerts(channel: "chat", owner: "w2", now: 11, until: 71).isEmpty, "claimed by w1")
        try store.alertAttemptFailed(claimed[0].id, error: "answered HTTP 500", retryAt: 40, at: 12)
        #expect(try store.claimAlerts(channel: "chat", owner: "w2", now: 39, until: 99).isEmpty, "its retry is not due")
        #expect(try store.alertTroubles(target: "staging", since: 0) == [.init(gate: "g", channel: "chat", attempts: 1, error: "answered HTTP 500", failedAt: nil)])
        let retry = try store.claimAlerts(channel: "chat", owner: "w2", now: 40, until: 100)
        #expect(retry.first?.attempts == 1)
        try store.alertAttemptFailed(retry[0].id, error: "timed out", retryAt: nil, at: 41)
        #expect(try store.alertTroubles(target: "staging", since: 0) == [.init(gate: "g", channel: "chat", attempts: 2, error: "timed out", failedAt: 41)])
        #expect(try store.claimAlerts(channel: "chat", owner: "w1", now: 1000, until: 1060).isEmpty, "given up: never sent again")
        try store.enqueueAlert(target: "staging", gate: "h", channel: "chat", action: "trigger", severity: "P0", payload: "{}", at: 50)
        let next = try store.claimAlerts(channel: "chat", owner: "w1", now: 50, until: 110)
        try store.alertDelivered(next[0].id, at: 51)
        #expect(try store.deliveries(channel: "chat", since: 0) == [51])
    }

    @Test("the digest gathers what waits for it into one alert per digest channel, then nothing until more comes")
    func digest() throws {
        let store = try Self.store()
        defer { store.close() }
        let report = GateReport(id: "docs", title: "Docs site", severity: .p3, responseTime: "", escalation: "", runbook: [],
                                checks: [CheckReport(name: "docs up", kind: "http", outcome: .failed, message: "[STATUS] (404) == 200")])
        for (action, at) in [("trigger", 100.0), ("resolve", 400.0)] {
            try store.enqueueAlert(target: "staging", gate: "docs", channel: AlertDelivery.digestQueue, action: action, severity: "P3",
                                   payload: Incidents.alert(for: report, action: action, openedAt: 100, at: at).encoded, at: at)
        }
        var policy = AlertPolicy(channels: [:], route: [:], file: "alerts.yml")
        policy.digest = (28_800, ["mail"])
        #expect(try Digest.send(store: store, policy: policy, target: .staging, owner: "w1", now: 500) == 2)
        let queued = try store.claimAlerts(channel: "mail", owner: "w1", now: 500, until: 560)
        #expect(queued.count == 1)
        let alert = try #require(Alert(encoded: queued[0].payload))
        #expect(alert.subject == "[P3] quality-gates daily digest (staging)")
        #expect(alert.message == "Opened (1):\n- [P3] Docs site (docs): docs up: [STATUS] (404) == 200\nResolved (1):\n- [P3] Docs site (docs): passing again after 5 minutes")
        #expect(try Digest.send(store: store, policy: policy, target: .staging, owner: "w1", now: 600) == 0)
    }
}
