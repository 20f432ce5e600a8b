/// What can be said about SDL text before it is parsed: whether it starts with lines that are not
/// GraphQL, as when an export captured a log line (`Importing plotly failed. Interactive plots will
/// not work.`) or a shell banner along with the schema.
public enum SDLText {
    /// The words a GraphQL type-system document may start a definition with.
    static let definitionStarts: Set<String> = ["type", "schema", "scalar", "enum", "input", "interface", "union", "directive", "extend"]

    /// The first line, when it is not GraphQL: blank lines and `#` comments are passed over; a
    /// definition keyword or a description (`"`) starts GraphQL.
    public static func leadingNonGraphQL(_ bytes: [UInt8]) -> (line: Int, text: String)? {
        var number = 0
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            var line = String(decoding: raw, as: UTF8.self)
            if number == 1, line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.hasPrefix("\"") { return nil }
            let word = trimmed.prefix { $0.isLetter || $0 == "_" }
            if definitionStarts.contains(String(word)) && (trimmed.count == word.count || !trimmed.dropFirst(word.count).first!.isLetter) {
                return nil
            }
            let shown = trimmed.trimmingSuffix()
            return (number, shown.count > 120 ? String(shown.prefix(120)) + "…" : shown)
        }
        return nil
    }

    /// Whether the text's first definition belongs to the type system (`type`, `schema`, `input`,
    /// `extend`, …, or a description before one): a schema file, not an operations document.
    public static func isTypeSystem(_ text: String) -> Bool {
        for raw in text.split(whereSeparator: \.isNewline) {
            let trimmed = raw.drop { $0 == " " || $0 == "\t" || $0 == "\u{FEFF}" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.hasPrefix("\"") { return true }
            let word = String(trimmed.prefix { $0.isLetter || $0 == "_" })
            return definitionStarts.contains(word)
        }
        return false
    }

    /// What such a line most likely is, and how to export cleanly.
    public static func likelyCause(of line: String) -> String {
        let lower = line.lowercased()
        let kind = lower.contains("warning") || lower.contains("error") || lower.contains("failed") || lower.contains("importing")
            || lower.contains("info") || lower.contains("debug") ? "a log or warning line printed during the export"
            : "text that is not part of the schema (a log line, a banner, or a file that is not SDL)"
        return "it looks like \(kind). Export with logs kept off standard output "
            + "(`strawberry export-schema app.graphql.schema:schema --output schema.graphql`, or `2>/dev/null`), or delete the line"
    }
}

extension Substring {
    fileprivate func trimmingSuffix() -> String {
        var text = self
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return String(text)
    }
}
