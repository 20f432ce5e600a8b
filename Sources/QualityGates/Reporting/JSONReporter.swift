import FoundationEssentials
import JSON

/// The JSON report: every gate, check, outcome, message, duration and measurement, with
/// snake_case keys and ISO 8601 dates. Its schema is `docs/report.schema.json`; the `version` field
/// changes when the schema does.
public enum JSONReporter {
    /// The report as JSON bytes, with the verdict it is given.
    public static func render(_ report: RunReport, verdict: Verdict) -> [UInt8] {
        value(report, verdict: verdict).bytes()
    }

    /// The verdict of a JSON report (for tests and tools).
    public static func decodeVerdict(_ bytes: [UInt8]) throws -> Verdict {
        struct Wrapper: Decodable {
            struct Inner: Decodable {
                let reason: Verdict.Reason
                let exitStatus: Int32
                let failOn: Severity
                let detail: String?
            }
            let verdict: Inner
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let inner = try decoder.decode(Wrapper.self, from: Data(bytes)).verdict
        return Verdict(reason: inner.reason, exitStatus: inner.exitStatus, failOn: inner.failOn, detail: inner.detail)
    }

    /// Reads a JSON report back (for tests and tools).
    public static func decode(_ bytes: [UInt8]) throws -> RunReport {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(RunReport.self, from: Data(bytes))
    }

    static func value(_ report: RunReport, verdict: Verdict) -> JSONValue {
        .object([
            ("version", .integer(report.version)),
            ("verdict", .object([
                ("reason", .string(verdict.reason.rawValue)),
                ("exit_status", .integer(Int(verdict.exitStatus))),
                ("fail_on", .string(verdict.failOn.rawValue)),
                ("detail", verdict.detail.map(JSONValue.string) ?? .null),
            ])),
            ("tool", .string(report.tool)),
            ("target", .string(report.target.rawValue)),
            ("started_at", .string(Timestamp.iso8601(report.startedAt))),
            ("duration_seconds", .number(report.durationSeconds)),
            ("stopped_early", report.stoppedEarly.map(JSONValue.string) ?? .null),
            ("configuration_errors", .array(report.configurationErrors.map(JSONValue.string))),
            ("gates", .array(report.gates.map(value))),
        ])
    }

    private static func value(_ gate: GateReport) -> JSONValue {
        .object([
            ("id", .string(gate.id)),
            ("title", .string(gate.title)),
            ("severity", .string(gate.severity.rawValue)),
            ("status", .string(gate.status.rawValue)),
            ("response_time", .string(gate.responseTime)),
            ("escalation", .string(gate.escalation)),
            ("runbook", .array(gate.runbook.map(JSONValue.string))),
            ("checks", .array(gate.checks.map(value))),
        ])
    }

    private static func value(_ check: CheckReport) -> JSONValue {
        .object([
            ("name", .string(check.name)),
            ("kind", .string(check.kind)),
            ("outcome", .string(check.outcome.rawValue)),
            ("skip_reason", check.skipReason.map { JSONValue.string($0.rawValue) } ?? .null),
            ("held_back", check.heldBack.map { JSONValue.string($0.rawValue) } ?? .null),
            ("message", .string(check.message)),
            ("details", .array(check.details.map(JSONValue.string))),
            ("findings", .array(check.findings.map { finding in
                .object([("file", .string(finding.file)), ("line", .integer(finding.line)),
                         ("column", .integer(finding.column)), ("message", .string(finding.message))])
            })),
            ("measurements", .array(check.measurements.map { measurement in
                .object([("name", .string(measurement.name)), ("value", .number(measurement.value)),
                         ("unit", .string(measurement.unit))] + (measurement.limit.map { [("limit", JSONValue.number($0))] } ?? []))
            })),
            ("duration_seconds", .number(check.durationSeconds)),
            ("attempts", .integer(check.attempts)),
            ("defined_at", .string(check.definedAt)),
        ])
    }
}
