import FoundationEssentials

/// A parsed JSON document, for conditions that reach into a response body (`[BODY].data.me.id`).
indirect enum JSONDocument: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONDocument])
    case object([String: JSONDocument])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONDocument].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONDocument].self)) }
    }

    /// Parses `bytes`; nil when they are not JSON.
    static func parse(_ bytes: [UInt8]) -> JSONDocument? {
        try? JSONDecoder().decode(JSONDocument.self, from: Data(bytes))
    }

    /// The value at `path`: object keys, or array indexes written as numbers.
    func value(at path: [String]) -> JSONDocument? {
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

    /// The document as a condition sees it; `length` gives the count of an array, object or string.
    func conditionValue(length: Bool) -> Condition.Value {
        switch self {
        case .array(let items): return length ? .number(Double(items.count)) : .string("[\(items.count) items]")
        case .object(let members): return length ? .number(Double(members.count)) : .string("{\(members.count) keys}")
        case .string(let text): return length ? .number(Double(text.count)) : .string(text)
        case .number(let value): return .number(value)
        case .bool(let value): return .bool(value)
        case .null: return length ? .number(0) : .null
        }
    }
}
