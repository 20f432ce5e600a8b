import TextSearch
import FoundationEssentials

/// The Python values Alembic's revision variables hold: None, a string, a tuple or list of
/// strings, or a name (`PARENT`, `cli.EXPAND_BRANCH`) that a module-level constant of the same
/// file may resolve. Anything else (a computed value) is an error: a gate cannot run Python.
enum PythonLiteral: Equatable {
    case none
    case string(String)
    /// Items are strings, or names written `.name`-style as `Item.name`.
    case list([Item])
    case name(String)

    enum Item: Equatable {
        case string(String)
        case name(String)
    }

    /// The value with names replaced from `constants`; nil when a name is not one of them.
    func resolved(_ constants: [String: PythonLiteral]) -> PythonLiteral? {
        switch self {
        case .none, .string: return self
        case .name(let name):
            guard let value = constants[name], value != self else { return nil }
            return value.resolved(constants.filter { $0.key != name })
        case .list(let items):
            var strings: [Item] = []
            for item in items {
                switch item {
                case .string: strings.append(item)
                case .name(let name):
                    switch constants[name] {
                    case .string(let text)?: strings.append(.string(text))
                    case .list(let inner)? where inner.allSatisfy({ if case .string = $0 { true } else { false } }): strings += inner
                    default: return nil
                    }
                }
            }
            return .list(strings)
        }
    }

    /// The strings of a resolved value.
    var strings: [String] {
        switch self {
        case .none, .name: []
        case .string(let text): [text]
        case .list(let items): items.compactMap { if case .string(let text) = $0 { text } else { nil } }
        }
    }

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
                var items: [Item] = []
                while true {
                    skipSpace(newlines: true)
                    guard index < bytes.count else { throw error("unclosed bracket") }
                    if bytes[index] == close { index += 1; return .list(items) }
                    switch try value() {
                    case .string(let item): items.append(.string(item))
                    case .name(let name): items.append(.name(name))
                    default: throw error("a list of revisions holds only strings")
                    }
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
                if let name = identifier() { return .name(name) }
                throw error("unsupported value")
            }
        }

        /// A name or a dotted attribute (`PARENT`, `cli.EXPAND_BRANCH`), ending the value.
        mutating func identifier() -> String? {
            let start = index
            while index < bytes.count, bytes[index].isASCIIAlphanumeric || bytes[index] == UInt8(ascii: "_") || bytes[index] == UInt8(ascii: ".") {
                index += 1
            }
            guard index > start, !(bytes[start] >= 0x30 && bytes[start] <= 0x39) else { index = start; return nil }
            let save = index
            skipSpace(newlines: false)
            // Anything but the end of the statement (a call, an operator) is computed.
            let ends = index >= bytes.count || bytes[index] == 0x0A || bytes[index] == UInt8(ascii: "#")
                || bytes[index] == UInt8(ascii: ",") || bytes[index] == UInt8(ascii: ")") || bytes[index] == UInt8(ascii: "]")
            guard ends else { index = start; return nil }
            index = save
            return String(decoding: bytes[start..<index], as: UTF8.self)
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
