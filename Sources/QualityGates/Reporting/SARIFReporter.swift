import JSON

/// SARIF 2.1.0 for GitHub code scanning (`--sarif FILE`): one run, one rule per check (`gate/check`,
/// with its gate's severity and runbook as help), one result per problem, each located (GitHub
/// rejects a whole upload if one result is not), with a partial fingerprint that stays the same
/// from run to run. `automationDetails.id` carries the target, so a build run's alerts and a
/// staging run's do not close each other.
public enum SARIFReporter {
    /// GitHub keeps at most this many results of a run; the rest are counted in a notification.
    public static let resultLimit = 25_000

    public static func render(_ report: RunReport, problems: [LocatedProblem], failOn: Severity) -> [UInt8] {
        value(report, problems: problems, failOn: failOn).bytes()
    }

    static func value(_ report: RunReport, problems: [LocatedProblem], failOn: Severity) -> JSONValue {
        var rules: [JSONValue] = []
        var ruleIndex: [String: Int] = [:]
        func addRule(_ id: String, _ rule: JSONValue) {
            guard ruleIndex[id] == nil else { return }
            ruleIndex[id] = rules.count
            rules.append(rule)
        }
        addRule("configuration", .object([
            ("id", .string("configuration")),
            ("name", .string("Configuration")),
            ("shortDescription", .object([("text", .string("The gate files load"))])),
            ("fullDescription", .object([("text", .string("Every gate file parses, and every check in it is complete and consistent."))])),
            ("help", .object([("text", .string("Fix the gate file at the place named; `quality-gates lint` checks it without running anything."))])),
            ("defaultConfiguration", .object([("level", .string("error"))])),
        ]))
        for gate in report.gates {
            for check in gate.checks {
                addRule("\(gate.id)/\(check.name)", rule(gate: gate, check: check, failOn: failOn))
            }
        }
        let kept = problems.prefix(resultLimit)
        let results: [JSONValue] = kept.map { problem in
            var region: [(String, JSONValue)] = [("startLine", .integer(problem.line))]
            if problem.column > 0 { region.append(("startColumn", .integer(problem.column))) }
            var result: [(String, JSONValue)] = [
                ("ruleId", .string(problem.ruleID)),
            ]
            if let index = ruleIndex[problem.ruleID] { result.append(("ruleIndex", .integer(index))) }
            result += [
                ("level", .string(problem.level.rawValue)),
                ("message", .object([("text", .string(problem.message.isEmpty ? "(no message)" : problem.message))])),
                ("locations", .array([.object([
                    ("physicalLocation", .object([
                        ("artifactLocation", .object([("uri", .string(uri(problem.path)))])),
                        ("region", .object(region)),
                    ])),
                ])])),
                ("partialFingerprints", .object([("qualityGates/v1", .string(problem.fingerprint))])),
            ]
            if let gate = problem.gate, let check = problem.check {
                result.append(("properties", .object([
                    ("severity", .string(gate.severity.rawValue)),
                    ("outcome", .string(check.outcome.rawValue)),
                    ("kind", .string(check.kind)),
                ])))
            }
            return .object(result)
        }
        var invocation: [(String, JSONValue)] = [("executionSuccessful", .bool(report.configurationErrors.isEmpty && report.stoppedEarly == nil))]
        var notifications: [JSONValue] = []
        if problems.count > resultLimit {
            notifications.append(.object([
                ("level", .string("warning")),
                ("message", .object([("text", .string("\(problems.count - resultLimit) more results not included (GitHub keeps \(resultLimit) a run); the JUnit and JSON reports list them all"))])),
            ]))
        }
        if let stopped = report.stoppedEarly {
            notifications.append(.object([("level", .string("error")), ("message", .object([("text", .string("the run stopped early: \(stopped)"))]))]))
        }
        if !notifications.isEmpty { invocation.append(("toolExecutionNotifications", .array(notifications))) }
        return .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([
                    ("name", .string("quality-gates")),
                    ("version", .string(version(report.tool))),
                    ("rules", .array(rules)),
                ]))])),
                ("automationDetails", .object([("id", .string("quality-gates/\(report.target.rawValue)/"))])),
                ("invocations", .array([.object(invocation)])),
                ("results", .array(Array(results))),
            ])])),
        ])
    }

    private static func rule(gate: GateReport, check: CheckReport, failOn: Severity) -> JSONValue {
        let runbook = gate.runbook.isEmpty ? "No runbook actions are given for this gate." : gate.runbook.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")
        let markdown = "**\(gate.severity.rawValue) \(gate.title)**"
            + (gate.responseTime.isEmpty ? "" : " (respond within \(gate.responseTime))")
            + "\n\nImmediate actions:\n\n" + (gate.runbook.isEmpty ? "_none given_" : gate.runbook.map { "- \($0)" }.joined(separator: "\n"))
        return .object([
            ("id", .string("\(gate.id)/\(check.name)")),
            ("name", .string(pascalCase("\(gate.id) \(check.name)"))),
            ("shortDescription", .object([("text", .string("\(gate.title): \(check.name)"))])),
            ("fullDescription", .object([("text", .string("\(gate.severity.rawValue) \(gate.title): the \(check.kind) check '\(check.name)', defined at \(check.definedAt)."))])),
            ("help", .object([("text", .string(runbook)), ("markdown", .string(markdown))])),
            ("defaultConfiguration", .object([("level", .string(gate.severity.isAtOrAbove(failOn) ? "error" : "warning"))])),
            ("properties", .object([("tags", .array([.string("quality-gates"), .string(gate.severity.rawValue), .string(check.kind)]))])),
        ])
    }

    /// A relative path as a URI reference: percent-encoded where a URI needs it.
    static func uri(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return path.hasPrefix("/") ? "file://" + out : out
    }

    /// `quality-gates 0.1.0 (abc1234)` → `0.1.0`.
    private static func version(_ tool: String) -> String {
        let parts = tool.split(separator: " ")
        return parts.count >= 2 ? String(parts[1]) : tool
    }

    private static func pascalCase(_ text: String) -> String {
        text.split { !$0.isLetter && !$0.isNumber }.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
