/// A key in a configuration file, written as a dotted path: `env.DATA_REGION` (a TOML table),
/// `services.*.environment.DATA_REGION` (any service of a compose file), `DATA_REGION` (a dotenv
/// variable), `expo.extra.apiUrl`, `deploy.0.region`. `*` matches any one key or list item; a
/// part with dots in it is written in double quotes (`tool."black.config"`).
public struct ConfigKeyPath: Sendable, Equatable, CustomStringConvertible {
    /// One part of the path.
    public enum Segment: Sendable, Equatable {
        case name(String)
        case any
    }

    public let segments: [Segment]
    /// The path as written.
    public let description: String

    /// Reads a path; the error says what is wrong with it.
    public init(_ text: String) throws(ConfigKeyPathError) {
        description = text
        var segments: [Segment] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        for character in text {
            if character == "\"" {
                quoted.toggle()
                wasQuoted = true
            } else if character == ".", !quoted {
                segments.append(try Self.segment(current, quoted: wasQuoted, in: text))
                current = ""
                wasQuoted = false
            } else {
                current.append(character)
            }
        }
        guard !quoted else { throw ConfigKeyPathError("unclosed '\"' in '\(text)'") }
        segments.append(try Self.segment(current, quoted: wasQuoted, in: text))
        self.segments = segments
    }

    private static func segment(_ text: String, quoted: Bool, in path: String) throws(ConfigKeyPathError) -> Segment {
        if quoted { return .name(text) }
        guard !text.isEmpty else { throw ConfigKeyPathError("'\(path)' has an empty part; write keys with dots in double quotes") }
        return text == "*" ? .any : .name(text)
    }

    /// The path with its last part replaced: where a key that belongs beside this one is.
    public func sibling(_ name: String) -> ConfigKeyPath? {
        guard !segments.isEmpty else { return nil }
        var copy = self
        copy.replaceLast(with: name)
        return copy
    }

    private init(segments: [Segment], description: String) {
        self.segments = segments
        self.description = description
    }

    private mutating func replaceLast(with name: String) {
        var parts = segments
        parts[parts.count - 1] = .name(name)
        self = ConfigKeyPath(segments: parts, description: parts.map { segment in
            switch segment {
            case .any: "*"
            case .name(let text): text.contains(".") ? "\"\(text)\"" : text
            }
        }.joined(separator: "."))
    }
}

/// Why a key path cannot be used.
public struct ConfigKeyPathError: Error, Sendable, Equatable {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// A value a key path found: the concrete key (`services.api.environment.DATA_REGION`) and the node.
public struct ConfigMatch: Sendable, Equatable {
    public let key: String
    public let node: ConfigNode
}

extension ConfigNode {
    /// Every value `path` names, in the order written. A list of `KEY=value` strings (docker
    /// compose's `environment:` in its list form) is looked up by key like a table; a bare `KEY`
    /// in such a list takes its value from the environment at deploy time, and reads as `${KEY}`.
    public func lookup(_ path: ConfigKeyPath) -> [ConfigMatch] {
        var frontier: [(key: [String], node: ConfigNode)] = [([], self)]
        for segment in path.segments {
            var next: [(key: [String], node: ConfigNode)] = []
            for (key, node) in frontier {
                for (name, child) in node.children(matching: segment) {
                    next.append((key + [name], child))
                }
            }
            frontier = next
        }
        return frontier.map { ConfigMatch(key: $0.key.joined(separator: "."), node: $0.node) }
    }

    /// The children a path segment selects, with the names that reach them.
    func children(matching segment: ConfigKeyPath.Segment) -> [(String, ConfigNode)] {
        switch value {
        case .scalar:
            return []
        case .table(let members):
            switch segment {
            case .any: return members.map { ($0.key, $0.node) }
            case .name(let name): return members.last { $0.key == name }.map { [($0.key, $0.node)] } ?? []
            }
        case .list(let items):
            if case .name(let name) = segment, let index = Int(name) {
                return items.indices.contains(index) ? [(name, items[index])] : []
            }
            if let assignments = Self.assignments(items) {
                switch segment {
                case .any: return assignments
                case .name(let name): return assignments.last { $0.0 == name }.map { [$0] } ?? []
                }
            }
            switch segment {
            case .any: return items.enumerated().map { (String($0.offset), $0.element) }
            case .name(let name): return Int(name).flatMap { items.indices.contains($0) ? [(name, items[$0])] : nil } ?? []
            }
        }
    }

    /// A list that is all `KEY=value` (or bare `KEY`) strings, at least one with a value, as a
    /// compose `environment:` list.
    static func assignments(_ items: [ConfigNode]) -> [(String, ConfigNode)]? {
        guard items.contains(where: { if case .scalar(let scalar) = $0.value { scalar.text.contains("=") } else { false } }) else { return nil }
        var found: [(String, ConfigNode)] = []
        for item in items {
            guard case .scalar(let scalar) = item.value, scalar.kind == .string || scalar.kind == .integer || scalar.kind == .boolean else { return nil }
            let text = scalar.text
            let name = text.prefix { $0 != "=" }
            guard DotEnv.isVariableName(name) else { return nil }
            if name.count == text.count {
                found.append((String(name), ConfigNode(.scalar(ConfigScalar("${\(name)}", kind: .string)), line: item.line, column: item.column)))
            } else {
                let valueText = String(text.dropFirst(name.count + 1))
                found.append((String(name), ConfigNode(.scalar(ConfigScalar(valueText, kind: .string)), line: item.line, column: item.column + name.count + 1)))
            }
        }
        return found
    }
}
