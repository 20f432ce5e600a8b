/// A parsed JSON document, for conditions that reach into a response body (`[BODY].data.me.id`).
public indirect enum JSONDocument: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONDocument])
    case object([String: JSONDocument])

    /// Parses `bytes`; nil when they are not JSON.
    public static func parse(_ bytes: [UInt8]) -> JSONDocument? {
        (try? JSONReader.parse(bytes)).map(JSONDocument.init)
    }

    /// The document a read node holds (positions dropped; of a repeated member name, the last).
    public init(_ node: JSONNode) {
        switch node.value {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let value, _): self = .number(value)
        case .string(let value): self = .string(value)
        case .array(let items): self = .array(items.map(JSONDocument.init))
        case .object(let members):
            var object: [String: JSONDocument] = [:]
            for member in members { object[member.name] = JSONDocument(member.value) }
            self = .object(object)
        }
    }

    /// The string, when the document is one.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value at `path`: object keys, or array indexes written as numbers.
    public func value(at path: [String]) -> JSONDocument? {
        var current = self
        for segment in path {
            switch current {
            case .object(let members):
                guard let next = members[segment] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(segment), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// The value as a message shows it: strings bare, containers by their size.
    public var displayText: String {
        switch self {
        case .array(let items): "[\(items.count) items]"
        case .object(let members): "{\(members.count) keys}"
        case .string(let text): text.isEmpty ? "\"\"" : text
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .bool(let value): String(value)
        case .null: "null"
        }
    }
}
