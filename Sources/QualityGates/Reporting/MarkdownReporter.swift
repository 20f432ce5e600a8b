import TextSearch

/// A summary for people: a table of gates, then each failing gate with its checks' messages and
/// the runbook's immediate actions. Written to `--markdown` and to `$GITHUB_STEP_SUMMARY`.
public enum MarkdownReporter {
    /// How many runs the trend section spans.
    public static let trendRuns = 20

    /// GitHub's limit for one step's summary (`$GITHUB_STEP_SUMMARY`), with room for the notice.
    public static let stepSummaryLimit = 1024 * 1024 - 512

    /// The summary as a step summary takes it: within GitHub's 1 MiB limit, with a notice, and no
    /// line a runner could read as a workflow command. What does not fit goes by whole sections
    /// from the end (the trend, the warnings, the last failing gates), so the headline, the gates'
    /// table and the first failures stay whole; a section too long by itself is cut at a line.
    public static func forStepSummary(_ markdown: String) -> String {
        let neutral = UntrustedText.neutralisingWorkflowCommands(markdown)
        guard neutral.utf8.count > stepSummaryLimit else { return neutral }
        var bytes = Array(neutral.utf8.prefix(stepSummaryLimit))
        if let lastLine = bytes.lastIndex(of: 0x0A) { bytes.removeSubrange((lastLine + 1)...) }
        // The last section that starts within the limit is cut off whole, unless it is the first.
        let starts = sectionStarts(bytes)
        var dropped = 0
        if let last = starts.last, last > (starts.first ?? 0) {
            dropped = sectionStarts(Array(neutral.utf8)).filter { $0 >= last }.count
            bytes.removeSubrange(last...)
        }
        let what = dropped > 0 ? "; \(dropped) section\(dropped == 1 ? " was" : "s were") left out" : ""
        return String(decoding: bytes, as: UTF8.self)
            + "\n> The summary was cut at GitHub's 1 MiB limit for a step summary\(what); the whole of it is in the Markdown report.\n"
    }

    /// Where each `### ` heading or `<details>` block starts (after its newline).
    private static func sectionStarts(_ bytes: [UInt8]) -> [Int] {
        let heading = Array("### ".utf8), details = Array("<details>".utf8)
        var starts: [Int] = []
        for index in bytes.indices where (index == 0 || bytes[index - 1] == 0x0A) && (bytes[index] == 0x23 || bytes[index] == 0x3C) {
            if bytes[index...].starts(with: heading) || bytes[index...].starts(with: details) { starts.append(index) }
        }
        return starts
    }

    /// The report as Markdown, headed by the verdict it is given; with `trend` (the history's
    /// newest runs, this one included), a folded section of each check's recent outcomes and
    /// measurement sparklines.
    public static func render(_ report: RunReport, verdict: Verdict, trend: [HistoryStore.CheckHistory]? = nil) -> String {
        let headline = verdict.passed ? "✅ passed" : verdict.reason == .interrupted ? "⚠️ interrupted" : "❌ failed"
        var lines = ["## Quality gates: \(headline) (target \(report.target.rawValue))", ""]
        let warned = report.count(.warned) > 0 ? "\(report.count(.warned)) warned, " : ""
        lines.append("\(report.count(.passed)) passed, \(report.count(.failed)) failed, \(report.count(.errored)) errored, \(warned)"
                     + "\(report.count(.skipped)) skipped in \(JUnitReporter.time(report.durationSeconds)) s; blocking at \(verdict.failOn.rawValue) and above.")
        if let reason = report.stoppedEarly { lines += ["", "> ⚠️ The run stopped early: \(cell(reason))."] }
        if let explanation = verdict.explanation, report.stoppedEarly == nil || verdict.reason != .interrupted {
            lines += ["", "> ❗ \(cell(explanation.prefix(1).uppercased() + explanation.dropFirst()))."]
        }
        if !report.configurationErrors.isEmpty {
            lines += ["", "### Configuration errors", ""] + report.configurationErrors.map { "- `\(code($0))`" }
        }
        if !report.gates.isEmpty {
            lines += ["", "| Gate | Severity | Status | Checks |", "| --- | --- | --- | --- |"]
            for gate in report.gates {
                let counts = Outcome.allCases.compactMap { outcome -> String? in
                    let n = gate.checks.filter { $0.outcome == outcome }.count
                    return n == 0 ? nil : "\(n) \(outcome.rawValue)"
                }.joined(separator: ", ")
                lines.append("| `\(gate.id)` \(cell(gate.title)) | \(gate.severity.rawValue) | \(icon(gate.status)) \(gate.status.rawValue) | \(counts) |")
            }
        }
        for gate in report.gates where gate.status == .failed || gate.status == .errored {
            lines += ["", "### \(icon(gate.status)) `\(gate.id)` \(gate.title) (\(gate.severity.rawValue))", ""]
            for check in gate.checks where check.outcome == .failed || check.outcome == .errored {
                lines.append("- \(icon(check.outcome)) **\(cell(check.name))**: \(cell(check.message))")
            }
            if !gate.runbook.isEmpty {
                lines += ["", "Immediate actions (respond \(gate.responseTime); \(gate.escalation)):", ""]
                lines += gate.runbook.enumerated().map { "\($0.offset + 1). \(cell($0.element))" }
            }
        }
        let warnings = report.gates.flatMap { gate in gate.checks.filter { $0.outcome == .warned }.map { (gate, $0) } }
        if !warnings.isEmpty {
            lines += ["", "### ⚠️ Warnings (never blocking)", ""]
            lines += warnings.map { gate, check in "- `\(gate.id)` **\(cell(check.name))**: \(cell(check.message))" }
        }
        if let trend { lines += trendSection(trend, report: report) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The checks of this run as `quality-gates history` shows them, in a table inside <details>.
    static func trendSection(_ trend: [HistoryStore.CheckHistory], report: RunReport) -> [String] {
        let ran = Set(report.gates.flatMap { gate in gate.checks.map { gate.id + "/" + $0.name } })
        let rows = trend.filter { ran.contains($0.gate + "/" + $0.check) }
        guard !rows.isEmpty else { return [] }
        let runs = rows.map(\.outcomes.count).max() ?? 0
        var lines = ["", "<details><summary>Trend: the last \(runs) \(report.target.rawValue) run\(runs == 1 ? "" : "s"), oldest first</summary>", "",
                     "| Gate | Check | Outcomes | Measurement | Trend | Last |", "| --- | --- | --- | --- | --- | --- |"]
        for check in rows {
            let outcomes = "`\(check.outcomeGlyphs)`"
            guard !check.measurements.isEmpty else {
                lines.append("| `\(check.gate)` | \(cell(check.check)) | \(outcomes) | | | |")
                continue
            }
            for (index, measurement) in check.measurements.enumerated() {
                let last = HistoryStore.lastValue(measurement.values)
                lines.append(index == 0
                             ? "| `\(check.gate)` | \(cell(check.check)) | \(outcomes) | \(cell(measurement.name)) | \(HistoryStore.sparkline(measurement.values)) | \(last) |"
                             : "| | | | \(cell(measurement.name)) | \(HistoryStore.sparkline(measurement.values)) | \(last) |")
            }
        }
        return lines + ["", "✓ passed, ✗ failed, ! errored, - skipped, ~ warned. `quality-gates history` shows the same.", "", "</details>"]
    }

    static func icon(_ outcome: Outcome) -> String {
        switch outcome {
        case .passed: "✅"
        case .failed: "❌"
        case .errored: "⚠️"
        case .skipped: "⏭️"
        case .warned: "⚠️"
        }
    }

    /// Text safe in a table cell or list item: pipes escaped, lines joined.
    static func cell(_ text: String) -> String {
        text.replacingAll("|", with: "\\|").split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    private static func code(_ text: String) -> String { cell(text).replacingAll("`", with: "'") }
}
