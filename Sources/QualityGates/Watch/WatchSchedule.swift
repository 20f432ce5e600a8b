import FoundationEssentials

/// Which of a watcher's gates are due: claimed from the history's schedule under a lease (so that
/// watchers sharing the history run each gate once per cadence), or, while the history cannot be
/// reached, by this watcher's own clock. The daily digest is a row of the same schedule.
struct WatchSchedule {
    let store: HistoryStore
    let target: Target
    let owner: String
    let gates: [Gate]
    let cadence: @Sendable (Gate) -> Double
    /// The digest's time of day, when there is a digest.
    let digestAt: Double?
    /// How long a claim lasts unless renewed: the shortest cadence, 3 to 15 s, so the others take
    /// over the gates of a watcher that died within one cadence.
    let lease: Double
    private let ids: Set<String>
    /// When each gate is next due by this watcher's own clock, used while the history is down.
    private var ownNextDue: [String: Double] = [:]
    /// Whether the history's schedule could not be read at the last claim.
    private(set) var down = false

    /// Puts the gates (and the digest) in the history's schedule: what is missing is due at once;
    /// what is there keeps its time, unless a cadence made shorter since brings it closer.
    init(store: HistoryStore, target: Target, owner: String, gates: [Gate], cadence: @escaping @Sendable (Gate) -> Double,
         digestAt: Double?, now: Double) throws(HistoryStore.Problem) {
        self.store = store
        self.target = target
        self.owner = owner
        self.gates = gates
        self.cadence = cadence
        self.digestAt = digestAt
        ids = Set(gates.map(\.id))
        lease = min(15, max(3, gates.map(cadence).min() ?? 15))
        var entries = gates.map { (gate: $0.id, due: now, latest: now + cadence($0)) }
        if let digestAt {
            let next = Digest.next(at: digestAt, after: now)
            entries.append((Digest.scheduleName, next, next))
        }
        try store.schedule(target: target.rawValue, entries: entries)
    }

    /// The gates due now, claimed for this watcher; a line for the log when the history's schedule
    /// goes away or comes back.
    mutating func claimDue(now: Double) -> (gates: [Gate], note: String?) {
        do {
            let claimed = Set(try store.claimDueGates(target: target.rawValue, gates: ids, owner: owner, now: now, until: now + lease))
            let note = down ? "note: the schedule in the history is back; the gates are shared again" : nil
            down = false
            return (gates.filter { claimed.contains($0.id) }, note)
        } catch {
            let note = down ? nil : "warning: the schedule in the history is unreachable (\(error.message)); running the gates on this "
                + "watcher's own clock until it is back"
            down = true
            return (gates.filter { ownNextDue[$0.id, default: 0] <= now }, note)
        }
    }

    /// Releases the claims on `ran`, next due a cadence after `now` (when they were claimed).
    mutating func finished(_ ran: [Gate], claimedAt now: Double) {
        for gate in ran {
            ownNextDue[gate.id] = now + cadence(gate)
            try? store.finishGate(target: target.rawValue, gate: gate.id, owner: owner, nextDue: now + cadence(gate))
        }
    }

    /// Extends the claims on `running` while their run goes on.
    func renew(_ running: [Gate]) {
        try? store.renewLeases(target: target.rawValue, gates: running.map(\.id), owner: owner, until: Date().timeIntervalSince1970 + lease)
    }

    /// Whether the digest is due and this watcher has taken it.
    func claimDigest(now: Double) -> Bool {
        guard digestAt != nil, let claimed = try? store.claimDueGates(target: target.rawValue, gates: [Digest.scheduleName], owner: owner,
                                                                     now: now, until: now + lease) else { return false }
        return !claimed.isEmpty
    }

    /// Releases the digest until its time tomorrow.
    func finishDigest(now: Double) {
        guard let digestAt else { return }
        try? store.finishGate(target: target.rawValue, gate: Digest.scheduleName, owner: owner, nextDue: Digest.next(at: digestAt, after: now + 1))
    }

    /// When to look again: the next gate due (or a lease another watcher holds running out), and
    /// at least every second.
    func nextWake(now: Double) -> Double {
        let next = down ? ownNextDue.values.min() : (try? store.nextWake(target: target.rawValue, gates: ids.union([Digest.scheduleName]))) ?? nil
        return min(next ?? (now + 1), now + 1)
    }
}
