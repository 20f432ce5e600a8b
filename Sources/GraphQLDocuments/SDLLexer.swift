import TextSearch

/// The tokens of GraphQL's language (SDL and operations share the lexical grammar), with their
/// places: lines from 1, columns in Unicode scalars from 1. Commas and comments are insignificant,
/// as the specification says.
struct SDLToken: Equatable {
    enum Kind: Equatable { case name(String), punctuator(UInt8), string, number, end }
    let kind: Kind
    let line: Int
    let column: Int
    /// Where the token starts in the text, in UTF-8 bytes.
    var offset = 0
    /// Where it ends (exclusive), in UTF-8 bytes.
    var end = 0

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

    private var counted = 0
    private var countedColumn = 1

    /// The column of the current byte, in Unicode scalars: counted forward from the last token, so
    /// a long line is read in one pass.
    private mutating func currentColumn() -> Int {
        if counted < lineStart { (counted, countedColumn) = (lineStart, 1) }
        let end = min(index, bytes.count)
        while counted < end {
            if bytes[counted] & 0xC0 != 0x80 { countedColumn += 1 }
            counted += 1
        }
        return countedColumn
    }

    mutating func next() throws(SDLError) -> SDLToken {
        skipIgnored()
        let column = currentColumn()
        let offset = index
        guard index < bytes.count else { return SDLToken(kind: .end, line: line, column: column, offset: offset) }
        let byte = bytes[index]
        func token(_ kind: SDLToken.Kind) -> SDLToken { SDLToken(kind: kind, line: line, column: column, offset: offset, end: index) }
        switch byte {
        case UInt8(ascii: "\""):
            let startLine = line
            try skipString()
            return SDLToken(kind: .string, line: startLine, column: column, offset: offset, end: index)
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
        let (startLine, startColumn) = (line, currentColumn())
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
