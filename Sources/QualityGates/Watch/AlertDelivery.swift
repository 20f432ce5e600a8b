import FoundationEssentials
import Glibc
import Synchronization

/// Sends the outbox's alerts: one thread per channel (a receiver that hangs holds up only its own
/// channel, never a gate's run), each claiming its channel's due alerts so that among watchers
/// sharing a history exactly one sends each. A failed attempt is retried after `backoff`,
/// doubling, up to `retries` times; then the alert is undeliverable, in the log and in /health.
/// A channel's `rate_limit` postpones alerts past it, counted over every watcher's deliveries.
final class AlertDelivery: Sendable {
    /// The outbox's name for what waits for the daily digest.
    static let digestQueue = "#digest"

    private let store: HistoryStore
    private let policy: AlertPolicy
    private let environment: Environment
    private let redactor: Redactor
    private let owner: String
    private let status: WatchStatus
    private let stopped = Mutex(false)
    /// The channels whose outbox could not be read at their last poll.
    private let unreachable = Mutex<Set<String>>([])
    /// How often an idle channel looks for due alerts.
    static let pollSeconds = 0.25

    init(store: HistoryStore, policy: AlertPolicy, environment: Environment, redactor: Redactor, owner: String, status: WatchStatus) {
        self.store = store
        self.policy = policy
        self.environment = environment
        self.redactor = redactor
        self.owner = owner
        self.status = status
    }

    /// Starts a sending thread per channel.
    func start() {
        for name in policy.channels.keys.sorted() {
            DetachedThread.start { [self] in
                while !stopped.withLock({ $0 }) {
                    if deliverDue(channel: name) == 0 { DetachedThread.sleep(Self.pollSeconds) }
                }
            }
        }
    }

    /// Ends the threads after their current attempt (an alert claimed but not sent is taken
    /// again once its claim runs out).
    func stop() { stopped.withLock { $0 = true } }

    /// One pass over every channel's due alerts, on the calling thread: `watch --once`.
    func deliverDueOnce() {
        for name in policy.channels.keys.sorted() { _ = deliverDue(channel: name) }
    }

    /// Claims the channel's due alerts and attempts each once; how many it claimed.
    @discardableResult
    func deliverDue(channel name: String) -> Int {
        guard let channel = policy.channels[name] else { return 0 }
        let now = Date().timeIntervalSince1970
        let claimed: [HistoryStore.QueuedAlert]
        do {
            guard try store.hasDueAlerts(channel: name, now: now) else { return 0 }
            // The claim outlives one attempt per alert claimed, so no other watcher sends them meanwhile.
            claimed = try store.claimAlerts(channel: name, owner: owner, now: now, until: now + 60 + policy.timeout * 10, limit: 10)
        } catch {
            // Said once an outage, not at every poll.
            if unreachable.withLock({ $0.insert(name).inserted }) { log("warning: the outbox of \(name) cannot be read: \(error)") }
            return 0
        }
        unreachable.withLock { _ = $0.remove(name) }
        for (index, queued) in claimed.enumerated() {
            if stopped.withLock({ $0 }) {
                // Stopping: what this watcher took and did not try goes back, due at once, for
                // the next watcher (or this one restarted) rather than after the claim runs out.
                for rest in claimed[index...] { try? store.postponeAlert(rest.id, until: now) }
                break
            }
            attempt(queued, via: channel)
        }
        return claimed.count
    }

    private func attempt(_ queued: HistoryStore.QueuedAlert, via channel: AlertChannel) {
        let now = Date().timeIntervalSince1970
        let limit = channel.rateLimit
        if let sent = try? store.deliveries(channel: channel.name, since: now - limit.seconds), sent.count >= limit.count {
            // Past the limit: due again when the oldest delivery in the window leaves it.
            let free = sent[sent.count - limit.count] + limit.seconds
            try? store.postponeAlert(queued.id, until: free)
            if queued.attempts == 0 { log("note: alert \(queued.gate) via \(channel.name) waits for the channel's rate limit (\(limit.count) per \(DurationText.display(limit.seconds)))") }
            return
        }
        guard let alert = Alert(encoded: queued.payload) else {
            try? store.alertAttemptFailed(queued.id, error: "the queued alert is not readable", retryAt: nil, at: now)
            return
        }
        guard let failure = sendOnce(alert, via: channel) else {
            try? store.alertDelivered(queued.id, at: Date().timeIntervalSince1970)
            return
        }
        let attempt = queued.attempts + 1
        if attempt > policy.retries {
            try? store.alertAttemptFailed(queued.id, error: failure, retryAt: nil, at: Date().timeIntervalSince1970)
            status.undeliverable(channel: channel.name)
            log("error: alert \(alert.gate) via \(channel.name) is undeliverable after \(attempt) attempt\(attempt == 1 ? "" : "s"): \(failure)")
        } else {
            let wait = policy.backoff(attempt: attempt)
            try? store.alertAttemptFailed(queued.id, error: failure, retryAt: Date().timeIntervalSince1970 + wait, at: Date().timeIntervalSince1970)
            status.retried(channel: channel.name)
            log("warning: alert \(alert.gate) via \(channel.name): \(failure); retry \(attempt) of \(policy.retries) in \(DurationText.display(wait))")
        }
    }

    /// Sends `alert` through `channels` without the outbox (the history is down): a thread per
    /// channel, each attempt retried after the backoff as the outbox would, then given up.
    func sendDirect(_ alert: Alert, channels: [String]) {
        for name in channels {
            guard let channel = policy.channels[name] else { continue }
            DetachedThread.start { [self] in
                for attempt in 0...policy.retries {
                    if attempt > 0 { DetachedThread.sleep(policy.backoff(attempt: attempt)) }
                    if stopped.withLock({ $0 }) { return }
                    guard let failure = sendOnce(alert, via: channel, note: " (without the history)") else { return }
                    log("warning: alert \(alert.gate) via \(name) (without the history): \(failure)")
                }
                status.undeliverable(channel: name)
                log("error: alert \(alert.gate) via \(name) is undeliverable after \(policy.retries + 1) attempts (without the history)")
            }
        }
    }

    /// One attempt: nil when the receiver took it (counted and logged), else what went wrong, redacted.
    private func sendOnce(_ alert: Alert, via channel: AlertChannel, note: String = "") -> String? {
        let failure: String
        do {
            let delivery = try AlertSender.send(alert, via: channel, file: policy.file, environment: environment, timeout: policy.timeout)
            if delivery.delivered {
                status.sent(channel: channel.name)
                log("\(alert.action == "resolve" ? "resolved" : "alert") \(alert.gate) via \(channel.name)\(note): \(delivery.via) \(delivery.status)")
                return nil
            }
            let answer = delivery.body.split(whereSeparator: \.isNewline).joined(separator: " ").prefix(200)
            failure = "answered \(delivery.via) \(delivery.status)" + (answer.isEmpty ? "" : ": \(answer)")
        } catch {
            failure = error.description
        }
        return redactor.redact(failure)
    }

    private func log(_ line: String) {
        let text = Timestamp.iso8601(Date()) + " " + redactor.redact(line) + "\n"
        if line.hasPrefix("warning:") || line.hasPrefix("error:") { Console.error(text) } else { Console.out(text) }
    }
}
