/// A JSON value read from text with the line and column where it starts, so a configuration
/// value can be reported where it is written (`package.json:12:5`).
public struct JSONNode: Sendable, Equatable {
    /// The value's shape and content.
    public indirect enum Value: Sendable, Equatable {
        case null
        case bool(Bool)
        /// A number, with its text as written (`2555`, `1e3`).
        case number(Double, text: String)
        case string(String)
        case array([JSONNode])
        /// Members in the order written; a repeated name keeps every occurrence (readers take the last).
        case object([(name: String, value: JSONNode)])

        public static func == (left: Value, right: Value) -> Bool {
            switch (left, right) {
            case (.null, .null): true
            case (.bool(let a), .bool(let b)): a == b
            case (.number(let a, _), .number(let b, _)): a == b
            case (.string(let a), .string(let b)): a == b
            case (.array(let a), .array(let b)): a == b
            case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.name == $1.name && $0.value == $1.value }
            default: false
            }
        }
    }

    public let value: Value
    /// Where the value starts: line and column from 1, columns in Unicode scalars.
    public let line: Int
    public let column: Int
}

/// Why a text is not JSON: what was expected, where.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let reason: String

    public var description: String { "\(line):\(column): \(reason)" }

    public init(line: Int, column: Int, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }
}

/// Reads JSON (RFC 8259) strictly: no comments, no trailing commas, one value. Lone UTF-16
/// surrogates in `\u` escapes become U+FFFD rather than making a whole body unreadable, as
/// browsers and Python do; nesting is bounded so a hostile body cannot exhaust the stack.
public enum JSONReader {
    /// Deeper nesting than this is refused.
    public static let maxDepth = 512

    /// The value of `bytes`.
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONNode {
        var reader = Reader(bytes: bytes)
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.index == bytes.count else { throw reader.error("unexpected text after the value") }
        return value
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var lineStart = 0
        /// The column at `counted`: columns are counted forward from there, so a minified body of
        /// one long line costs one pass, not one pass per value.
        var counted = 0
        var countedColumn = 1

        init(bytes: [UInt8]) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3; lineStart = 3; counted = 3 }
        }

        mutating func column() -> Int {
            if counted < lineStart { (counted, countedColumn) = (lineStart, 1) }
            let end = min(index, bytes.count)
            while counted < end {
                if bytes[counted] & 0xC0 != 0x80 { countedColumn += 1 }
                counted += 1
            }
            return countedColumn
        }

        mutating func error(_ reason: String) -> JSONSyntaxError {
            JSONSyntaxError(line: line, column: column(), reason: reason)
        }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0D: index += 1
                case 0x0A:
                    index += 1
                    line += 1
                    lineStart = index
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONNode {
            guard depth < JSONReader.maxDepth else { throw error("nested deeper than \(JSONReader.maxDepth) levels") }
            guard index < bytes.count else { throw error("expected a value, found the end of the text") }
            let (startLine, startColumn) = (line, column())
            func node(_ value: JSONNode.Value) -> JSONNode { JSONNode(value: value, line: startLine, column: startColumn) }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(name: String, value: JSONNode)] = []
                skipSpace()
                if peek(UInt8(ascii: "}")) { index += 1; return node(.object(members)) }
                while true {
                    skipSpace()
                    guard peek(UInt8(ascii: "\"")) else { throw error("expected a member name in double quotes") }
                    let name = try string()
                    skipSpace()
                    guard peek(UInt8(ascii: ":")) else { throw error("expected ':' after the member name") }
                    index += 1
                    skipSpace()
                    members.append((name, try value(depth: depth + 1)))
                    skipSpace()
                    if peek(UInt8(ascii: ",")) { index += 1; continue }
                    guard peek(UInt8(ascii: "}")) else { throw error("expected ',' or '}' in an object") }
                    index += 1
                    return node(.object(members))
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [JSONNode] = []
                skipSpace()
                if peek(UInt8(ascii: "]")) { index += 1; return node(.array(items)) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    if peek(UInt8(ascii: ",")) { index += 1; continue }
                    guard peek(UInt8(ascii: "]")) else { throw error("expected ',' or ']' in an array") }
                    index += 1
                    return node(.array(items))
                }
            case UInt8(ascii: "\""):
                return node(.string(try string()))
            case UInt8(ascii: "t"): try word("true"); return node(.bool(true))
            case UInt8(ascii: "f"): try word("false"); return node(.bool(false))
            case UInt8(ascii: "n"): try word("null"); return node(.null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (number, text) = try number()
                return node(.number(number, text: text))
            default:
                throw error("expected a value")
            }
        }

        func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

        mutating func word(_ text: String) throws(JSONSyntaxError) {
            guard bytes[index...].starts(with: text.utf8) else { throw error("expected a value") }
            index += text.utf8.count
        }

        mutating func number() throws(JSONSyntaxError) -> (Double, String) {
            let start = index
            if peek(UInt8(ascii: "-")) { index += 1 }
            let digitsStart = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            guard index > digitsStart else { throw error("expected a digit") }
            if bytes[digitsStart] == 0x30, index - digitsStart > 1 {
                index = digitsStart
                throw error("a number may not start with 0")
            }
            if peek(UInt8(ascii: ".")) {
                index += 1
                let fraction = index
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                guard index > fraction else { throw error("expected a digit after '.'") }
            }
            if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
                index += 1
                if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
                let exponent = index
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                guard index > exponent else { throw error("expected a digit in the exponent") }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            return (Double(text) ?? .nan, text)
        }

        mutating func string() throws(JSONSyntaxError) -> String {
            index += 1  // the opening quote
            var out: [UInt8] = []
            var pendingHigh: UInt32?
            func flushHigh(_ out: inout [UInt8]) {
                if pendingHigh != nil { out += [0xEF, 0xBF, 0xBD] }
                pendingHigh = nil
            }
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    flushHigh(&out)
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index + 1 < bytes.count else { throw error("unterminated string") }
                    let escape = bytes[index + 1]
                    index += 2
                    if escape == UInt8(ascii: "u") {
                        guard index + 4 <= bytes.count, let unit = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16) else {
                            throw error("expected four hex digits after \\u")
                        }
                        index += 4
                        if (0xD800...0xDBFF).contains(unit) {
                            flushHigh(&out)
                            pendingHigh = unit
                            continue
                        }
                        if (0xDC00...0xDFFF).contains(unit), let high = pendingHigh {
                            pendingHigh = nil
                            append(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00), to: &out)
                            continue
                        }
                        flushHigh(&out)
                        append((0xD800...0xDFFF).contains(unit) ? 0xFFFD : unit, to: &out)
                        continue
                    }
                    flushHigh(&out)
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    default: throw error("unknown escape \\\(String(UnicodeScalar(escape)))")
                    }
                case 0x00..<0x20:
                    throw error(byte == 0x0A ? "unterminated string (a line break inside it)" : "a control character inside a string")
                default:
                    flushHigh(&out)
                    out.append(byte)
                    index += 1
                }
            }
            throw error("unterminated string")
        }

        private func append(_ scalar: UInt32, to out: inout [UInt8]) {
            out += Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
        }
    }
}
