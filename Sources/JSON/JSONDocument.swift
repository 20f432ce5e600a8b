import FoundationEssentials

/// A parsed JSON document, for conditions that reach into a response body (`[BODY].data.me.id`).
public indirect enum JSONDocument: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONDocument])
    case object([String: JSONDocument])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONDocument].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONDocument].self)) }
    }

    /// Parses `bytes`; nil when they are not JSON.
    public static func parse(_ bytes: [UInt8]) -> JSONDocument? {
        try? JSONDecoder().decode(JSONDocument.self, from: Data(bytes))
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
