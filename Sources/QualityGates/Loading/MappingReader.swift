import YAMLReader

/// Strict access to a mapping of fixed keys (the top level, a gate): unknown keys are errors with
/// a did-you-mean, and values are read with their types.
struct MappingReader {
    let pairs: [YAMLPair]
    let file: String

    /// `node` as a mapping; an error at its place when it is something else.
    init(_ node: YAMLNode, file: String, what: String) throws(ConfigError) {
        guard case .mapping(let pairs, _) = node else {
            throw ConfigError(.wrongType(key: what, expected: "a mapping", found: node.shapeName),
                              at: SourceLocation(file: file, mark: node.mark))
        }
        self.pairs = pairs
        self.file = file
    }

    func unknownKeys(allowed: [String]) -> [ConfigError] {
        pairs.filter { !allowed.contains($0.key.value) }.map { pair in
            ConfigError(.unknownKey(pair.key.value, suggestion: Suggestion.closest(to: pair.key.value, in: allowed), allowed: allowed),
                        at: SourceLocation(file: file, mark: pair.key.mark))
        }
    }

    func node(_ key: String) -> YAMLNode? { pairs.first { $0.key.value == key }?.value }

    func location(_ key: String) -> SourceLocation? {
        node(key).map { SourceLocation(file: file, mark: $0.mark) }
    }

    func string(_ key: String) throws(ConfigError) -> String? {
        guard let node = node(key) else { return nil }
        guard case .scalar(let scalar) = node, !scalar.isNull else {
            throw ConfigError(.wrongType(key: key, expected: "a string", found: node.shapeName), at: location(key))
        }
        return scalar.value
    }

    func requiredString(_ key: String, at place: SourceLocation) throws(ConfigError) -> String {
        guard let value = try string(key), !value.isEmpty else { throw ConfigError(.missingKey(key), at: place) }
        return value
    }

    /// A list of strings; a single string counts as a list of one.
    func strings(_ key: String) throws(ConfigError) -> [(String, SourceLocation)]? {
        guard let node = node(key) else { return nil }
        switch node {
        case .scalar(let scalar) where !scalar.isNull:
            return [(scalar.value, SourceLocation(file: file, mark: scalar.mark))]
        case .sequence(let items, _):
            var values: [(String, SourceLocation)] = []
            for item in items {
                guard case .scalar(let scalar) = item, !scalar.isNull else {
                    throw ConfigError(.wrongType(key: key, expected: "a list of strings", found: "\(item.shapeName) in it"),
                                      at: SourceLocation(file: file, mark: item.mark))
                }
                values.append((scalar.value, SourceLocation(file: file, mark: scalar.mark)))
            }
            return values
        default:
            throw ConfigError(.wrongType(key: key, expected: "a list of strings", found: node.shapeName), at: location(key))
        }
    }
}

extension SourceLocation {
    init(file: String, mark: YAMLMark) {
        self.init(file: file, line: mark.line, column: mark.column)
    }
}
