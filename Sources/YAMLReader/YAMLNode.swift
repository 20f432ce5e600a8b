/// A position in a YAML source, 1-based, columns counted in characters as libyaml counts them.
public struct YAMLMark: Sendable, Hashable, CustomStringConvertible {
    /// Line number, starting at 1.
    public let line: Int
    /// Column number, starting at 1.
    public let column: Int

    /// A mark at the given 1-based line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// How a scalar was written; quoted scalars are never read as numbers, booleans or null.
public enum YAMLScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A scalar value with the place it was written.
public struct YAMLScalar: Sendable, Hashable {
    /// The text as written, after YAML's own unescaping and folding.
    public let value: String
    /// The presentation style.
    public let style: YAMLScalarStyle
    /// The resolved core-schema tag (`tag:yaml.org,2002:str`, ...) when one was written explicitly.
    public let tag: String?
    /// Where the scalar starts.
    public let mark: YAMLMark

    /// A scalar; `tag` is nil when none was written.
    public init(value: String, style: YAMLScalarStyle = .plain, tag: String? = nil, mark: YAMLMark) {
        self.value = value
        self.style = style
        self.tag = tag
        self.mark = mark
    }

    /// True for a plain scalar that YAML's core schema reads as null (`~`, `null`, empty).
    public var isNull: Bool {
        style == .plain && tag == nil && ["", "~", "null", "Null", "NULL"].contains(value)
    }
}

/// A key and its value inside a mapping.
public struct YAMLPair: Sendable, Hashable {
    /// The key, always a scalar: the reader refuses complex keys.
    public let key: YAMLScalar
    /// The value.
    public let value: YAMLNode

    public init(key: YAMLScalar, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// A composed YAML node. Depth is bounded by the reader, so recursive traversal is safe.
public indirect enum YAMLNode: Sendable, Hashable {
    case scalar(YAMLScalar)
    case sequence([YAMLNode], YAMLMark)
    case mapping([YAMLPair], YAMLMark)

    /// Where the node starts.
    public var mark: YAMLMark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .sequence(_, let mark), .mapping(_, let mark): mark
        }
    }

    /// A short name of the node's shape for error messages: "a string", "a list", "a mapping".
    public var shapeName: String {
        switch self {
        case .scalar(let scalar): scalar.isNull ? "null" : "a scalar"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}
