import XMLWriter

/// JUnit XML as CI systems read it: one flat `<testsuite>` per gate with a `severity` property,
/// one `<testcase>` per check with a stable name, `<failure>`, `<error>` or `<skipped>` with the
/// message in the attribute and the detail, resolved values and runbook in the body. Written
/// through libxml2, so the document is well-formed whatever the messages hold.
public enum JUnitReporter {
    /// Longest `message` attribute; the full text stays in the element's body.
    static let maxAttributeLength = 1_024

    /// The report as a JUnit document. A verdict the checks do not show (an interruption, a
    /// history that could not be kept) is one errored test case of a `quality-gates run` suite.
    public static func render(_ report: RunReport, verdict: Verdict) throws(XMLWriterError) -> [UInt8] {
        let xml = try XMLDocumentWriter()
        let checks = report.allChecks
        try xml.startElement("testsuites")
        try xml.attribute("name", "quality-gates")
        let verdictCase = verdict.explanation == nil ? 0 : 1
        try xml.attribute("tests", String(checks.count + verdictCase))
        try xml.attribute("failures", String(report.count(.failed)))
        try xml.attribute("errors", String(report.count(.errored) + verdictCase))
        try xml.attribute("time", time(report.durationSeconds))
        if !report.configurationErrors.isEmpty { try configurationSuite(report, xml) }
        if let explanation = verdict.explanation { try runSuite(verdict, explanation, xml) }
        for gate in report.gates { try suite(gate, report: report, xml) }
        try xml.endElement()
        return try xml.finish()
    }

    private static func suite(_ gate: GateReport, report: RunReport, _ xml: XMLDocumentWriter) throws(XMLWriterError) {
        try xml.startElement("testsuite")
        try xml.attribute("name", gate.id)
        try xml.attribute("tests", String(gate.checks.count))
        try xml.attribute("failures", String(gate.checks.filter { $0.outcome == .failed }.count))
        try xml.attribute("errors", String(gate.checks.filter { $0.outcome == .errored }.count))
        try xml.attribute("skipped", String(gate.checks.filter { $0.outcome == .skipped }.count))
        try xml.attribute("time", time(gate.checks.reduce(0) { $0 + $1.durationSeconds }))
        try xml.attribute("timestamp", Timestamp.iso8601(report.startedAt))
        try xml.startElement("properties")
        let warnings = gate.checks.filter { $0.outcome == .warned }.map { ("warning", "\($0.name): \(truncated($0.message))") }
        for (name, value) in [("severity", gate.severity.rawValue), ("title", gate.title), ("target", report.target.rawValue),
                              ("response_time", gate.responseTime), ("escalation", gate.escalation)] + warnings {
            try xml.startElement("property")
            try xml.attribute("name", name)
            try xml.attribute("value", value)
            try xml.endElement()
        }
        try xml.endElement()
        for check in gate.checks { try testcase(check, gate: gate, xml) }
        try xml.endElement()
    }

    private static func testcase(_ check: CheckReport, gate: GateReport, _ xml: XMLDocumentWriter) throws(XMLWriterError) {
        try xml.startElement("testcase")
        try xml.attribute("classname", gate.id)
        try xml.attribute("name", check.name)
        try xml.attribute("time", time(check.durationSeconds))
        let element: String? = switch check.outcome {
        case .passed, .warned: nil
        case .failed: "failure"
        case .errored: "error"
        case .skipped: "skipped"
        }
        if check.outcome == .warned {
            // A warning passes the test case: it is told in the output, never as a failure.
            try xml.startElement("system-out")
            try xml.text("WARNING (never blocking): " + body(check, gate: gate))
            try xml.endElement()
        }
        if let element {
            try xml.startElement(element)
            try xml.attribute("message", truncated(check.message))
            try xml.attribute("type", "\(check.kind) \(check.outcome.rawValue)")
            if check.outcome != .skipped { try xml.text(body(check, gate: gate)) }
            try xml.endElement()
        }
        try xml.endElement()
    }

    private static func runSuite(_ verdict: Verdict, _ explanation: String, _ xml: XMLDocumentWriter) throws(XMLWriterError) {
        try xml.startElement("testsuite")
        try xml.attribute("name", "quality-gates run")
        try xml.attribute("tests", "1")
        try xml.attribute("failures", "0")
        try xml.attribute("errors", "1")
        try xml.startElement("testcase")
        try xml.attribute("classname", "quality-gates run")
        try xml.attribute("name", "verdict")
        try xml.startElement("error")
        try xml.attribute("message", truncated(explanation))
        try xml.attribute("type", verdict.reason.rawValue)
        try xml.text("\(explanation) (exit status \(verdict.exitStatus))")
        try xml.endElement()
        try xml.endElement()
        try xml.endElement()
    }

    /// The configuration errors of a run that could not start, as one errored test case each.
    private static func configurationSuite(_ report: RunReport, _ xml: XMLDocumentWriter) throws(XMLWriterError) {
        try xml.startElement("testsuite")
        try xml.attribute("name", "configuration")
        try xml.attribute("tests", String(report.configurationErrors.count))
        try xml.attribute("failures", "0")
        try xml.attribute("errors", String(report.configurationErrors.count))
        for (index, error) in report.configurationErrors.enumerated() {
            try xml.startElement("testcase")
            try xml.attribute("classname", "configuration")
            try xml.attribute("name", "configuration error \(index + 1)")
            try xml.startElement("error")
            try xml.attribute("message", truncated(error))
            try xml.attribute("type", "configuration")
            try xml.text(error)
            try xml.endElement()
            try xml.endElement()
        }
        try xml.endElement()
    }

    static func body(_ check: CheckReport, gate: GateReport) -> String {
        var lines = [check.message]
        lines += check.details
        lines += check.findings.map { finding in "\(position(finding)): \(finding.message)" }
        lines += check.measurements.map { "\($0.name) = \(format($0.value)) \($0.unit)" }
        lines.append("check: \(check.kind), defined at \(check.definedAt)\(check.attempts > 1 ? ", \(check.attempts) attempts" : "")")
        if !gate.runbook.isEmpty {
            lines.append("")
            lines.append("Immediate actions (\(gate.severity.rawValue), respond \(gate.responseTime); \(gate.escalation)):")
            lines += gate.runbook.enumerated().map { "\($0.offset + 1). \($0.element)" }
        }
        return lines.joined(separator: "\n")
    }

    static func position(_ finding: Finding) -> String {
        finding.line > 0 ? (finding.column > 0 ? "\(finding.file):\(finding.line):\(finding.column)" : "\(finding.file):\(finding.line)")
                         : finding.file
    }

    /// Seconds with a dot and at most three decimals, as every JUnit consumer accepts.
    static func time(_ seconds: Double) -> String { Timestamp.seconds(seconds) }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : Timestamp.seconds(value)
    }

    static func truncated(_ text: String) -> String {
        let firstLine = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return firstLine.count > maxAttributeLength ? String(firstLine.prefix(maxAttributeLength)) + "…" : firstLine
    }
}
