import FoundationEssentials

/// Incidents while the history cannot be reached. The history may be the very database that is
/// down, and a watcher must still page for that. Runs in a row are counted in this process. A
/// gate that the history last knew as open stays open, so nothing alerts twice. Alerts go straight
/// to their channels (`AlertDelivery.sendDirect`), since the outbox is in the history. Once the
/// history is back, what changed meanwhile is written to it without a second alert.
struct OutageIncidents {
    /// Failing and passing runs in a row, per gate, in this process.
    private var failingRuns: [String: Int] = [:]
    private var passingRuns: [String: Int] = [:]
    /// When each gate's incident opened, as the history last said (nil: none open).
    private var knownOpen: [String: Double] = [:]
    /// Incidents opened and resolved while the history was down, to write once it is back.
    private var openedMeanwhile: [String: Double] = [:]
    private var resolvedMeanwhile: [String: Double] = [:]
    /// Whether the last update could not reach the history (the log says so once an outage).
    var down = false

    /// Counts a run in this process (every run, so the counts are ready when an outage begins).
    mutating func count(_ gate: GateReport) {
        let failing = gate.status == .failed || gate.status == .errored
        let passing = gate.status == .passed || gate.status == .warned
        failingRuns[gate.id] = failing ? failingRuns[gate.id, default: 0] + 1 : 0
        passingRuns[gate.id] = passing ? passingRuns[gate.id, default: 0] + 1 : 0
    }

    /// What the history says of the gate's incident after an update it took.
    mutating func remember(_ gate: String, openedAt: Double?) {
        knownOpen[gate] = openedAt
    }

    /// Decides the gate's incident without the history; the alert to send, if any.
    mutating func update(_ gate: GateReport, configuration: GateConfiguration, at now: Double) -> Alert? {
        let failing = gate.status == .failed || gate.status == .errored
        let passing = gate.status == .passed || gate.status == .warned
        let needed = configuration.gates.first { $0.id == gate.id }?.consecutive ?? 1
        let threshold = configuration.alerts?.successThreshold ?? 1
        if failing, failingRuns[gate.id, default: 0] >= needed, knownOpen[gate.id] == nil {
            knownOpen[gate.id] = now
            openedMeanwhile[gate.id] = now
            resolvedMeanwhile[gate.id] = nil
            return Incidents.alert(for: gate, action: "trigger", openedAt: now, at: now)
        }
        if passing, passingRuns[gate.id, default: 0] >= threshold, let openedAt = knownOpen[gate.id] {
            knownOpen[gate.id] = nil
            if openedMeanwhile.removeValue(forKey: gate.id) == nil { resolvedMeanwhile[gate.id] = now }
            return Incidents.alert(for: gate, action: "resolve", openedAt: openedAt, at: now)
        }
        return nil
    }

    /// Whether there is anything to write to the history once it is back.
    var hasChanges: Bool { !openedMeanwhile.isEmpty || !resolvedMeanwhile.isEmpty }

    /// Writes what changed meanwhile to the history, without alerting: an incident opened here is
    /// opened there unless another watcher already has one open; one resolved here is resolved there.
    mutating func catchUp(_ store: HistoryStore, target: Target) throws(HistoryStore.Problem) {
        for (gate, at) in openedMeanwhile.sorted(by: { $0.key < $1.key }) {
            _ = try store.openIncident(target: target.rawValue, gate: gate, at: at)
            openedMeanwhile[gate] = nil
        }
        for (gate, at) in resolvedMeanwhile.sorted(by: { $0.key < $1.key }) {
            _ = try store.resolveIncident(target: target.rawValue, gate: gate, at: at)
            resolvedMeanwhile[gate] = nil
        }
    }
}
