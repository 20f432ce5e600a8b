/// A regular expression from a gate file, compiled when the file loads. Swift's own regex
/// engine (the syntax of Perl, ICU and PCRE for everything a gate file needs); it avoids the
/// milliseconds ICU spends initialising its regex tables on first use.
public struct Pattern: @unchecked Sendable, CustomStringConvertible {
    // @unchecked: a compiled Regex is an immutable value; AnyRegexOutput is what keeps it from
    // being Sendable, and no output escapes this type.
    private let regex: Regex<AnyRegexOutput>
    /// The expression as written.
    public let source: String

    /// Compiles `source`; the error says why it is not a valid expression.
    public init(_ source: String) throws {
        self.source = source
        self.regex = try Regex(source)
    }

    /// True when the expression matches anywhere in `text`.
    public func matches(_ text: String) -> Bool {
        text.contains(regex)
    }

    /// True when the expression matches the whole of `text`.
    public func matchesWhole(_ text: String) -> Bool {
        (try? regex.wholeMatch(in: text)) != nil
    }

    /// The 1-based line and column of the first match in `text`, and the matching line.
    public func firstMatch(in text: String) -> (line: Int, column: Int, lineText: String)? {
        guard let match = try? regex.firstMatch(in: text) else { return nil }
        let start = match.range.lowerBound
        let before = text[..<start]
        let line = before.reduce(1) { Self.endsLine($1) ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(where: Self.endsLine).map { text.index(after: $0) } ?? text.startIndex
        let lineEnd = text[start...].firstIndex(where: Self.endsLine) ?? text.endIndex
        return (line, text.distance(from: lineStart, to: start) + 1, String(text[lineStart..<lineEnd]))
    }

    /// A Character holds Windows' "\r\n" as one, which is not "\n".
    private static func endsLine(_ character: Character) -> Bool { character == "\n" || character == "\r\n" }

    public var description: String { source }
}
