import FoundationEssentials
import Synchronization

/// What this watcher has done, for `/metrics`: the last report of each gate it ran, its runs, and
/// the alerts its threads sent, retried and gave up, per channel. Any thread.
final class WatchStatus: Sendable {
    private struct State {
        var gates: [String: GateReport] = [:]
        var runs = 0
        var sent: [String: Int] = [:]
        var retried: [String: Int] = [:]
        var undeliverable: [String: Int] = [:]
    }

    private let state = Mutex(State())
    let startedAt = Date()

    func record(_ gates: [GateReport]) {
        state.withLock { state in
            state.runs += 1
            for gate in gates { state.gates[gate.id] = gate }
        }
    }

    func sent(channel: String) { state.withLock { $0.sent[channel, default: 0] += 1 } }
    func retried(channel: String) { state.withLock { $0.retried[channel, default: 0] += 1 } }
    func undeliverable(channel: String) { state.withLock { $0.undeliverable[channel, default: 0] += 1 } }

    /// The Prometheus text exposition format (version 0.0.4) of this watcher's state, with the
    /// open incidents `incidents` (from the history) and the channels `channels` (every one gets
    /// its counters, at zero until it sends).
    func metrics(incidents: Int, channels: [String]) -> String {
        let state = state.withLock { $0 }
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: [(String, String)], value: Double)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples {
                let labels = sample.labels.isEmpty ? "" : "{" + sample.labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
                out += "\(name)\(labels) \(Self.number(sample.value))\n"
            }
        }
        let gates = state.gates.values.sorted { $0.id < $1.id }
        family("quality_gates_gate_status", "gauge", "1 for the outcome of the gate's last run, 0 for the others.",
               gates.flatMap { gate in Outcome.allCases.map { outcome in
                   ([("gate", gate.id), ("severity", gate.severity.rawValue), ("outcome", outcome.rawValue)], gate.status == outcome ? 1.0 : 0)
               } })
        let checks = gates.flatMap { gate in gate.checks.map { (gate, $0) } }
        family("quality_gates_check_status", "gauge", "1 for the outcome of the check's last run, 0 for the others.",
               checks.flatMap { gate, check in Outcome.allCases.map { outcome in
                   ([("gate", gate.id), ("check", check.name), ("outcome", outcome.rawValue)], check.outcome == outcome ? 1.0 : 0)
               } })
        family("quality_gates_check_duration_seconds", "gauge", "How long the check's last run took.",
               checks.map { gate, check in ([("gate", gate.id), ("check", check.name)], check.durationSeconds) })
        family("quality_gates_measurement", "gauge", "Each measurement of the check's last run, in its own unit (the unit label).",
               checks.flatMap { gate, check in check.measurements.map { measurement in
                   ([("gate", gate.id), ("check", check.name), ("name", measurement.name), ("unit", measurement.unit)], measurement.value)
               } })
        family("quality_gates_runs_total", "counter", "Runs this watcher made.", [([], Double(state.runs))])
        let names = Set(channels).union(state.sent.keys).sorted()
        family("quality_gates_alerts_sent_total", "counter", "Alerts this watcher delivered, per channel.",
               names.map { ([("channel", $0)], Double(state.sent[$0, default: 0])) })
        family("quality_gates_alert_retries_total", "counter", "Failed alert attempts this watcher will retry, per channel.",
               names.map { ([("channel", $0)], Double(state.retried[$0, default: 0])) })
        family("quality_gates_alerts_undeliverable_total", "counter", "Alerts this watcher gave up on after their retries, per channel.",
               names.map { ([("channel", $0)], Double(state.undeliverable[$0, default: 0])) })
        family("quality_gates_incidents_open", "gauge", "Gates with an open incident (every watcher of the history).", [([], Double(incidents))])
        family("quality_gates_watcher_start_time_seconds", "gauge", "When this watcher started, in seconds since the epoch.",
               [([], startedAt.timeIntervalSince1970.rounded())])
        return out
    }

    /// A label value as the exposition format writes it: backslash, quote and newline escaped.
    static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return NumberText.number(value)
    }
}
