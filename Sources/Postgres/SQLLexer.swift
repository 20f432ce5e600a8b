/// A token of PostgreSQL's SQL as the server's own lexer (`src/backend/parser/scan.l`, with
/// `standard_conforming_strings` on, the default since 9.1) reads it.
public struct SQLToken: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A keyword or an unquoted identifier: ASCII letters folded to lower case, as the server
        /// folds them (other letters are kept), cut to 63 bytes.
        case word
        /// `"…"` or `U&"…"`, decoded, case kept, cut to 63 bytes.
        case quotedIdentifier
        /// `'…'`, `E'…'`, `U&'…'`, `N'…'` or `$tag$…$tag$`, decoded; adjacent constants separated by a
        /// newline are one constant, as in SQL.
        case string
        /// `B'…'` or `X'…'`: the digits as written.
        case bitString
        case number
        /// `$1`, `$2`, …
        case parameter
        /// An operator, including `::`, `:=`, `=>`, `..`; `!=` reads as `<>`.
        case `operator`
        /// `(`, `)`, `[`, `]`, `,`, `;`, `.`, `:` and any other single character.
        case punctuation
    }

    public let kind: Kind
    public let text: String
    /// Byte offset of the token's first byte in the statement.
    public let offset: Int

    public init(_ kind: Kind, _ text: String, offset: Int) {
        self.kind = kind
        self.text = text
        self.offset = offset
    }

    /// The token is the keyword or unquoted word `word` (lower case).
    public func isWord(_ word: String) -> Bool { kind == .word && text == word }

    /// Whether the token names something: a word or a quoted identifier.
    public var isName: Bool { kind == .word || kind == .quotedIdentifier }

    public var description: String { "\(kind):\(text)" }
}

/// Why a statement cannot be read, where (byte offset); PostgreSQL refuses such text too.
public struct SQLLexError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let offset: Int
    public var description: String { "\(message) (at byte \(offset + 1))" }
}

/// Splits SQL into tokens with PostgreSQL's lexical rules: comments (`--`, nested `/* */`) dropped;
/// identifiers folded and cut as the server does; quoted identifiers with `""`; `U&"…"` and `U&'…'`
/// with `UESCAPE`; `E'…'` escapes; dollar quotes with tags; operators split the way the server
/// splits them (`--` and `/*` end an operator; a trailing `+`/`-` is only kept after `~!@#^&|\`?%`).
public enum SQLLexer {
    /// PostgreSQL's `NAMEDATALEN - 1`: longer identifiers are cut to this many bytes.
    public static let identifierLimit = 63

    public static func tokens(_ sql: String) throws(SQLLexError) -> [SQLToken] {
        var scanner = Scanner(bytes: Array(sql.utf8))
        return try scanner.run()
    }

    struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var tokens: [SQLToken] = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        func byte(_ at: Int) -> UInt8 { at < bytes.count ? bytes[at] : 0 }

        mutating func run() throws(SQLLexError) -> [SQLToken] {
            while index < bytes.count {
                let start = index
                let current = bytes[index]
                let next = byte(index + 1)
                if Self.isSpace(current) { index += 1; continue }
                if current == UInt8(ascii: "-"), next == UInt8(ascii: "-") { skipLineComment(); continue }
                if current == UInt8(ascii: "/"), next == UInt8(ascii: "*") { try skipBlockComment(); continue }
                switch current {
                case UInt8(ascii: "'"):
                    index += 1
                    try string(start: start, escapes: .standard)
                case UInt8(ascii: "\""):
                    index += 1
                    let name = try quotedIdentifier(start: start)
                    tokens.append(SQLToken(.quotedIdentifier, Self.cut(name), offset: start))
                case UInt8(ascii: "$"):
                    if Self.isDigit(next) {
                        index += 1
                        while Self.isDigit(byte(index)) { index += 1 }
                        tokens.append(SQLToken(.parameter, text(start, index), offset: start))
                    } else if let tag = dollarTag(at: index) {
                        index += tag.count
                        try dollarQuoted(tag: tag, start: start)
                    } else {
                        index += 1
                        tokens.append(SQLToken(.punctuation, "$", offset: start))
                    }
                case _ where Self.isDigit(current) || (current == UInt8(ascii: ".") && Self.isDigit(next)):
                    number(start: start)
                case _ where Self.isIdentifierStart(current):
                    try wordOrPrefixedConstant(start: start)
                case UInt8(ascii: ":") where next == UInt8(ascii: ":"), UInt8(ascii: ":") where next == UInt8(ascii: "="):
                    index += 2
                    tokens.append(SQLToken(.operator, text(start, index), offset: start))
                case UInt8(ascii: ".") where next == UInt8(ascii: "."):
                    index += 2
                    tokens.append(SQLToken(.operator, "..", offset: start))
                case _ where Self.isOperatorCharacter(current):
                    operatorToken(start: start)
                default:
                    // Punctuation, and any other character, which the server's grammar would refuse.
                    let length = Self.characterLength(current)
                    index = min(bytes.count, index + length)
                    tokens.append(SQLToken(.punctuation, text(start, index), offset: start))
                }
            }
            return tokens
        }

        // MARK: Comments

        mutating func skipLineComment() {
            while index < bytes.count, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
        }

        /// Block comments nest in PostgreSQL, unlike the SQL standard's.
        mutating func skipBlockComment() throws(SQLLexError) {
            let start = index
            var depth = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "/"), byte(index + 1) == UInt8(ascii: "*") {
                    depth += 1
                    index += 2
                } else if bytes[index] == UInt8(ascii: "*"), byte(index + 1) == UInt8(ascii: "/") {
                    depth -= 1
                    index += 2
                    if depth == 0 { return }
                } else {
                    index += 1
                }
            }
            throw SQLLexError(message: "unterminated /* comment", offset: start)
        }

        // MARK: Words and constants with a prefix

        /// A word, or `E'…'`, `N'…'`, `B'…'`, `X'…'`, `U&'…'`, `U&"…"` (the prefix must touch the quote).
        mutating func wordOrPrefixedConstant(start: Int) throws(SQLLexError) {
            let first = bytes[index] | 0x20
            let next = byte(index + 1)
            if next == UInt8(ascii: "'") {
                switch first {
                case UInt8(ascii: "e"):
                    index += 2
                    return try string(start: start, escapes: .backslash)
                case UInt8(ascii: "n"):
                    index += 2
                    return try string(start: start, escapes: .standard)
                case UInt8(ascii: "b"), UInt8(ascii: "x"):
                    index += 2
                    return try bitString(start: start, hex: first == UInt8(ascii: "x"))
                default: break
                }
            }
            if first == UInt8(ascii: "u"), next == UInt8(ascii: "&"), byte(index + 2) == UInt8(ascii: "'") || byte(index + 2) == UInt8(ascii: "\"") {
                let quote = byte(index + 2)
                index += 3
                if quote == UInt8(ascii: "\"") {
                    let raw = try quotedIdentifier(start: start)
                    let escape = try unicodeEscapeCharacter()
                    let name = try Self.decodeUnicodeEscapes(raw, escape: escape, offset: start)
                    guard !name.isEmpty else { throw SQLLexError(message: "zero-length delimited identifier", offset: start) }
                    tokens.append(SQLToken(.quotedIdentifier, Self.cut(name), offset: start))
                } else {
                    try string(start: start, escapes: .unicode)
                }
                return
            }
            while index < bytes.count, Self.isIdentifierContinue(bytes[index]) { index += 1 }
            let folded = bytes[start..<index].map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
            tokens.append(SQLToken(.word, Self.cut(String(decoding: folded, as: UTF8.self)), offset: start))
        }

        /// The escape character a `UESCAPE 'c'` after a `U&` constant names; `\` without one.
        mutating func unicodeEscapeCharacter() throws(SQLLexError) -> UInt8 {
            let saved = index
            skipSpaceAndComments()
            let wordStart = index
            guard index + 7 <= bytes.count,
                  bytes[index..<(index + 7)].map({ $0 | 0x20 }).elementsEqual("uescape".utf8),
                  !Self.isIdentifierContinue(byte(index + 7)) else {
                index = saved
                return UInt8(ascii: "\\")
            }
            index += 7
            skipSpaceAndComments()
            guard byte(index) == UInt8(ascii: "'"), byte(index + 2) == UInt8(ascii: "'"), byte(index + 3) != UInt8(ascii: "'") else {
                throw SQLLexError(message: "UESCAPE must be followed by a simple string literal of one character", offset: wordStart)
            }
            let escape = byte(index + 1)
            let invalid = Self.isHexDigit(escape) || escape == UInt8(ascii: "+") || escape == UInt8(ascii: "'")
                || escape == UInt8(ascii: "\"") || Self.isSpace(escape) || escape >= 0x80
            guard !invalid else { throw SQLLexError(message: "invalid Unicode escape character", offset: index) }
            index += 3
            return escape
        }

        mutating func skipSpaceAndComments() {
            while index < bytes.count {
                if Self.isSpace(bytes[index]) {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "-"), byte(index + 1) == UInt8(ascii: "-") {
                    skipLineComment()
                } else if bytes[index] == UInt8(ascii: "/"), byte(index + 1) == UInt8(ascii: "*") {
                    guard (try? skipBlockComment()) != nil else { return }
                } else {
                    return
                }
            }
        }

        // MARK: Quoted identifiers and strings

        /// The text of `"…"` after the opening quote, with `""` read as `"`.
        mutating func quotedIdentifier(start: Int) throws(SQLLexError) -> [UInt8] {
            var name: [UInt8] = []
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "\"") {
                    if byte(index + 1) == UInt8(ascii: "\"") {
                        name.append(UInt8(ascii: "\""))
                        index += 2
                        continue
                    }
                    index += 1
                    guard !name.isEmpty else { throw SQLLexError(message: "zero-length delimited identifier", offset: start) }
                    return name
                }
                name.append(bytes[index])
                index += 1
            }
            throw SQLLexError(message: "unterminated quoted identifier", offset: start)
        }

        enum Escapes { case standard, backslash, unicode }

        /// A string constant after its opening quote, with the constants that continue it.
        mutating func string(start: Int, escapes: Escapes) throws(SQLLexError) {
            var value: [UInt8] = []
            repeat {
                value += try stringBody(start: start, escapes: escapes)
            } while continuesConstant()
            var text = String(decoding: value, as: UTF8.self)
            if escapes == .unicode {
                let escape = try unicodeEscapeCharacter()
                text = try Self.decodeUnicodeEscapes(value, escape: escape, offset: start)
            }
            tokens.append(SQLToken(.string, text, offset: start))
        }

        /// One quoted part: up to the closing quote, `''` read as `'`; in `E'…'` backslash escapes.
        mutating func stringBody(start: Int, escapes: Escapes) throws(SQLLexError) -> [UInt8] {
            var value: [UInt8] = []
            while index < bytes.count {
                let current = bytes[index]
                if current == UInt8(ascii: "'") {
                    if byte(index + 1) == UInt8(ascii: "'") {
                        value.append(current)
                        index += 2
                        continue
                    }
                    index += 1
                    return value
                }
                if escapes == .backslash, current == UInt8(ascii: "\\") {
                    try backslashEscape(into: &value, start: start)
                    continue
                }
                value.append(current)
                index += 1
            }
            throw SQLLexError(message: "unterminated quoted string", offset: start)
        }

        /// `E'…'`'s escapes: `\b \f \n \r \t`, octal `\o`, `\oo`, `\ooo`, hex `\xh`, `\xhh`, `\uXXXX`,
        /// `\UXXXXXXXX`; any other character after `\` stands for itself.
        mutating func backslashEscape(into value: inout [UInt8], start: Int) throws(SQLLexError) {
            let escapeStart = index
            index += 1
            guard index < bytes.count else { throw SQLLexError(message: "unterminated quoted string", offset: start) }
            let current = bytes[index]
            index += 1
            switch current {
            case UInt8(ascii: "b"): value.append(0x08)
            case UInt8(ascii: "f"): value.append(0x0C)
            case UInt8(ascii: "n"): value.append(0x0A)
            case UInt8(ascii: "r"): value.append(0x0D)
            case UInt8(ascii: "t"): value.append(0x09)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var code = UInt32(current - UInt8(ascii: "0"))
                for _ in 0..<2 where byte(index) >= UInt8(ascii: "0") && byte(index) <= UInt8(ascii: "7") {
                    code = code * 8 + UInt32(bytes[index] - UInt8(ascii: "0"))
                    index += 1
                }
                value.append(UInt8(truncatingIfNeeded: code))
            case UInt8(ascii: "x") where Self.isHexDigit(byte(index)):
                var code = UInt32(Self.hexValue(bytes[index]))
                index += 1
                if Self.isHexDigit(byte(index)) {
                    code = code * 16 + UInt32(Self.hexValue(bytes[index]))
                    index += 1
                }
                value.append(UInt8(code))
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let digits = current == UInt8(ascii: "u") ? 4 : 8
                guard let code = hexNumber(digits) else {
                    throw SQLLexError(message: "invalid Unicode escape (\\u needs 4 hex digits, \\U needs 8)", offset: escapeStart)
                }
                try appendScalar(code, to: &value, offset: escapeStart)
            default:
                value.append(current)
            }
        }

        /// A surrogate pair written as two `\u` escapes is one character, as the server reads it.
        mutating func appendScalar(_ code: UInt32, to value: inout [UInt8], offset: Int) throws(SQLLexError) {
            if (0xD800...0xDBFF).contains(code) {
                guard byte(index) == UInt8(ascii: "\\"), byte(index + 1) == UInt8(ascii: "u") || byte(index + 1) == UInt8(ascii: "U") else {
                    throw SQLLexError(message: "invalid Unicode surrogate pair", offset: offset)
                }
                let digits = byte(index + 1) == UInt8(ascii: "u") ? 4 : 8
                index += 2
                guard let low = hexNumber(digits), (0xDC00...0xDFFF).contains(low) else {
                    throw SQLLexError(message: "invalid Unicode surrogate pair", offset: offset)
                }
                return try appendScalar(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00), to: &value, offset: offset)
            }
            guard code != 0, let scalar = Unicode.Scalar(code) else {
                throw SQLLexError(message: "invalid Unicode escape value", offset: offset)
            }
            value += Array(String(Character(scalar)).utf8)
        }

        mutating func hexNumber(_ digits: Int) -> UInt32? {
            guard index + digits <= bytes.count, bytes[index..<(index + digits)].allSatisfy(Self.isHexDigit) else { return nil }
            var code: UInt32 = 0
            for offset in 0..<digits { code = code &* 16 &+ UInt32(Self.hexValue(bytes[index + offset])) }
            index += digits
            return code
        }

        /// SQL's rule: constants separated only by whitespace that holds a newline are one.
        /// `--` comments may follow the newline; `/* */` may not.
        mutating func continuesConstant() -> Bool {
            var position = index
            var sawNewline = false
            while position < bytes.count {
                let current = bytes[position]
                if current == 0x0A || current == 0x0D {
                    sawNewline = true
                    position += 1
                } else if Self.isSpace(current) {
                    position += 1
                } else if sawNewline, current == UInt8(ascii: "-"), byte(position + 1) == UInt8(ascii: "-") {
                    while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
                } else {
                    break
                }
            }
            guard sawNewline, byte(position) == UInt8(ascii: "'") else { return false }
            index = position + 1
            return true
        }

        /// `B'…'` or `X'…'` after the quote; the digits are checked by the server's bit input, not here.
        mutating func bitString(start: Int, hex: Bool) throws(SQLLexError) {
            var digits: [UInt8] = []
            repeat {
                digits += try stringBody(start: start, escapes: .standard)
            } while continuesConstant()
            tokens.append(SQLToken(.bitString, (hex ? "x" : "b") + String(decoding: digits, as: UTF8.self), offset: start))
        }

        /// `$tag$` at `at`: `$`, an optional tag (identifier characters, no `$`, not starting with a
        /// digit), `$`.
        func dollarTag(at: Int) -> [UInt8]? {
            var end = at + 1
            if end < bytes.count, Self.isIdentifierStart(bytes[end]) {
                end += 1
                while end < bytes.count, Self.isIdentifierStart(bytes[end]) || Self.isDigit(bytes[end]) { end += 1 }
            }
            guard byte(end) == UInt8(ascii: "$") else { return nil }
            return Array(bytes[at...end])
        }

        mutating func dollarQuoted(tag: [UInt8], start: Int) throws(SQLLexError) {
            let bodyStart = index
            while index + tag.count <= bytes.count {
                if bytes[index] == UInt8(ascii: "$"), bytes[index..<(index + tag.count)].elementsEqual(tag) {
                    tokens.append(SQLToken(.string, text(bodyStart, index), offset: start))
                    index += tag.count
                    return
                }
                index += 1
            }
            throw SQLLexError(message: "unterminated dollar-quoted string", offset: start)
        }

        // MARK: Numbers and operators

        mutating func number(start: Int) {
            while Self.isDigit(byte(index)) { index += 1 }
            // `1..5` is 1 then `..`; `1.5`, `1.`, `.5` are numbers.
            if byte(index) == UInt8(ascii: "."), byte(index + 1) != UInt8(ascii: ".") {
                index += 1
                while Self.isDigit(byte(index)) { index += 1 }
            }
            if byte(index) | 0x20 == UInt8(ascii: "e") {
                var position = index + 1
                if byte(position) == UInt8(ascii: "+") || byte(position) == UInt8(ascii: "-") { position += 1 }
                if Self.isDigit(byte(position)) {
                    index = position
                    while Self.isDigit(byte(index)) { index += 1 }
                }
            }
            tokens.append(SQLToken(.number, text(start, index), offset: start))
        }

        /// scan.l's `{operator}` rule: the longest run of operator characters, cut before `--` or
        /// `/*`, without a trailing `+`/`-` unless one of `~!@#^&|\`?%` is in it.
        mutating func operatorToken(start: Int) {
            var end = index
            while end < bytes.count, Self.isOperatorCharacter(bytes[end]) { end += 1 }
            var length = end - start
            for position in start..<max(start, end - 1) {
                let pair = (bytes[position], bytes[position + 1])
                if pair == (UInt8(ascii: "-"), UInt8(ascii: "-")) || pair == (UInt8(ascii: "/"), UInt8(ascii: "*")) {
                    length = position - start
                    break
                }
            }
            length = max(length, 1)
            if length > 1, bytes[start + length - 1] == UInt8(ascii: "+") || bytes[start + length - 1] == UInt8(ascii: "-") {
                let special = bytes[start..<(start + length - 1)].contains { "~!@#^&|`?%".utf8.contains($0) }
                if !special {
                    repeat { length -= 1 } while length > 1 && (bytes[start + length - 1] == UInt8(ascii: "+") || bytes[start + length - 1] == UInt8(ascii: "-"))
                }
            }
            index = start + length
            let written = text(start, index)
            tokens.append(SQLToken(.operator, written == "!=" ? "<>" : written, offset: start))
        }

        // MARK: Characters

        func text(_ from: Int, _ to: Int) -> String { String(decoding: bytes[from..<to], as: UTF8.self) }

        static func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C || byte == 0x0B
        }
        static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        static func isHexDigit(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f")) }
        static func hexValue(_ byte: UInt8) -> UInt8 { isDigit(byte) ? byte - UInt8(ascii: "0") : (byte | 0x20) - UInt8(ascii: "a") + 10 }
        /// scan.l's `ident_start`: letters, `_` and every byte of a multi-byte character.
        static func isIdentifierStart(_ byte: UInt8) -> Bool {
            (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_") || byte >= 0x80
        }
        /// scan.l's `ident_cont`: also digits and `$`.
        static func isIdentifierContinue(_ byte: UInt8) -> Bool {
            isIdentifierStart(byte) || isDigit(byte) || byte == UInt8(ascii: "$")
        }
        static func isOperatorCharacter(_ byte: UInt8) -> Bool { "~!@#^&|`?+-*/%<>=".utf8.contains(byte) }
        static func characterLength(_ lead: UInt8) -> Int {
            lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        }

        /// An identifier cut to 63 bytes at a character boundary, as the server cuts it.
        static func cut(_ name: String) -> String { cut(Array(name.utf8)) }

        static func cut(_ bytes: [UInt8]) -> String {
            guard bytes.count > SQLLexer.identifierLimit else { return String(decoding: bytes, as: UTF8.self) }
            var length = SQLLexer.identifierLimit
            while length > 0, bytes[length] & 0xC0 == 0x80 { length -= 1 }
            return String(decoding: bytes[..<length], as: UTF8.self)
        }

        /// Decodes `U&` escapes with `escape`: `\XXXX`, `\+XXXXXX`, `\\` for the escape itself.
        static func decodeUnicodeEscapes(_ raw: [UInt8], escape: UInt8, offset: Int) throws(SQLLexError) -> String {
            var scanner = Scanner(bytes: raw)
            var value: [UInt8] = []
            while scanner.index < raw.count {
                let current = raw[scanner.index]
                guard current == escape else {
                    value.append(current)
                    scanner.index += 1
                    continue
                }
                scanner.index += 1
                if scanner.byte(scanner.index) == escape {
                    value.append(escape)
                    scanner.index += 1
                    continue
                }
                let digits: Int
                if scanner.byte(scanner.index) == UInt8(ascii: "+") {
                    scanner.index += 1
                    digits = 6
                } else {
                    digits = 4
                }
                guard var code = scanner.hexNumber(digits) else {
                    throw SQLLexError(message: "invalid Unicode escape (\\XXXX or \\+XXXXXX)", offset: offset)
                }
                if (0xD800...0xDBFF).contains(code) {
                    // A high surrogate must be followed by an escaped low one.
                    guard scanner.byte(scanner.index) == escape else { throw SQLLexError(message: "invalid Unicode surrogate pair", offset: offset) }
                    scanner.index += 1
                    let lowDigits = scanner.byte(scanner.index) == UInt8(ascii: "+") ? 6 : 4
                    if lowDigits == 6 { scanner.index += 1 }
                    guard let low = scanner.hexNumber(lowDigits), (0xDC00...0xDFFF).contains(low) else {
                        throw SQLLexError(message: "invalid Unicode surrogate pair", offset: offset)
                    }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard code != 0, let scalar = Unicode.Scalar(code) else {
                    throw SQLLexError(message: "invalid Unicode escape value", offset: offset)
                }
                value += Array(String(Character(scalar)).utf8)
            }
            return String(decoding: value, as: UTF8.self)
        }
    }
}
