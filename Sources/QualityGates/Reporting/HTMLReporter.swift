import TextSearch

/// The HTML report (`--html`, by default `reports/index.html`): one self-contained page, with no
/// external resource and no script, readable in light and dark mode and printable. A header with
/// the verdict, the gates by severity, each failure with its resolved values and the runbook's
/// actions, the warnings, and for every measurement with a history a plot drawn in inline SVG: the
/// series of the last runs, the budget line, the runs that warned or failed marked, and a strip of
/// each run's outcome.
public enum HTMLReporter {
    public static func render(_ report: RunReport, verdict: Verdict, trend: [HistoryStore.CheckHistory]? = nil) -> String {
        let headline = verdict.passed ? "Quality gates passed" : verdict.reason == .interrupted ? "Quality gates interrupted" : "Quality gates failed"
        let state = verdict.passed ? "passed" : "failed"
        var body: [String] = []
        body.append("<header class=\"verdict \(state)\"><h1>\(verdict.passed ? "✓" : "✗") \(escape(headline))</h1>")
        let warned = report.count(.warned) > 0 ? "\(report.count(.warned)) warned, " : ""
        body.append("<p>Target <strong>\(escape(report.target.rawValue))</strong>: \(report.count(.passed)) passed, \(report.count(.failed)) failed, "
                    + "\(report.count(.errored)) errored, \(warned)\(report.count(.skipped)) skipped in \(JUnitReporter.time(report.durationSeconds)) s; "
                    + "blocking at \(verdict.failOn.rawValue) and above.</p>")
        if let explanation = verdict.explanation { body.append("<p class=\"explanation\">\(escape(explanation))</p>") }
        if let stopped = report.stoppedEarly { body.append("<p class=\"explanation\">The run stopped early: \(escape(stopped)).</p>") }
        body.append("<p class=\"meta\">\(escape(report.tool)), started \(escape(Timestamp.iso8601(report.startedAt)))</p></header>")
        if !report.configurationErrors.isEmpty {
            body.append("<section><h2>Configuration errors</h2><ul>")
            body += report.configurationErrors.map { "<li><code>\(escape($0))</code></li>" }
            body.append("</ul></section>")
        }
        if !report.gates.isEmpty {
            body.append("<section><h2>Gates by severity</h2><table><thead><tr><th>Severity</th><th>Gate</th><th>Status</th><th>Checks</th></tr></thead><tbody>")
            for gate in report.gates.sorted(by: { ($0.severity, $0.id) < ($1.severity, $1.id) }) {
                let counts = Outcome.allCases.compactMap { outcome -> String? in
                    let n = gate.checks.filter { $0.outcome == outcome }.count
                    return n == 0 ? nil : "\(n) \(outcome.rawValue)"
                }.joined(separator: ", ")
                body.append("<tr><td>\(gate.severity.rawValue)</td><td><code>\(escape(gate.id))</code> \(escape(gate.title))</td>"
                            + "<td class=\"\(gate.status.rawValue)\">\(escape(gate.status.rawValue))</td><td>\(escape(counts))</td></tr>")
            }
            body.append("</tbody></table></section>")
        }
        for gate in report.gates where gate.status == .failed || gate.status == .errored {
            body.append("<section class=\"gate \(gate.status.rawValue)\"><h2>\(gate.severity.rawValue) <code>\(escape(gate.id))</code> \(escape(gate.title))</h2>")
            for check in gate.checks where check.outcome == .failed || check.outcome == .errored {
                body.append("<div class=\"check\"><h3 class=\"\(check.outcome.rawValue)\">\(escape(check.outcome.rawValue)): \(escape(check.name))</h3>")
                body.append("<p>\(escape(check.message))</p>")
                let lines = check.details + check.findings.map { "\($0.file)\($0.line > 0 ? ":\($0.line)" : "")\($0.column > 0 ? ":\($0.column)" : ""): \($0.message)" }
                if !lines.isEmpty { body.append("<pre>\(escape(lines.joined(separator: "\n")))</pre>") }
                body.append("<p class=\"meta\">\(escape(check.kind)) check defined at <code>\(escape(check.definedAt))</code></p></div>")
            }
            if !gate.runbook.isEmpty {
                let respond = gate.responseTime.isEmpty ? "" : " (respond \(gate.responseTime)\(gate.escalation.isEmpty ? "" : "; \(gate.escalation)"))"
                body.append("<h3>Immediate actions\(escape(respond))</h3><ol>")
                body += gate.runbook.map { "<li>\(escape($0))</li>" }
                body.append("</ol>")
            }
            body.append("</section>")
        }
        let warnings = report.gates.flatMap { gate in gate.checks.filter { $0.outcome == .warned }.map { (gate, $0) } }
        if !warnings.isEmpty {
            body.append("<section><h2>Warnings (never blocking)</h2><ul>")
            body += warnings.map { gate, check in "<li><code>\(escape(gate.id))</code> <strong>\(escape(check.name))</strong>: \(escape(check.message))</li>" }
            body.append("</ul></section>")
        }
        if let trend { body += trendSection(trend, report: report) }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>\(escape(headline)) (target \(escape(report.target.rawValue)))</title>
            <style>\(style)</style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    /// A figure per measurement of this run's checks that has a history.
    static func trendSection(_ trend: [HistoryStore.CheckHistory], report: RunReport) -> [String] {
        var limits: [String: Double] = [:]
        for gate in report.gates {
            for check in gate.checks {
                for measurement in check.measurements { limits["\(gate.id)/\(check.name)/\(measurement.name)"] = measurement.limit }
            }
        }
        let ran = Set(report.gates.flatMap { gate in gate.checks.map { gate.id + "/" + $0.name } })
        let figures = trend.filter { ran.contains($0.gate + "/" + $0.check) }.flatMap { history in
            history.measurements.filter { !$0.values.isEmpty }.map { measurement in
                let label = "\(history.gate) / \(history.check): \(measurement.name)"
                let limit = limits["\(history.gate)/\(history.check)/\(measurement.name)"]
                return "<figure>" + plot(values: measurement.values, outcomes: history.outcomes, limit: limit, label: label)
                    + "<figcaption><code>\(escape(history.gate))</code> \(escape(history.check)): \(escape(measurement.name)), last "
                    + "\(escape(HistoryStore.lastValue(measurement.values)))\(limit.map { " (budget \(NumberText.number($0)))" } ?? "")</figcaption></figure>"
            }
        }
        guard !figures.isEmpty else { return [] }
        let runs = trend.map(\.outcomes.count).max() ?? 0
        return ["<section class=\"trends\"><h2>Trends: the last \(runs) \(escape(report.target.rawValue)) run\(runs == 1 ? "" : "s"), oldest first</h2>",
                "<p class=\"meta\">The line is the measurement; the dashed line its budget; a ring marks a run that warned, a cross one that failed or errored; "
                    + "the strip below shows each run's outcome.</p>",
                "<div class=\"plots\">"] + figures + ["</div></section>"]
    }

    /// Plot geometry, in the SVG's own units.
    static let width = 360.0, height = 120.0, left = 44.0, right = 8.0, top = 8.0, plotBottom = 92.0, stripTop = 102.0

    /// The series as an inline SVG: a polyline (the test reads its points), the budget, markers for
    /// the runs that warned or failed (the outcomes are matched to the values from the newest
    /// backwards), and the outcome strip.
    static func plot(values: [Double], outcomes: [Outcome], limit: Double?, label: String) -> String {
        let finite = values.filter(\.isFinite)
        let high = max(finite.max() ?? 1, limit ?? -Double.infinity)
        let low = min(finite.min() ?? 0, 0)
        let span = high > low ? (high - low) * 1.1 : 1
        func x(_ index: Int, of count: Int) -> Double {
            count <= 1 ? (left + width - right) / 2 : left + Double(index) * (width - right - left) / Double(count - 1)
        }
        func y(_ value: Double) -> Double { plotBottom - (value - low) / span * (plotBottom - top) }
        func format(_ value: Double) -> String { String(Double((value * 10).rounded()) / 10) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(label))\">"
        svg += "<line class=\"axis\" x1=\"\(format(left))\" y1=\"\(format(plotBottom))\" x2=\"\(format(width - right))\" y2=\"\(format(plotBottom))\"/>"
        svg += "<text class=\"tick\" x=\"\(format(left - 4))\" y=\"\(format(top + 8))\" text-anchor=\"end\">\(escape(NumberText.number((low + span).rounded())))</text>"
        svg += "<text class=\"tick\" x=\"\(format(left - 4))\" y=\"\(format(plotBottom))\" text-anchor=\"end\">\(escape(NumberText.number(low)))</text>"
        if let limit {
            svg += "<line class=\"budget\" x1=\"\(format(left))\" y1=\"\(format(y(limit)))\" x2=\"\(format(width - right))\" y2=\"\(format(y(limit)))\"/>"
        }
        let points = values.enumerated().map { "\(format(x($0.offset, of: values.count))),\(format(y($0.element.isFinite ? $0.element : low)))" }
        svg += "<polyline class=\"series\" points=\"\(points.joined(separator: " "))\"/>"
        let matched = Array(outcomes.suffix(values.count))
        let offset = values.count - matched.count
        for (index, outcome) in matched.enumerated() {
            let px = format(x(index + offset, of: values.count)), py = format(y(values[index + offset]))
            switch outcome {
            case .warned: svg += "<circle class=\"warned\" cx=\"\(px)\" cy=\"\(py)\" r=\"4\"/>"
            case .failed, .errored: svg += "<path class=\"failed\" d=\"M\(px) \(py)m-4 -4l8 8m0 -8l-8 8\"/>"
            default: svg += "<circle class=\"point\" cx=\"\(px)\" cy=\"\(py)\" r=\"2\"/>"
            }
        }
        let cell = (width - right - left) / Double(max(outcomes.count, 1))
        for (index, outcome) in outcomes.enumerated() {
            svg += "<rect class=\"\(outcome.rawValue)\" x=\"\(format(left + Double(index) * cell))\" y=\"\(format(stripTop))\" "
                + "width=\"\(format(max(cell - 1, 1)))\" height=\"10\"><title>\(outcome.rawValue)</title></rect>"
        }
        return svg + "</svg>"
    }

    /// Text for HTML content and attribute values.
    static func escape(_ text: String) -> String {
        // Most texts are plain printable ASCII: nothing to change, nothing to copy.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x26 && $0 != 0x3C && $0 != 0x3E && $0 != 0x22 && $0 != 0x27 }) {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}"..."\u{9F}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static let style = """
        :root{--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--line:#d0d7de;--card:#f6f8fa;--passed:#1a7f37;--failed:#cf222e;--errored:#bc4c00;\
        --warned:#9a6700;--skipped:#8c959f;--series:#0969da}\
        @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;--passed:#3fb950;\
        --failed:#f85149;--errored:#db6d28;--warned:#d29922;--skipped:#6e7681;--series:#4493f8}}\
        body{margin:0 auto;max-width:72rem;padding:1.5rem;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,sans-serif}\
        h1{margin:0 0 .5rem;font-size:1.6rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}h3{font-size:1rem;margin:.75rem 0 .25rem}\
        .verdict{border-left:.4rem solid var(--passed);background:var(--card);padding:1rem 1.25rem;border-radius:.4rem}\
        .verdict.failed{border-left-color:var(--failed)}.explanation{font-weight:600}.meta{color:var(--muted);font-size:.85rem}\
        table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}\
        td.passed,h3.passed{color:var(--passed)}td.failed,h3.failed{color:var(--failed)}td.errored,h3.errored{color:var(--errored)}\
        td.warned{color:var(--warned)}td.skipped{color:var(--skipped)}\
        .gate{border:1px solid var(--line);border-radius:.4rem;padding:0 1rem .75rem;margin-top:1rem}\
        pre{background:var(--card);padding:.5rem .75rem;overflow-x:auto;white-space:pre-wrap;border-radius:.3rem}\
        code{font-family:ui-monospace,monospace;font-size:.9em}\
        .plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));gap:1rem}\
        figure{margin:0;border:1px solid var(--line);border-radius:.4rem;padding:.5rem;background:var(--card);break-inside:avoid}\
        figcaption{font-size:.85rem;color:var(--muted)}svg{width:100%;height:auto}\
        svg .axis{stroke:var(--line)}svg .tick{fill:var(--muted);font-size:9px}svg .budget{stroke:var(--failed);stroke-dasharray:4 3}\
        svg .series{fill:none;stroke:var(--series);stroke-width:2}svg .point{fill:var(--series)}\
        svg .warned{fill:none;stroke:var(--warned);stroke-width:2}svg .failed{stroke:var(--failed);stroke-width:2}\
        svg rect.passed{fill:var(--passed)}svg rect.failed{fill:var(--failed)}svg rect.errored{fill:var(--errored)}\
        svg rect.warned{fill:var(--warned)}svg rect.skipped{fill:var(--skipped)}\
        @media print{body{max-width:none;padding:0;font-size:11pt}.verdict,figure,pre{background:none}.gate,figure{break-inside:avoid}}
        """
}
