import FoundationEssentials
import JSON

/// `/health`: the runbook's system health summary, from the history (so every watcher sharing it
/// answers the same): each watched gate's last run, the share of its checks that passed, the open
/// incidents and the alerts in trouble. Healthy when at least 80 % of the last checks passed,
/// degraded from 60 %, unhealthy below; unknown before any gate has run. The document's schema
/// is docs/health.schema.json.
enum WatchHealth {
    static let healthy = 0.8
    static let degraded = 0.6

    /// The state a share of passing checks is: healthy, degraded or unhealthy.
    static func state(passRate: Double?) -> String {
        guard let passRate else { return "unknown" }
        return passRate >= healthy ? "healthy" : passRate >= degraded ? "degraded" : "unhealthy"
    }

    /// The document, and the HTTP status to answer it with (503 when unhealthy, for load balancers).
    static func document(store: HistoryStore, target: Target, gates: [Gate], owner: String, status: WatchStatus,
                         now: Double) -> (status: Int, body: String) {
        var problems: [String] = []
        // The newest results of every gate: enough runs back that a gate run every 15 minutes
        // still shows among gates run every minute.
        let executions: [HistoryStore.Execution]
        do throws(HistoryStore.Problem) {
            executions = try store.executions(target: target, runs: 200, gate: nil)
        } catch {
            executions = []
            problems.append(error.message)
        }
        var counts: [Outcome: Int] = [:]
        var gateEntries: [JSONValue] = []
        for gate in gates {
            guard let lastRun = executions.filter({ $0.gate == gate.id }).map(\.run).max() else {
                gateEntries.append(.object([("id", .string(gate.id)), ("severity", .string(gate.severity.rawValue)), ("outcome", .null), ("checks", .integer(0))]))
                continue
            }
            let checks = executions.filter { $0.gate == gate.id && $0.run == lastRun }
            for check in checks { counts[check.outcome, default: 0] += 1 }
            let outcome = GateReport.status(of: checks.map(\.outcome))
            gateEntries.append(.object([("id", .string(gate.id)), ("severity", .string(gate.severity.rawValue)),
                                        ("outcome", .string(outcome.rawValue)), ("checks", .integer(checks.count))]))
        }
        let counted = counts.filter { $0.key != .skipped }.values.reduce(0, +)
        let passing = counts[.passed, default: 0] + counts[.warned, default: 0]
        let passRate = counted == 0 ? nil : Double(passing) / Double(counted)
        let overall = state(passRate: passRate)
        var incidents: [JSONValue] = []
        do throws(HistoryStore.Problem) {
            incidents = try store.openIncidents(target: target.rawValue).map { incident in
                .object([("gate", .string(incident.gate)), ("opened_at", .string(Timestamp.iso8601(Date(timeIntervalSince1970: incident.openedAt))))])
            }
        } catch {
            problems.append(error.message)
        }
        var undeliverable: [JSONValue] = []
        var retrying: [JSONValue] = []
        do throws(HistoryStore.Problem) {
            // Alerts given up in the last day, and those still waiting for a retry.
            for trouble in try store.alertTroubles(target: target.rawValue, since: now - 86_400) {
                var fields: [(String, JSONValue)] = [("gate", .string(trouble.gate)), ("channel", .string(trouble.channel)),
                                                     ("attempts", .integer(trouble.attempts)), ("error", .string(trouble.error))]
                if let failedAt = trouble.failedAt {
                    fields.append(("failed_at", .string(Timestamp.iso8601(Date(timeIntervalSince1970: failedAt)))))
                    undeliverable.append(.object(fields))
                } else {
                    retrying.append(.object(fields))
                }
            }
        } catch {
            problems.append(error.message)
        }
        let body = JSONValue.object([
            ("status", .string(overall)),
            ("pass_rate", passRate.map { .number(($0 * 1000).rounded() / 1000) } ?? .null),
            ("thresholds", .object([("healthy", .number(healthy)), ("degraded", .number(degraded))])),
            ("target", .string(target.rawValue)),
            ("checked_at", .string(Timestamp.iso8601(Date(timeIntervalSince1970: now)))),
            ("checks", .object(Outcome.allCases.map { ($0.rawValue, .integer(counts[$0, default: 0])) })),
            ("gates", .array(gateEntries)),
            ("incidents", .array(incidents)),
            ("alerts", .object([("undeliverable", .array(undeliverable)), ("retrying", .array(retrying))])),
            ("watcher", .object([("id", .string(owner)), ("started_at", .string(Timestamp.iso8601(status.startedAt)))])),
            ("problems", .array(problems.map(JSONValue.string))),
        ]).serialized()
        return (overall == "unhealthy" ? 503 : 200, body + "\n")
    }
}
