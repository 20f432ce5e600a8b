/// A JSON document, written with keys in the order given: small, deterministic, and far cheaper
/// to start than `JSONEncoder`, whose generic machinery cost a third of a whole run.
public enum JSONValue: Sendable {
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// Pretty-printed with two-space indentation and a final newline, or `compact` on one line
    /// (for machines: a request to a helper).
    public func serialized(compact: Bool = false) -> String {
        String(decoding: bytes(compact: compact), as: UTF8.self)
    }

    /// The serialized text as UTF-8 bytes. Written into one byte buffer: appending to a String
    /// piece by piece cost a fifth of a whole build run (10 M instructions for a 20 KB report).
    public func bytes(compact: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(into: &out, indent: compact ? nil : 0)
        out.append(0x0A)
        return out
    }

    private func write(into out: inout [UInt8], indent: Int?) {
        func newline() { if indent != nil { out.append(0x0A) } }
        func pad(_ level: Int?) {
            guard let level else { return }
            out.append(contentsOf: repeatElement(0x20, count: level * 2))
        }
        let inner = indent.map { $0 + 1 }
        switch self {
        case .string(let text): Self.quote(text, into: &out)
        case .number(let value):
            let text = value.isFinite ? (value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)") : "0"
            out.append(contentsOf: text.utf8)
        case .integer(let value): out.append(contentsOf: String(value).utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .array(let items):
            guard !items.isEmpty else { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            newline()
            for (index, item) in items.enumerated() {
                pad(inner)
                item.write(into: &out, indent: inner)
                if index != items.count - 1 { out.append(UInt8(ascii: ",")) }
                newline()
            }
            pad(indent)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            newline()
            for (index, (key, value)) in members.enumerated() {
                pad(inner)
                Self.quote(key, into: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(0x20) }
                value.write(into: &out, indent: inner)
                if index != members.count - 1 { out.append(UInt8(ascii: ",")) }
                newline()
            }
            pad(indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func quote(_ text: String, into out: inout [UInt8]) {
        out.append(0x22)
        let hexDigits: StaticString = "0123456789abcdef"
        var text = text
        text.makeContiguousUTF8()  // a no-op for the native strings this writer nearly always gets
        text.utf8.withContiguousStorageIfAvailable { source in
            var index = 0
            while index < source.count {
                let byte = source[index]
                switch byte {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += [0x5C, 0x6E]
                case 0x0D: out += [0x5C, 0x72]
                case 0x09: out += [0x5C, 0x74]
                case 0xE2 where index + 2 < source.count && source[index + 1] == 0x80 && (source[index + 2] == 0xA8 || source[index + 2] == 0xA9):
                    // U+2028 and U+2029 end lines in JavaScript.
                    out += Array("\\u202".utf8) + [source[index + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9")]
                    index += 3
                    continue
                case _ where byte < 0x20:
                    hexDigits.withUTF8Buffer { hex in
                        out += [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                    }
                default:
                    out.append(byte)
                }
                index += 1
            }
        }
        out.append(0x22)
    }
}
