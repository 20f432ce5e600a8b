import TextSearch

/// The tokens of GraphQL's type-system language (the SDL), with their places. Commas and comments
/// are insignificant, as the specification says.
struct SDLToken: Equatable {
    enum Kind: Equatable { case name(String), punctuator(UInt8), string, number, end }
    let kind: Kind
    let line: Int
    let column: Int

    var text: String {
        switch kind {
        case .name(let name): "\"\(name)\""
        case .punctuator(let byte): "'\(String(UnicodeScalar(byte)))'"
        case .string: "a string"
        case .number: "a number"
        case .end: "the end of the file"
        }
    }
}

/// A syntax error at a place in the SDL.
public struct SDLError: Error, Equatable, Sendable {
    public let line: Int
    public let column: Int
    public let message: String
}

struct SDLLexer {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3; lineStart = 3 }
    }

    mutating func next() throws(SDLError) -> SDLToken {
        skipIgnored()
        let column = index - lineStart + 1
        guard index < bytes.count else { return SDLToken(kind: .end, line: line, column: column) }
        let byte = bytes[index]
        func token(_ kind: SDLToken.Kind) -> SDLToken { SDLToken(kind: kind, line: line, column: column) }
        switch byte {
        case UInt8(ascii: "\""):
            let startLine = line
            try skipString()
            return SDLToken(kind: .string, line: startLine, column: column)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            index += 1
            while index < bytes.count, bytes[index].isASCIIAlphanumeric || bytes[index] == UInt8(ascii: ".")
                || bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            return token(.number)
        case _ where byte == UInt8(ascii: "_") || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A):
            let start = index
            while index < bytes.count, bytes[index].isASCIIAlphanumeric || bytes[index] == UInt8(ascii: "_") { index += 1 }
            return token(.name(String(decoding: bytes[start..<index], as: UTF8.self)))
        case UInt8(ascii: "."):
            guard bytes[index...].starts(with: "...".utf8) else { throw SDLError(line: line, column: column, message: "Syntax Error: unexpected '.'") }
            index += 3
            return token(.punctuator(byte))
        default:
            guard "!$&():=@[]{}|".utf8.contains(byte) else {
                throw SDLError(line: line, column: column, message: "Syntax Error: unexpected character '\(String(decoding: [byte], as: UTF8.self))'")
            }
            index += 1
            return token(.punctuator(byte))
        }
    }

    private mutating func skipIgnored() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            case 0x20, 0x09, 0x0D, UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "#"):
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
            default:
                return
            }
        }
    }

    /// A "string" or a """block string""" (descriptions), counting the lines it spans.
    private mutating func skipString() throws(SDLError) {
        let (startLine, startColumn) = (line, index - lineStart + 1)
        let block = bytes[index...].starts(with: "\"\"\"".utf8)
        index += block ? 3 : 1
        while index < bytes.count {
            if block, bytes[index...].starts(with: "\"\"\"".utf8) { index += 3; return }
            if !block, bytes[index] == UInt8(ascii: "\"") { index += 1; return }
            if bytes[index] == UInt8(ascii: "\\") { index += 2; continue }
            if bytes[index] == 0x0A {
                guard block else { break }
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        throw SDLError(line: startLine, column: startColumn, message: "Syntax Error: unterminated string")
    }
}
