/// A value from a result row, typed from its column's type OID.
public enum PostgresValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case text(String)

    // Type OIDs from pg_type.h (stable across PostgreSQL versions).
    static func decode(_ text: String, typeOID: UInt32) -> PostgresValue {
        switch typeOID {
        case 16: return .bool(text == "t")
        case 20, 21, 23, 26, 28: return Int64(text).map(PostgresValue.integer) ?? .text(text)
        case 700, 701, 1700: return Double(text).map(PostgresValue.double) ?? .text(text)
        default: return .text(text)
        }
    }

    /// The value as a number, when it is one.
    public var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .double(let value): value
        case .bool(let value): value ? 1 : 0
        case .text(let value): Double(value)
        case .null: nil
        }
    }

    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .double(let value): String(value)
        case .text(let value): value
        }
    }
}

/// The rows of a query, with their column names.
public struct PostgresResult: Sendable, Equatable {
    /// Column names, in order.
    public let columns: [String]
    /// Rows, each with one value per column.
    public let rows: [[PostgresValue]]

    /// The value of `column` in row `index`, if both exist.
    public func value(_ column: String, row index: Int = 0) -> PostgresValue? {
        guard let position = columns.firstIndex(of: column), rows.indices.contains(index) else { return nil }
        return rows[index][position]
    }
}
