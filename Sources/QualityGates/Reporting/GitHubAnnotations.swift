import TextSearch

/// GitHub Actions workflow commands (`::error file=…,line=…::message`) for failed and errored
/// checks that point at a file: `error` for gates that block (at or above `--fail-on`), `warning`
/// for the rest. At most `limit` of each type; then one line says how many more there were.
public enum GitHubAnnotations {
    /// GitHub shows only the first ten annotations of a type per step.
    public static let limit = 10

    /// The workflow commands; `pathPrefix` is the project root relative to the repository (or "").
    public static func render(_ report: RunReport, failOn: Severity, pathPrefix: String = "") -> String {
        var byType: [String: [String]] = ["error": [], "warning": []]
        for gate in report.gates {
            for check in gate.checks where check.outcome == .failed || check.outcome == .errored || check.outcome == .warned {
                let type = gate.severity.isAtOrAbove(failOn) && check.outcome != .warned ? "error" : "warning"
                for finding in check.findings {
                    var properties = ["file=\(property(join(pathPrefix, finding.file)))"]
                    if finding.line > 0 { properties.append("line=\(finding.line)") }
                    if finding.column > 0 { properties.append("col=\(finding.column)") }
                    properties.append("title=\(property("\(gate.severity.rawValue) \(gate.id) / \(check.name)"))")
                    byType[type, default: []].append("::\(type) \(properties.joined(separator: ","))::\(data(check.message))")
                }
            }
        }
        var lines: [String] = []
        for type in ["error", "warning"] {
            let all = byType[type] ?? []
            lines += all.prefix(limit)
            if all.count > limit {
                lines.append("::notice::\(all.count - limit) more \(type) annotations not shown; see the JUnit and Markdown reports")
            }
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    private static func join(_ prefix: String, _ path: String) -> String {
        prefix.isEmpty || prefix == "." || path.hasPrefix("/") ? path : "\(prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix)/\(path)"
    }

    /// Escaping of a command's message, as the Actions toolkit does it.
    static func data(_ text: String) -> String {
        text.replacingAll("%", with: "%25").replacingAll("\r", with: "%0D")
            .replacingAll("\n", with: "%0A")
    }

    /// Escaping of a command's property value, as the Actions toolkit does it.
    static func property(_ text: String) -> String {
        data(text).replacingAll(":", with: "%3A").replacingAll(",", with: "%2C")
    }
}
