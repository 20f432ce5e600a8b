import FoundationEssentials

/// The Python literals Alembic's revision variables hold: None, a string, or a tuple or list of
/// strings. Anything else (a computed value) is an error: a gate cannot run Python.
enum PythonLiteral: Equatable {
    case none
    case string(String)
    case list([String])

    /// Parses `[: annotation] = literal` after a variable name; returns the literal and the index
    /// just past it (the statement may span lines inside brackets).
    static func parseAssignment(_ bytes: [UInt8], nameEnd: Int, file: String, line: Int) throws(AlembicError) -> (PythonLiteral, Int) {
        var index = nameEnd
        // Skip the annotation, which holds no `=` (Union[str, Sequence[str], None]).
        while index < bytes.count, bytes[index] != UInt8(ascii: "="), bytes[index] != 0x0A { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
            throw AlembicError("\(file):\(line): expected '=' in the assignment")
        }
        var parser = Parser(bytes: bytes, index: index + 1, file: file, line: line)
        let value = try parser.value()
        return (value, parser.index)
    }

    private struct Parser {
        let bytes: [UInt8]
        var index: Int
        let file: String
        let line: Int

        mutating func skipSpace(newlines: Bool) {
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x20 || byte == 0x09 || byte == 0x0D || (newlines && byte == 0x0A) { index += 1; continue }
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 2; continue }
                if newlines, byte == UInt8(ascii: "#") {
                    while index < bytes.count, bytes[index] != 0x0A { index += 1 }
                    continue
                }
                return
            }
        }

        func error(_ what: String) -> AlembicError {
            AlembicError("\(file):\(line): \(what); revision variables must be literal strings, tuples or lists, or None")
        }

        mutating func value() throws(AlembicError) -> PythonLiteral {
            skipSpace(newlines: false)
            guard index < bytes.count else { throw error("missing value") }
            switch bytes[index] {
            case UInt8(ascii: "("), UInt8(ascii: "["):
                let close: UInt8 = bytes[index] == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "]")
                index += 1
                var items: [String] = []
                while true {
                    skipSpace(newlines: true)
                    guard index < bytes.count else { throw error("unclosed bracket") }
                    if bytes[index] == close { index += 1; return .list(items) }
                    guard case .string(let item) = try value() else { throw error("a list of revisions holds only strings") }
                    items.append(item)
                    skipSpace(newlines: true)
                    if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index += 1 }
                }
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "N") where bytes[index...].starts(with: "None".utf8):
                index += 4
                return .none
            default:
                if bytes[index] | 0x20 == UInt8(ascii: "r") || bytes[index] | 0x20 == UInt8(ascii: "u"),
                   index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "'") || bytes[index + 1] == UInt8(ascii: "\"") {
                    index += 1
                    return .string(try string())
                }
                throw error("unsupported value")
            }
        }

        mutating func string() throws(AlembicError) -> String {
            let quote = bytes[index]
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != quote {
                if bytes[index] == 0x0A { throw error("unterminated string") }
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard index < bytes.count else { throw error("unterminated string") }
            defer { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }
}
