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
        var text = text
        // withUTF8 rethrows untyped errors; the typed one is carried out in a Result.
        return try text.withUTF8 { bytes in Result { () throws(SyntaxError) in try parse(bytes: bytes) } }.get()
    }

    /// Works on the bytes: every byte the syntax gives meaning to is ASCII, and Characters would
    /// take "\r\n" for one, so that a file with Windows line ends read as a single line.
    private static func parse(bytes: UnsafeBufferPointer<UInt8>) throws(SyntaxError) -> [Entry] {
        var entries: [Entry] = []
        var lineStart = 0
        var lineNumber = 0
        while lineStart <= bytes.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != newline { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            var end = lineEnd
            if end > lineStart, bytes[end - 1] == carriageReturn { end -= 1 }
            var start = lineStart
            // A byte-order mark counts as one column, as the character it is.
            var columnOffset = 0
            if lineNumber == 1, end - start >= 3, bytes[start] == 0xEF, bytes[start + 1] == 0xBB, bytes[start + 2] == 0xBF {
                start += 3
                columnOffset = 2
            }
            let indent = blanks(bytes, from: start, to: end)
            start += indent
            if start == end || bytes[start] == hash { continue }
            if hasExport(bytes, from: start, to: end) {
                start += 7
                while start < end, bytes[start] == space { start += 1 }
            }
            guard let equals = (start..<end).first(where: { bytes[$0] == equalsSign }) else {
                throw SyntaxError(line: lineNumber, column: indent + 1, reason: "expected KEY=value")
            }
            var nameEnd = equals
            while nameEnd > start, isBlank(bytes[nameEnd - 1]) { nameEnd -= 1 }
            let nameStart = start + blanks(bytes, from: start, to: nameEnd)
            let name = text(bytes, nameStart, nameEnd)
            guard isVariableName(name) else {
                throw SyntaxError(line: lineNumber, column: indent + 1, reason: "'\(name)' is not a variable name")
            }
            let valueColumn = equals - lineStart - columnOffset + 2
            let valueStart = equals + 1 + blanks(bytes, from: equals + 1, to: end)
            let value = try parseValue(bytes, from: valueStart, to: end, line: lineNumber, column: valueColumn)
            entries.append(Entry(name: name, value: value, line: lineNumber, column: valueColumn + valueStart - equals - 1))
        }
        return entries
    }

    private static let (newline, carriageReturn, space, tab): (UInt8, UInt8, UInt8, UInt8) = (0x0A, 0x0D, 0x20, 0x09)
    private static let (hash, equalsSign, backslash, singleQuote, doubleQuote): (UInt8, UInt8, UInt8, UInt8, UInt8) = (0x23, 0x3D, 0x5C, 0x27, 0x22)

    private static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    /// How many spaces and tabs start `bytes[from..<to]`.
    private static func blanks(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        var index = from
        while index < to, isBlank(bytes[index]) { index += 1 }
        return index - from
    }

    private static func hasExport(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Bool {
        to - from >= 7 && bytes[from..<from + 7].elementsEqual("export ".utf8)
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
    }

    /// An ASCII letter or `_`, then ASCII letters, digits and `_`. Bytes, not Characters: gate
    /// files ask this of every `${…}` they hold, and a Character's Unicode properties are slow.
    /// Inlinable, so that it is specialised for the caller's String or Substring.
    @inlinable
    public static func isVariableName(_ name: some StringProtocol) -> Bool {
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }

    /// The value in `bytes[from..<to]` (blanks before it already skipped).
    private static func parseValue(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int, line: Int, column: Int) throws(SyntaxError) -> String {
        guard from < to, bytes[from] == singleQuote || bytes[from] == doubleQuote else {
            // Unquoted: an inline comment needs whitespace before its '#'.
            var end = to
            if let comment = (from..<to).first(where: { bytes[$0] == hash && $0 > from && isBlank(bytes[$0 - 1]) }) { end = comment }
            while end > from, isBlank(bytes[end - 1]) { end -= 1 }
            return text(bytes, from, end)
        }
        let quote = bytes[from]
        var result: [UInt8] = []
        var index = from + 1
        while index < to {
            let byte = bytes[index]
            if byte == quote {
                let rest = index + 1 + blanks(bytes, from: index + 1, to: to)
                guard rest == to || bytes[rest] == hash else {
                    throw SyntaxError(line: line, column: column, reason: "unexpected text after the closing quote")
                }
                return String(decoding: result, as: UTF8.self)
            }
            if quote == doubleQuote, byte == backslash, index + 1 < to {
                index += 1
                switch bytes[index] {
                case UInt8(ascii: "n"): result.append(newline)
                case UInt8(ascii: "t"): result.append(tab)
                case UInt8(ascii: "r"): result.append(carriageReturn)
                default: result.append(bytes[index])
                }
            } else {
                result.append(byte)
            }
            index += 1
        }
        throw SyntaxError(line: line, column: column, reason: "unterminated \(quote == singleQuote ? "single" : "double")-quoted value")
    }
}
