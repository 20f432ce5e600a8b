/// Text that came from a server or a checked file, made safe for every sink: a terminal, a CI
/// log a runner reads commands from, XML, JSON, Markdown.
///
/// - Control characters (C0, DEL, C1), the ESC that starts CSI and OSC sequences, bidirectional
///   overrides and isolates, and line and paragraph separators are shown escaped (`\x1b`, `\n`,
///   `\u{202e}`), never written raw: a value cannot move the cursor, retitle a terminal, clear a
///   screen, reorder what a reviewer reads, or start a line of its own.
/// - Lengths are capped, with the number of bytes left out said: a 5 MB body is a few KiB of
///   report.
public enum UntrustedText {
    /// A value quoted inside a message (a response body, a header, a file's line).
    public static let quotedLimit = 1024
    /// A check's message.
    public static let messageLimit = 4096
    /// One detail line, or one finding's message.
    public static let lineLimit = 1024
    /// Details kept per check, and findings kept per check.
    public static let detailCount = 50
    public static let findingCount = 100

    /// What a cut text ends with: `… (N more bytes)`. The redactor looks for it, so a secret cut
    /// in two is still masked.
    public static let cutMarker = "… ("

    /// `text` with every character that could act on a terminal or a log escaped.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let hex = String(scalar.value, radix: 16)
                out += scalar.value < 0x100 ? "\\x" + (hex.count == 1 ? "0" : "") + hex : "\\u{\(hex)}"
            }
        }
        return out
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        // LRM, RLM, ALM; LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI; line and paragraph separators.
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: true
        default: false
        }
    }

    /// `text` escaped and cut to `limit` bytes at a character boundary, saying how much was left out.
    public static func quoted(_ text: String, limit: Int = quotedLimit) -> String {
        capped(escaped(text), limit: limit)
    }

    /// `text` cut to `limit` bytes at a character boundary (never inside an escape), with
    /// `… (N more bytes)` when anything was left out.
    public static func capped(_ text: String, limit: Int) -> String {
        let utf8 = text.utf8
        guard utf8.count > limit else { return text }
        var end = utf8.index(utf8.startIndex, offsetBy: limit)
        while end > utf8.startIndex, utf8[end] & 0xC0 == 0x80 {
            end = utf8.index(before: end)
        }
        var kept = text[..<end]
        // An escape cut in half (`\x1` of `\x1b`) would read as something else.
        if let slash = kept.lastIndex(of: "\\"), kept.distance(from: slash, to: kept.endIndex) < 10,
           !kept[slash...].contains(" ") {
            kept = kept[..<slash]
        }
        return kept + "\(cutMarker)\(utf8.count - kept.utf8.count) more bytes)"
    }

    /// Rendered output for a console or a CI log, with every line that a runner could read as a
    /// workflow command (`::name …::`, after any indentation) neutralised with a backslash. The
    /// commands quality-gates means to write (`GitHubAnnotations`) are written apart from this.
    public static func neutralisingWorkflowCommands(_ rendered: String) -> String {
        guard rendered.contains("::") else { return rendered }
        var lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for index in lines.indices {
            let line = lines[index]
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("::") {
                let indent = line.prefix(line.count - trimmed.count)
                lines[index] = indent + "\\" + trimmed
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension RunReport {
    /// The report made safe for every sink, after redaction: every string escaped
    /// (`UntrustedText.escaped`) and cut to its bound; details and findings beyond their count are
    /// left out with a line that says how many. Bounds per check: a 4 KiB message, 50 details
    /// and 100 findings of 1 KiB each.
    public func sanitized() -> RunReport {
        var copy = self
        copy.stoppedEarly = stoppedEarly.map { UntrustedText.quoted($0, limit: UntrustedText.messageLimit) }
        copy.configurationErrors = configurationErrors.prefix(UntrustedText.findingCount).map {
            UntrustedText.quoted($0, limit: UntrustedText.messageLimit)
        }
        copy.gates = gates.map { gate in
            var gate = gate
            gate.id = UntrustedText.quoted(gate.id, limit: UntrustedText.lineLimit)
            gate.title = UntrustedText.quoted(gate.title, limit: UntrustedText.lineLimit)
            gate.runbook = gate.runbook.map { UntrustedText.quoted($0, limit: UntrustedText.lineLimit) }
            gate.checks = gate.checks.map { $0.sanitized() }
            return gate
        }
        return copy
    }
}

extension CheckReport {
    /// One check's report made safe (see `RunReport.sanitized`).
    public func sanitized() -> CheckReport {
        var check = self
        check.name = UntrustedText.quoted(name, limit: UntrustedText.lineLimit)
        check.message = UntrustedText.quoted(message, limit: UntrustedText.messageLimit)
        var details = self.details.prefix(UntrustedText.detailCount).map { UntrustedText.quoted($0, limit: UntrustedText.lineLimit) }
        if self.details.count > UntrustedText.detailCount {
            details.append("… \(self.details.count - UntrustedText.detailCount) more details left out")
        }
        check.details = details
        check.findings = findings.prefix(UntrustedText.findingCount).map { finding in
            var finding = finding
            finding.file = UntrustedText.quoted(finding.file, limit: UntrustedText.lineLimit)
            finding.message = UntrustedText.quoted(finding.message, limit: UntrustedText.lineLimit)
            return finding
        }
        if findings.count > UntrustedText.findingCount {
            check.details.append("… \(findings.count - UntrustedText.findingCount) more findings left out of the reports")
        }
        return check
    }
}
