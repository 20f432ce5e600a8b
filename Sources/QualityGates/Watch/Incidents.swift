import FoundationEssentials

/// The incidents of a watch, kept in the history (a private in-memory one with `--history none`),
/// so that a restarted watcher, or another one sharing the history, does not alert twice. An
/// incident opens when a gate has failed `consecutive` runs in a row, and queues one alert per
/// channel of its route; it resolves, with one more, after `success_threshold` passing runs.
/// Alerts are queued in the outbox here and sent by `AlertDelivery`, so a slow receiver never
/// holds up a gate's run.
struct Incidents {
    let store: HistoryStore
    let target: Target

    /// How many of the gate's newest runs failed (or, with `failing` false, did not) in a row, up
    /// to `wanted`, from the history: the runs of earlier and other watchers count too.
    private func runsInARow(_ gate: String, failing: Bool, wanted: Int) throws(HistoryStore.Problem) -> Int {
        let executions = try store.executions(target: target, runs: wanted * 50, gate: gate)
        let runs = Dictionary(grouping: executions, by: \.run).sorted { $0.key > $1.key }.prefix(wanted)
        return runs.prefix { _, checks in checks.contains { $0.outcome == .failed || $0.outcome == .errored } == failing }.count
    }

    /// Opens, repeats or resolves the gate's incident after a run the history holds, and queues
    /// the alerts that follow; throws when the history cannot be reached.
    func update(_ gate: GateReport, configuration: GateConfiguration, at now: Double) throws(HistoryStore.Problem) {
        let failing = gate.status == .failed || gate.status == .errored
        let passing = gate.status == .passed || gate.status == .warned
        let policy = configuration.alerts
        var action: String?
        var openedAt: Double?
        do {
            let needed = configuration.gates.first { $0.id == gate.id }?.consecutive ?? 1
            let threshold = policy?.successThreshold ?? 1
            if failing, try runsInARow(gate.id, failing: true, wanted: needed) >= needed {
                if try store.openIncident(target: target.rawValue, gate: gate.id, at: now) {
                    action = "trigger"
                } else if let every = policy?.repeatAfter,
                          try store.repeatIncident(target: target.rawValue, gate: gate.id, at: now, after: every) {
                    // Still failing: alert again once the last alert is `repeat_after` old.
                    action = "trigger"
                }
            } else if passing, try runsInARow(gate.id, failing: false, wanted: threshold) >= threshold {
                openedAt = try store.resolveIncident(target: target.rawValue, gate: gate.id, at: now)
                if openedAt != nil { action = "resolve" }
            }
            guard let action, let policy else { return }
            let alert = Self.alert(for: gate, action: action, openedAt: openedAt, at: now)
            var channels = policy.route[gate.severity] ?? []
            if policy.digest != nil {
                // The daily digest carries P3 incidents instead of the route, and every resolution besides it.
                if gate.severity == .p3 { channels = [] }
                if gate.severity == .p3 || action == "resolve" { channels.append(AlertDelivery.digestQueue) }
            }
            for channel in channels {
                try store.enqueueAlert(target: target.rawValue, gate: gate.id, channel: channel, action: action,
                                       severity: gate.severity.rawValue, payload: alert.encoded, at: now)
            }
        }
    }

    /// Whether the gate has an open incident, as the history says.
    func isOpen(_ gate: String) throws(HistoryStore.Problem) -> Double? {
        try store.incidentOpenedAt(target: target.rawValue, gate: gate)
    }

    /// The alert of an incident's opening (or repeat) or resolution.
    static func alert(for gate: GateReport, action: String, openedAt: Double?, at now: Double) -> Alert {
        let failure = gate.checks.first { $0.outcome == .failed || $0.outcome == .errored }
        let message: String
        if action == "resolve" {
            let minutes = Int(((now - (openedAt ?? now)) / 60).rounded())
            message = "passing again after \(minutes) minute\(minutes == 1 ? "" : "s")"
        } else {
            message = failure.map { "\($0.name): \($0.message)" } ?? "the gate \(gate.status.rawValue)"
        }
        return Alert(gate: gate.id, title: gate.title, severity: gate.severity, responseTime: gate.responseTime,
                     escalation: gate.escalation, action: action, message: message, runbook: action == "resolve" ? [] : gate.runbook)
    }
}
