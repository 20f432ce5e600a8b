import TextSearch

/// Reads dotenv files as docker compose and python-dotenv do: `KEY=value`, optional `export `,
/// single quotes (literal), double quotes (with \n \t \" \\ escapes), `#` comments, and an inline
/// comment after an unquoted value when a space precedes the `#`.
public enum DotEnv {
    /// A variable, the line it was set on, and its value.
    public struct Entry: Equatable, Sendable {
        public let name: String
        public let value: String
        public let line: Int
        /// Where the value starts (after `=` and any blanks).
        public var column: Int = 1
    }

    /// A line that is not `KEY=value`, with the 1-based line and column of the problem.
    public struct SyntaxError: Error, Equatable, Sendable {
        public let line: Int
        public let column: Int
        public let reason: String
    }

    public static func parse(_ text: String) throws(SyntaxError) -> [Entry] {
        var entries: [Entry] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            var line = Substring(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine)
            if lineNumber == 1, line.first == "\u{FEFF}" { line = line.dropFirst() }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            line = line.dropFirst(indent)
            if line.isEmpty || line.first == "#" { continue }
            if line.hasPrefix("export ") { line = line.dropFirst(7).drop { $0 == " " } }
            guard let equals = line.firstIndex(of: "=") else {
                throw SyntaxError(line: lineNumber, column: indent + 1, reason: "expected KEY=value")
            }
            let name = line[..<equals].trimmingCharacters(in: " \t")
            guard isVariableName(name) else {
                throw SyntaxError(line: lineNumber, column: indent + 1, reason: "'\(name)' is not a variable name")
            }
            let valueColumn = rawLine.distance(from: rawLine.startIndex, to: equals) + 2
            let value = try parseValue(line[line.index(after: equals)...], line: lineNumber, column: valueColumn)
            let blanks = line[line.index(after: equals)...].prefix { $0 == " " || $0 == "\t" }.count
            entries.append(Entry(name: name, value: value, line: lineNumber, column: valueColumn + blanks))
        }
        return entries
    }

    public static func isVariableName(_ name: some StringProtocol) -> Bool {
        guard let first = name.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }

    private static func parseValue(_ raw: Substring, line: Int, column: Int) throws(SyntaxError) -> String {
        let value = raw.drop { $0 == " " || $0 == "\t" }
        guard let quote = value.first, quote == "'" || quote == "\"" else {
            // Unquoted: an inline comment needs whitespace before its '#'.
            var text = value
            if let hash = text.indices.first(where: { text[$0] == "#" && $0 > text.startIndex
                && (text[text.index(before: $0)] == " " || text[text.index(before: $0)] == "\t") }) {
                text = text[..<hash]
            }
            return text.trimmingCharacters(in: " \t")
        }
        var result = ""
        var index = value.index(after: value.startIndex)
        while index < value.endIndex {
            let character = value[index]
            if character == quote {
                let rest = value[value.index(after: index)...].drop { $0 == " " || $0 == "\t" }
                guard rest.isEmpty || rest.first == "#" else {
                    throw SyntaxError(line: line, column: column, reason: "unexpected text after the closing quote")
                }
                return result
            }
            if quote == "\"", character == "\\", value.index(after: index) < value.endIndex {
                index = value.index(after: index)
                switch value[index] {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "r": result.append("\r")
                default: result.append(value[index])
                }
            } else {
                result.append(character)
            }
            index = value.index(after: index)
        }
        throw SyntaxError(line: line, column: column, reason: "unterminated \(quote == "'" ? "single" : "double")-quoted value")
    }
}
