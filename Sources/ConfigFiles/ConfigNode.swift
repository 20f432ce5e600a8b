/// A configuration file's content as one tree, whatever its format: tables (TOML tables, YAML
/// mappings, JSON objects, a dotenv file), lists, and scalars with the text they hold. Every node
/// knows where it is written, so a value is reported at its file:line.
public struct ConfigNode: Sendable, Equatable {
    /// What a node holds.
    public indirect enum Value: Sendable, Equatable {
        case scalar(ConfigScalar)
        case list([ConfigNode])
        /// Keys in the order written.
        case table([ConfigMember])
    }

    public let value: Value
    /// Where the node starts: line and column from 1.
    public let line: Int
    public let column: Int

    public init(_ value: Value, line: Int, column: Int) {
        self.value = value
        self.line = line
        self.column = column
    }

    /// The member named `key` of a table (the last, when a format allows repeats).
    public func member(_ key: String) -> ConfigNode? {
        guard case .table(let members) = value else { return nil }
        return members.last { $0.key == key }?.node
    }

    /// The node as a message shows it: a scalar's text, or the size of a list or table.
    public var displayText: String {
        switch value {
        case .scalar(let scalar): scalar.text
        case .list(let items): "a list of \(items.count)"
        case .table(let members): "a table of \(members.count) keys"
        }
    }
}

/// One key of a table and its value.
public struct ConfigMember: Sendable, Equatable {
    public let key: String
    public let node: ConfigNode

    public init(key: String, node: ConfigNode) {
        self.key = key
        self.node = node
    }
}

/// A scalar: its text as the application would see it, and its type in the file's format.
public struct ConfigScalar: Sendable, Equatable {
    /// What the file's format made of it.
    public enum Kind: String, Sendable, Equatable {
        case string, integer, float, boolean, datetime, null
    }

    /// The value as text: a string's content, a number or date as written, `true`/`false`.
    public let text: String
    public let kind: Kind

    public init(_ text: String, kind: Kind) {
        self.text = text
        self.kind = kind
    }

    /// The value as a number, when it reads as one (also a string such as `"2555"`, as env vars are).
    public var number: Double? {
        guard kind != .boolean, kind != .null, kind != .datetime else { return nil }
        return Double(text.filter { $0 != "_" })
    }
}

/// Why a configuration file cannot be read: what, and where.
public struct ConfigSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let reason: String

    public init(line: Int, column: Int, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `line:column: reason`.
    public var description: String { "\(line):\(column): \(reason)" }
}
