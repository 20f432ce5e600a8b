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
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
