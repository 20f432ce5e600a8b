/// How urgent a failing gate is, as the NestSync runbook classifies alerts.
public enum Severity: String, Sendable, CaseIterable, Codable, Comparable {
    case p0 = "P0", p1 = "P1", p2 = "P2", p3 = "P3"

    /// P0 is the most severe; sorting ascending puts it first.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int { Self.allCases.firstIndex(of: self)! }

    /// True when this severity is at or above `threshold` (P0 is at or above everything).
    public func isAtOrAbove(_ threshold: Severity) -> Bool { self <= threshold }

    /// The runbook's name for the level.
    public var label: String {
        switch self {
        case .p0: "CRITICAL"
        case .p1: "HIGH"
        case .p2: "MEDIUM"
        case .p3: "LOW"
        }
    }

    /// The runbook's response time for the level, used when a gate names none.
    public var defaultResponseTime: String {
        switch self {
        case .p0: "< 5 minutes"
        case .p1: "< 15 minutes"
        case .p2: "< 1 hour"
        case .p3: "< 4 hours"
        }
    }

    /// The runbook's escalation channel for the level, used when a gate names none.
    public var defaultEscalation: String {
        switch self {
        case .p0: "Immediate phone/SMS alert (Slack #alerts)"
        case .p1: "Email + Slack notification (#alerts)"
        case .p2: "Email notification"
        case .p3: "Daily summary report"
        }
    }
}
