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
        var out = ""
        write(into: &out, indent: compact ? nil : 0)
        return out + "\n"
    }

    private func write(into out: inout String, indent: Int?) {
        let newline = indent == nil ? "" : "\n"
        func pad(_ level: Int?) -> String { level.map { String(repeating: "  ", count: $0) } ?? "" }
        let inner = indent.map { $0 + 1 }
        switch self {
        case .string(let text): Self.quote(text, into: &out)
        case .number(let value): out += value.isFinite ? (value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)") : "0"
        case .integer(let value): out += String(value)
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[" + newline
            for (index, item) in items.enumerated() {
                out += pad(inner)
                item.write(into: &out, indent: inner)
                out += (index == items.count - 1 ? "" : ",") + newline
            }
            out += pad(indent) + "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{" + newline
            for (index, (key, value)) in members.enumerated() {
                out += pad(inner)
                Self.quote(key, into: &out)
                out += indent == nil ? ":" : ": "
                value.write(into: &out, indent: inner)
                out += (index == members.count - 1 ? "" : ",") + newline
            }
            out += pad(indent) + "}"
        }
    }

    private static func quote(_ text: String, into out: inout String) {
        out += "\""
        // Most strings need no escaping: append them whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }) {
            out += text
            out += "\""
            return
        }
        // Escaping byte by byte, with the bytes gathered and decoded once: appending scalar by
        // scalar cost a tenth of a run whose reports quote multi-line messages.
        let source = Array(text.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(source.count + 16)
        let hexDigits = Array("0123456789abcdef".utf8)
        var index = 0
        while index < source.count {
            let byte = source[index]
            switch byte {
            case 0x22: bytes += [0x5C, 0x22]
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x0A: bytes += [0x5C, 0x6E]
            case 0x0D: bytes += [0x5C, 0x72]
            case 0x09: bytes += [0x5C, 0x74]
            case 0xE2 where index + 2 < source.count && source[index + 1] == 0x80 && (source[index + 2] == 0xA8 || source[index + 2] == 0xA9):
                // U+2028 and U+2029 end lines in JavaScript.
                bytes += Array("\\u202".utf8) + [source[index + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9")]
                index += 3
                continue
            case _ where byte < 0x20:
                bytes += [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            default:
                bytes.append(byte)
            }
            index += 1
        }
        out += String(decoding: bytes, as: UTF8.self)
        out += "\""
    }
}
