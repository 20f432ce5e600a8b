import JSON

extension JSONDocument {
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
