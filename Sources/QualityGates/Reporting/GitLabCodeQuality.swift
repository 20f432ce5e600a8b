import JSON

/// GitLab's Code Quality report (`--gitlab-codequality FILE`): the subset of the CodeClimate
/// format the merge-request widget reads. Severity from the gate's (P0 blocker, P1 critical,
/// P2 major, P3 minor; a warning is info), one entry per problem, fingerprints unique and stable.
public enum GitLabCodeQuality {
    public static func render(_ problems: [LocatedProblem]) -> [UInt8] {
        Array(JSONValue.array(problems.map(entry)).serialized().utf8)
    }

    static func entry(_ problem: LocatedProblem) -> JSONValue {
        let title = problem.gate.map { "\($0.severity.rawValue) \($0.title) / \(problem.check?.name ?? "")" } ?? "Configuration"
        return .object([
            ("description", .string("\(title): \(problem.message)")),
            ("check_name", .string(problem.ruleID)),
            ("fingerprint", .string(problem.fingerprint)),
            ("severity", .string(severity(problem))),
            ("location", .object([
                ("path", .string(problem.path)),
                ("lines", .object([("begin", .integer(problem.line))])),
            ])),
        ])
    }

    static func severity(_ problem: LocatedProblem) -> String {
        if problem.level == .warning { return "info" }
        switch problem.gate?.severity {
        case .p0, nil: return "blocker"
        case .p1: return "critical"
        case .p2: return "major"
        case .p3: return "minor"
        }
    }
}
