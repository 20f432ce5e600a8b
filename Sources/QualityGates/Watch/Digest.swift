import FoundationEssentials
import Glibc

/// The daily digest (`alerts.digest`): P3 incidents and the day's resolutions, gathered in the
/// outbox under `AlertDelivery.digestQueue`, sent as one alert through the digest's channels at
/// the configured time (UTC). Its schedule is a row of the watch schedule, so one watcher of
/// many sends it. A day with nothing to report sends nothing.
enum Digest {
    /// The schedule's name for the digest.
    static let scheduleName = "#digest"

    /// The next time of day `at` (seconds after midnight UTC) after `now`.
    static func next(at: Double, after now: Double) -> Double {
        let midnight = (now / 86_400).rounded(.down) * 86_400
        return midnight + at > now ? midnight + at : midnight + 86_400 + at
    }

    /// Gathers what waits for the digest and queues one alert per digest channel; the lines it
    /// carried, or a problem with the history.
    static func send(store: HistoryStore, policy: AlertPolicy, target: Target, owner: String, now: Double) throws(HistoryStore.Problem) -> Int {
        guard let digest = policy.digest else { return 0 }
        let items = try store.claimAlerts(channel: AlertDelivery.digestQueue, owner: owner, now: now, until: now + 300, limit: 1000)
        guard !items.isEmpty else { return 0 }
        let alerts = items.compactMap { Alert(encoded: $0.payload) }
        let opened = alerts.filter { $0.action != "resolve" }
        let resolved = alerts.filter { $0.action == "resolve" }
        var lines: [String] = []
        if !opened.isEmpty {
            lines.append("Opened (\(opened.count)):")
            lines += opened.map { "- [\($0.severity.rawValue)] \($0.title) (\($0.gate)): \($0.message)" }
        }
        if !resolved.isEmpty {
            lines.append("Resolved (\(resolved.count)):")
            lines += resolved.map { "- [\($0.severity.rawValue)] \($0.title) (\($0.gate)): \($0.message)" }
        }
        let summary = Alert(gate: "digest", title: "quality-gates daily digest (\(target.rawValue))", severity: .p3, responseTime: "",
                            escalation: "", action: "digest", message: lines.joined(separator: "\n"), runbook: [])
        for channel in digest.channels {
            try store.enqueueAlert(target: target.rawValue, gate: "digest", channel: channel, action: "digest", severity: Severity.p3.rawValue,
                                   payload: summary.encoded, at: now)
        }
        for item in items { try store.alertDelivered(item.id, at: now) }
        return items.count
    }
}
