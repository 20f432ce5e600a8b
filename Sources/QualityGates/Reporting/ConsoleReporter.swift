/// What a person sees in the terminal: a line per gate; under each failing gate, each failed or
/// errored check with the resolved value beside the expectation, its findings, and the runbook's
/// immediate actions; then a summary. Colours only when asked (a terminal without NO_COLOR).
public struct ConsoleReporter: Sendable {
    /// Whether to use ANSI colours.
    public var colors: Bool

    /// A console reporter.
    public init(colors: Bool) {
        self.colors = colors
    }

    /// The report as terminal text, ending with the verdict it is given.
    public func render(_ report: RunReport, verdict: Verdict, reportPaths: [String] = []) -> String {
        var lines: [String] = []
        for error in report.configurationErrors { lines.append(paint("error: ", .red) + error) }
        for gate in report.gates {
            let counts = Outcome.allCases.compactMap { outcome -> String? in
                let n = gate.checks.filter { $0.outcome == outcome }.count
                return n == 0 ? nil : "\(n) \(outcome.rawValue)"
            }.joined(separator: ", ")
            lines.append("\(symbol(gate.status)) \(gate.severity.rawValue) \(paint(gate.id, .bold)) \(gate.title) (\(counts))")
            // Skips for another target are expected; skips because a needed check did not pass are not.
            for check in gate.checks where check.outcome == .failed || check.outcome == .errored || check.outcome == .warned
                || (check.outcome == .skipped && check.skipReason == .needsNotPassed) {
                lines.append("    \(symbol(check.outcome)) \(check.name): \(check.message)")
                for finding in check.findings where check.outcome != .skipped {
                    lines.append(paint("        \(JUnitReporter.position(finding)): \(finding.message)", .dim))
                }
            }
            guard gate.status == .failed || gate.status == .errored, !gate.runbook.isEmpty else { continue }
            lines.append("    Immediate actions (respond \(gate.responseTime); \(gate.escalation)):")
            for (index, action) in gate.runbook.enumerated() {
                let text = action.split(whereSeparator: \.isNewline).joined(separator: "\n           ")
                lines.append("      \(index + 1). \(text)")
            }
        }
        if let reason = report.stoppedEarly { lines.append(paint("stopped early: \(reason)", .yellow)) }
        if let explanation = verdict.explanation, report.stoppedEarly == nil || verdict.reason != .interrupted {
            lines.append(paint(explanation, verdict.reason == .interrupted ? .yellow : .red))
        }
        let headline = paint(verdict.headline, verdict.passed ? .green : verdict.reason == .interrupted ? .yellow : .red)
        let warned = report.count(.warned) > 0 ? "\(report.count(.warned)) warned, " : ""
        lines.append("\(headline): \(report.count(.passed)) passed, \(report.count(.failed)) failed, "
                     + "\(report.count(.errored)) errored, \(warned)\(report.count(.skipped)) skipped in "
                     + "\(JUnitReporter.time(report.durationSeconds)) s (target \(report.target.rawValue), blocking at \(verdict.failOn.rawValue) and above)")
        if !reportPaths.isEmpty { lines.append("Reports: \(reportPaths.joined(separator: ", "))") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line for a check that just finished, for progress on a terminal.
    public func progress(gate: String, _ check: CheckReport) -> String {
        "\(symbol(check.outcome)) \(UntrustedText.escaped(gate)) / \(UntrustedText.escaped(check.name))"
    }

    enum Style: String {
        case red = "31", green = "32", yellow = "33", bold = "1", dim = "2"
    }

    func paint(_ text: String, _ style: Style) -> String {
        colors ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// The glyph of an outcome: ✓ ✗ ! - ⚠, coloured when colours are on.
    public func symbol(_ outcome: Outcome) -> String {
        switch outcome {
        case .passed: paint("✓", .green)
        case .failed: paint("✗", .red)
        case .errored: paint("!", .yellow)
        case .skipped: paint("-", .dim)
        case .warned: paint("⚠", .yellow)
        }
    }
}
