import Foundation
@testable import QualityGates

/// Fixed reports for golden-file and consumer tests: no clock, no machine state.
enum ReportFixtures {
    static let startedAt = Date(timeIntervalSince1970: 1_790_000_000)

    /// The NestSync example with gotrue loosened to a range: auth_health fails.
    static let gotrueRange = RunReport(
        tool: "quality-gates 0.1.0", target: .build, startedAt: startedAt, durationSeconds: 0.0123,
        gates: [
            GateReport(id: "auth_health", title: "Authentication System Failure", severity: .p0, responseTime: "< 5 minutes",
                       escalation: "Immediate phone/SMS alert", runbook: ["pip list | grep gotrue (should show gotrue==2.5.4)",
                                                                          "pip install gotrue==2.5.4 and restart"],
                       checks: [
                        CheckReport(name: "gotrue pinned exactly", kind: "requirements_pin", outcome: .failed,
                                    message: "gotrue>=2.5 at NestSync-backend/requirements.txt:19, expected ==2.5.4",
                                    findings: [Finding(file: "NestSync-backend/requirements.txt", line: 19, message: "gotrue>=2.5: not pinned to ==2.5.4")],
                                    durationSeconds: 0.0021, attempts: 1, definedAt: "gates/nestsync.yml:26:9"),
                        CheckReport(name: "supabase url set", kind: "env", outcome: .skipped, message: "runs on the staging target only",
                                    definedAt: "gates/nestsync.yml:40:9", skipReason: .notForTarget),
                       ]),
            GateReport(id: "data_residency_compliance", title: "Canadian Compliance Violation", severity: .p1, responseTime: "< 15 minutes",
                       escalation: "Email + Slack", runbook: ["echo $DATA_REGION"],
                       checks: [
                        CheckReport(name: "data region declared canadian", kind: "env", outcome: .passed,
                                    message: "DATA_REGION (canada-central) one of [canada-central, canada-east] in .env.example:20",
                                    measurements: [Measurement(name: "lines_read", value: 21, unit: "count")],
                                    durationSeconds: 0.0005, attempts: 1, definedAt: "gates/nestsync.yml:60:9"),
                        CheckReport(name: "config readable", kind: "file", outcome: .errored, message: "cannot read app/config.py",
                                    durationSeconds: 1.5, attempts: 3, definedAt: "gates/nestsync.yml:70:9"),
                       ]),
        ])

    /// Every character a message can hold that XML 1.0 cannot.
    static var hostileText: String {
        let controls = String(String.UnicodeScalarView((0...0x1F).compactMap(Unicode.Scalar.init)))
        let invalidUTF8 = String(decoding: [0x61, 0xC3, 0x28, 0xFF, 0xFE, 0x62], as: UTF8.self)
        return "start \(controls) \u{1B}[31mred\u{1B}[0m \u{1B}]0;title\u{07} ]]> <tag attr=\"x\"> & \u{FFFE}\u{FFFF} \(invalidUTF8) end"
    }

    static func hostile(messageSize: Int = 100_000) -> RunReport {
        let big = String(repeating: "0123456789", count: messageSize / 10)
        return RunReport(tool: "quality-gates", target: .staging, startedAt: startedAt, durationSeconds: 1e-7, gates: [
            GateReport(id: "hostile", title: hostileText, severity: .p0, responseTime: "", escalation: "", runbook: [hostileText], checks: [
                CheckReport(name: "control \(hostileText)", kind: "http", outcome: .failed, message: hostileText, details: [hostileText]),
                CheckReport(name: "huge", kind: "http", outcome: .errored, message: big, details: [big]),
                CheckReport(name: "skipped", kind: "http", outcome: .skipped, message: hostileText, durationSeconds: .infinity),
            ]),
        ])
    }
}
