import Foundation

/// A regular expression from a gate file, compiled when the file loads (ICU syntax, as
/// NSRegularExpression reads it).
public struct Pattern: Sendable, CustomStringConvertible {
    /// The expression as written.
    public let source: String
    private let regex: NSRegularExpression

    /// Compiles `source`; the error says why it is not a valid expression.
    public init(_ source: String) throws {
        self.source = source
        self.regex = try NSRegularExpression(pattern: source, options: [])
    }

    /// True when the expression matches anywhere in `text`.
    public func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// True when the expression matches the whole of `text`.
    public func matchesWhole(_ text: String) -> Bool {
        guard let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return false }
        return match.range == NSRange(text.startIndex..., in: text)
    }

    /// The 1-based line and column of the first match in `text`, and the matching line.
    public func firstMatch(in text: String) -> (line: Int, column: Int, lineText: String)? {
        guard let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range, in: text) else { return nil }
        let before = text[..<range.lowerBound]
        let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        let lineEnd = text[range.lowerBound...].firstIndex(of: "\n") ?? text.endIndex
        return (line, text.distance(from: lineStart, to: range.lowerBound) + 1, String(text[lineStart..<lineEnd]))
    }

    public var description: String { source }
}
