/// What watchers share through the history: the alerts waiting to be sent (an outbox, so that an
/// alert is queued once by the watcher that opened the incident and sent by exactly one watcher,
/// retried with backoff) and the schedule of each gate (so that a fleet of watchers runs each gate
/// once per cadence, and takes over the gates of a watcher that died when its lease runs out).
/// Claims are one UPDATE over a SELECT that skips rows another watcher has locked.
extension HistoryStore {
    /// An alert in the outbox.
    public struct QueuedAlert: Sendable, Equatable {
        public var id: Int64
        public var gate: String
        public var channel: String
        /// The alert, as `Alert.encoded` wrote it.
        public var payload: String
        /// Attempts made before this one.
        public var attempts: Int
    }

    /// Queues an alert for `channel`, due at once.
    public func enqueueAlert(target: String, gate: String, channel: String, action: String, severity: String,
                             payload: String, at time: Double) throws(Problem) {
        _ = try database.rows("""
            INSERT INTO qg_alerts (target, gate, channel, action, severity, payload, created_at, next_attempt_at, attempts)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 0)
            """, [.text(target), .text(gate), .text(channel), .text(action), .text(severity), .text(payload), .real(time)])
    }

    /// Whether `channel` has an alert due and unclaimed: a read, so that an idle channel's polling
    /// never takes the write lock the runs' appends need.
    public func hasDueAlerts(channel: String, now: Double) throws(Problem) -> Bool {
        !(try database.rows("""
            SELECT 1 FROM qg_alerts WHERE channel = $1 AND delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2
            AND (claimed_until IS NULL OR claimed_until < $2) LIMIT 1
            """, [.text(channel), .real(now)])).isEmpty
    }

    /// Takes up to `limit` due alerts of `channel` for `owner` until `until`: no other watcher
    /// takes them meanwhile. A claim that runs out (its watcher died mid-send) is taken again.
    public func claimAlerts(channel: String, owner: String, now: Double, until: Double, limit: Int = 10) throws(Problem) -> [QueuedAlert] {
        try database.rows("""
            UPDATE qg_alerts SET claimed_by = $1, claimed_until = $2 WHERE id IN (
              SELECT id FROM qg_alerts WHERE channel = $3 AND delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $4
              AND (claimed_until IS NULL OR claimed_until < $4) ORDER BY id LIMIT $5\(database.skipLocked))
            RETURNING id, gate, channel, payload, attempts
            """, [.text(owner), .real(until), .text(channel), .real(now), .integer(Int64(limit))]).compactMap { row in
            guard row.count == 5, let id = row[0].integer, let gate = row[1].text, let channel = row[2].text, let payload = row[3].text,
                  let attempts = row[4].integer else { return nil }
            return QueuedAlert(id: id, gate: gate, channel: channel, payload: payload, attempts: Int(attempts))
        }.sorted { $0.id < $1.id }
    }

    /// Marks a claimed alert sent.
    public func alertDelivered(_ id: Int64, at time: Double) throws(Problem) {
        _ = try database.rows("UPDATE qg_alerts SET delivered_at = $1, attempts = attempts + 1, claimed_until = NULL, last_error = NULL WHERE id = $2",
                              [.real(time), .integer(id)])
    }

    /// Records a failed attempt: tried again at `retryAt`, or, when nil, given up as undeliverable.
    public func alertAttemptFailed(_ id: Int64, error: String, retryAt: Double?, at time: Double) throws(Problem) {
        _ = try database.rows("""
            UPDATE qg_alerts SET attempts = attempts + 1, claimed_until = NULL, last_error = $1,
              next_attempt_at = COALESCE($2, next_attempt_at), failed_at = CASE WHEN $2 IS NULL THEN $3 ELSE NULL END WHERE id = $4
            """, [.text(error), retryAt.map { .real($0) } ?? .null, .real(time), .integer(id)])
    }

    /// Puts a claimed alert back, due at `time` (a rate limit held it), without counting an attempt.
    public func postponeAlert(_ id: Int64, until time: Double) throws(Problem) {
        _ = try database.rows("UPDATE qg_alerts SET claimed_until = NULL, next_attempt_at = $1 WHERE id = $2", [.real(time), .integer(id)])
    }

    /// When the alerts `channel` delivered since `since` were delivered, oldest first: what its rate limit counts.
    public func deliveries(channel: String, since: Double) throws(Problem) -> [Double] {
        try database.rows("SELECT delivered_at FROM qg_alerts WHERE channel = $1 AND delivered_at >= $2 ORDER BY delivered_at",
                          [.text(channel), .real(since)]).compactMap { $0.first?.real }
    }

    /// An alert given up on, or one still waiting for a retry.
    public struct AlertTrouble: Sendable, Equatable {
        public var gate: String
        public var channel: String
        public var attempts: Int
        public var error: String
        /// When it was given up, or nil while it is still retried.
        public var failedAt: Double?
    }

    /// The undeliverable alerts of `target` since `since`, and those still being retried after a failure.
    public func alertTroubles(target: String, since: Double) throws(Problem) -> [AlertTrouble] {
        try database.rows("""
            SELECT gate, channel, attempts, last_error, failed_at FROM qg_alerts WHERE target = $1 AND delivered_at IS NULL
            AND last_error IS NOT NULL AND (failed_at IS NULL OR failed_at >= $2) ORDER BY id
            """, [.text(target), .real(since)]).compactMap { row in
            guard row.count == 5, let gate = row[0].text, let channel = row[1].text, let attempts = row[2].integer, let error = row[3].text else { return nil }
            return AlertTrouble(gate: gate, channel: channel, attempts: Int(attempts), error: error, failedAt: row[4].real)
        }
    }

    /// The gates of `target` with an open incident.
    public func openIncidents(target: String) throws(Problem) -> [(gate: String, openedAt: Double)] {
        try database.rows("SELECT gate, opened_at FROM qg_incidents WHERE target = $1 AND resolved_at IS NULL ORDER BY gate", [.text(target)])
            .compactMap { row in
                guard row.count == 2, let gate = row[0].text, let at = row[1].real else { return nil }
                return (gate, at)
            }
    }

    // MARK: The schedule

    /// Adds what the schedule lacks, due at `due`; what it has keeps its time, but no later than
    /// `latest` (a cadence made shorter since, by `--every` or the gate file, applies at once).
    public func schedule(target: String, entries: [(gate: String, due: Double, latest: Double)]) throws(Problem) {
        for entry in entries {
            _ = try database.rows("INSERT INTO qg_schedule (target, gate, next_due) VALUES ($1, $2, $3) ON CONFLICT (target, gate) DO NOTHING",
                                  [.text(target), .text(entry.gate), .real(entry.due)])
            _ = try database.rows("UPDATE qg_schedule SET next_due = $1 WHERE target = $2 AND gate = $3 AND next_due > $1",
                                  [.real(entry.latest), .text(target), .text(entry.gate)])
        }
    }

    /// Takes the due gates among `gates` that no live lease holds, for `owner` until `until`.
    public func claimDueGates(target: String, gates: Set<String>, owner: String, now: Double, until: Double) throws(Problem) -> [String] {
        guard !gates.isEmpty else { return [] }
        let watched = gates.sorted()
        let placeholders = watched.indices.map { "$\($0 + 5)" }.joined(separator: ", ")
        return try database.rows("""
            UPDATE qg_schedule SET owner = $1, lease_until = $2 WHERE target = $3 AND gate IN (
              SELECT gate FROM qg_schedule WHERE target = $3 AND next_due <= $4 AND (lease_until IS NULL OR lease_until < $4)
              AND gate IN (\(placeholders)) ORDER BY gate\(database.skipLocked))
            RETURNING gate
            """, [.text(owner), .real(until), .text(target), .real(now)] + watched.map { .text($0) }).compactMap { $0.first?.text }.sorted()
    }

    /// Extends `owner`'s leases on `gates` to `until`: the gates are still running.
    public func renewLeases(target: String, gates: [String], owner: String, until: Double) throws(Problem) {
        for gate in gates {
            _ = try database.rows("UPDATE qg_schedule SET lease_until = $1 WHERE target = $2 AND gate = $3 AND owner = $4",
                                  [.real(until), .text(target), .text(gate), .text(owner)])
        }
    }

    /// Releases `owner`'s lease on `gate`, next due at `nextDue`.
    public func finishGate(target: String, gate: String, owner: String, nextDue: Double) throws(Problem) {
        _ = try database.rows("UPDATE qg_schedule SET next_due = $1, owner = NULL, lease_until = NULL WHERE target = $2 AND gate = $3 AND owner = $4",
                              [.real(nextDue), .text(target), .text(gate), .text(owner)])
    }

    /// When the next of `gates` falls due, or a lease on one runs out.
    public func nextWake(target: String, gates: Set<String>) throws(Problem) -> Double? {
        try database.rows("SELECT gate, next_due, lease_until FROM qg_schedule WHERE target = $1", [.text(target)]).compactMap { row -> Double? in
            guard row.count == 3, let gate = row[0].text, gates.contains(gate), let due = row[1].real else { return nil }
            return max(due, row[2].real ?? due)
        }.min()
    }
}
