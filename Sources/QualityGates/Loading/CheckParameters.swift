import JSON
import TextSearch
import YAMLReader

/// A check's own keys from a gate file, read with types and interpolation; every problem is a
/// `ConfigError` at the key's line and column. Keys read are remembered, so the loader can
/// report every key the kind does not know.
public struct CheckParameters {
    private let pairs: [YAMLPair]
    private let file: String
    private let interpolator: Interpolator
    private let mode: Interpolator.Mode
    /// Where the check itself starts.
    public let location: SourceLocation
    private(set) var readKeys: Set<String> = []

    init(pairs: [YAMLPair], file: String, location: SourceLocation, interpolator: Interpolator,
         mode: Interpolator.Mode) {
        self.pairs = pairs
        self.file = file
        self.location = location
        self.interpolator = interpolator
        self.mode = mode
    }

    /// True when the check will not run in this load (another target, an unselected gate): its
    /// variables may be unset, so values may be empty.
    var isLenient: Bool { mode == .lenient }

    /// The keys present, in the order written.
    var keys: [YAMLScalar] { pairs.map(\.key) }

    /// Where `key`'s value starts, or the check's own location when the key is absent.
    public func location(of key: String) -> SourceLocation {
        guard let node = node(key) else { return location }
        return SourceLocation(file: file, line: node.mark.line, column: node.mark.column)
    }

    /// A string value, interpolated; nil when absent.
    public mutating func string(_ key: String) throws(ConfigError) -> String? {
        readKeys.insert(key)
        guard let node = node(key) else { return nil }
        guard case .scalar(let scalar) = node, !scalar.isNull else {
            throw ConfigError(.wrongType(key: key, expected: "a string", found: node.shapeName), at: location(of: key))
        }
        return try interpolator.expand(scalar, file: file, mode: mode)
    }

    /// A string value that must be present and not empty.
    public mutating func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let value = try string(key) else { throw ConfigError(.missingKey(key), at: location) }
        guard !value.isEmpty || mode == .lenient else {
            throw ConfigError(.invalidValue(key: key, reason: "must not be empty"), at: location(of: key))
        }
        return value
    }

    /// A list of strings; a single scalar counts as a list of one. Nil when absent.
    public mutating func strings(_ key: String) throws(ConfigError) -> [String]? {
        readKeys.insert(key)
        guard let node = node(key) else { return nil }
        switch node {
        case .scalar(let scalar) where !scalar.isNull:
            return [try interpolator.expand(scalar, file: file, mode: mode)]
        case .sequence(let items, _):
            var values: [String] = []
            for item in items {
                guard case .scalar(let scalar) = item, !scalar.isNull else {
                    throw ConfigError(.wrongType(key: key, expected: "a list of strings", found: "\(item.shapeName) in it"),
                                      at: SourceLocation(file: file, line: item.mark.line, column: item.mark.column))
                }
                values.append(try interpolator.expand(scalar, file: file, mode: mode))
            }
            return values
        default:
            throw ConfigError(.wrongType(key: key, expected: "a list of strings", found: node.shapeName), at: location(of: key))
        }
    }

    /// A list whose items are either a plain value (taken as `nameKey`) or a mapping of plain
    /// values with the keys in `allowedKeys`; unknown keys are errors with a did-you-mean.
    public mutating func records(_ key: String, nameKey: String, allowedKeys: [String]) throws(ConfigError) -> [[String: String]]? {
        readKeys.insert(key)
        guard let node = node(key) else { return nil }
        guard case .sequence(let items, _) = node else {
            throw ConfigError(.wrongType(key: key, expected: "a list", found: node.shapeName), at: location(of: key))
        }
        var records: [[String: String]] = []
        for item in items {
            let place = SourceLocation(file: file, line: item.mark.line, column: item.mark.column)
            switch item {
            case .scalar(let scalar) where !scalar.isNull:
                records.append([nameKey: try interpolator.expand(scalar, file: file, mode: mode)])
            case .mapping(let pairs, _):
                var record: [String: String] = [:]
                for pair in pairs {
                    guard allowedKeys.contains(pair.key.value) else {
                        throw ConfigError(.unknownKey(pair.key.value, suggestion: Suggestion.closest(to: pair.key.value, in: allowedKeys),
                                                      allowed: allowedKeys),
                                          at: SourceLocation(file: file, line: pair.key.mark.line, column: pair.key.mark.column))
                    }
                    guard case .scalar(let scalar) = pair.value else {
                        throw ConfigError(.wrongType(key: pair.key.value, expected: "a plain value", found: pair.value.shapeName), at: place)
                    }
                    record[pair.key.value] = try interpolator.expand(scalar, file: file, mode: mode)
                }
                guard record[nameKey] != nil else { throw ConfigError(.missingKey(nameKey), at: place) }
                records.append(record)
            default:
                throw ConfigError(.wrongType(key: key, expected: "a list of names or mappings", found: "\(item.shapeName) in it"), at: place)
            }
        }
        return records
    }

    /// The parameters inside a mapping value (`sdl_command: {run: …, cwd: …}`), read with the same
    /// typed readers; keys outside `allowed` are errors with a did-you-mean. Nil when absent.
    mutating func nested(_ key: String, allowed: [String]) throws(ConfigError) -> CheckParameters? {
        readKeys.insert(key)
        guard let node = node(key) else { return nil }
        guard case .mapping(let inner, let mark) = node else {
            throw ConfigError(.wrongType(key: key, expected: "a mapping", found: node.shapeName), at: location(of: key))
        }
        return try nested(inner, at: mark, allowed: allowed)
    }

    /// The parameters of one mapping (an item of a list such as `sources`).
    func nested(_ inner: [YAMLPair], at mark: YAMLMark, allowed: [String]) throws(ConfigError) -> CheckParameters {
        for pair in inner where !allowed.contains(pair.key.value) {
            throw ConfigError(.unknownKey(pair.key.value, suggestion: Suggestion.closest(to: pair.key.value, in: allowed), allowed: allowed),
                              at: SourceLocation(file: file, line: pair.key.mark.line, column: pair.key.mark.column))
        }
        return CheckParameters(pairs: inner, file: file, location: SourceLocation(file: file, line: mark.line, column: mark.column),
                               interpolator: interpolator, mode: mode)
    }

    /// The mappings of a list (`sources: [{file: …, key: …}, …]`), each as parameters of its own.
    mutating func nestedList(_ key: String, allowed: [String]) throws(ConfigError) -> [CheckParameters]? {
        readKeys.insert(key)
        guard let node = node(key) else { return nil }
        guard case .sequence(let items, _) = node else {
            throw ConfigError(.wrongType(key: key, expected: "a list of mappings", found: node.shapeName), at: location(of: key))
        }
        var list: [CheckParameters] = []
        for item in items {
            guard case .mapping(let inner, let mark) = item else {
                throw ConfigError(.wrongType(key: key, expected: "a list of mappings", found: "\(item.shapeName) in it"),
                                  at: SourceLocation(file: file, line: item.mark.line, column: item.mark.column))
            }
            list.append(try nested(inner, at: mark, allowed: allowed))
        }
        return list
    }

    /// Whether `key` holds a mapping (rather than a plain value).
    func isMapping(_ key: String) -> Bool {
        if case .mapping? = node(key) { return true }
        return false
    }

    /// A mapping of names to plain values (request headers), interpolated, in the order written.
    public mutating func stringMap(_ key: String) throws(ConfigError) -> [(String, String)]? {
        readKeys.insert(key)
        guard let node = node(key) else { return nil }
        guard case .mapping(let pairs, _) = node else {
            throw ConfigError(.wrongType(key: key, expected: "a mapping of names to values", found: node.shapeName), at: location(of: key))
        }
        var entries: [(String, String)] = []
        for pair in pairs {
            guard case .scalar(let scalar) = pair.value else {
                throw ConfigError(.wrongType(key: pair.key.value, expected: "a plain value", found: pair.value.shapeName),
                                  at: SourceLocation(file: file, line: pair.value.mark.line, column: pair.value.mark.column))
            }
            entries.append((pair.key.value, try interpolator.expand(scalar, file: file, mode: mode)))
        }
        return entries
    }

    /// A mapping of names to one plain value or a list of them (`expose`'s alternative paths),
    /// interpolated, in the order written.
    mutating func stringListMap(_ key: String) throws(ConfigError) -> [(String, [String])]? {
        readKeys.insert(key)
        guard let node = node(key) else { return nil }
        guard case .mapping(let pairs, _) = node else {
            throw ConfigError(.wrongType(key: key, expected: "a mapping of names to values", found: node.shapeName), at: location(of: key))
        }
        var entries: [(String, [String])] = []
        for pair in pairs {
            let items: [YAMLNode]
            switch pair.value {
            case .scalar: items = [pair.value]
            case .sequence(let listed, _) where !listed.isEmpty: items = listed
            default:
                throw ConfigError(.wrongType(key: pair.key.value, expected: "a plain value or a list of them", found: pair.value.shapeName),
                                  at: SourceLocation(file: file, line: pair.value.mark.line, column: pair.value.mark.column))
            }
            var values: [String] = []
            for item in items {
                guard case .scalar(let scalar) = item, !scalar.isNull else {
                    throw ConfigError(.wrongType(key: pair.key.value, expected: "a plain value or a list of them", found: "\(item.shapeName) in it"),
                                      at: SourceLocation(file: file, line: item.mark.line, column: item.mark.column))
                }
                values.append(try interpolator.expand(scalar, file: file, mode: mode))
            }
            entries.append((pair.key.value, values))
        }
        return entries
    }

    /// Any value as JSON (GraphQL variables): plain scalars typed by YAML's core schema (null, true,
    /// false, integers, floats) after interpolation, quoted scalars as strings; nil when absent.
    mutating func json(_ key: String) throws(ConfigError) -> JSONValue? {
        readKeys.insert(key)
        guard let node = node(key) else { return nil }
        return try json(node)
    }

    private func json(_ node: YAMLNode) throws(ConfigError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.isNull { return .null }
            let text = try interpolator.expand(scalar, file: file, mode: mode)
            guard scalar.style == .plain && scalar.tag == nil else { return .string(text) }
            if text == "true" || text == "false" { return .bool(text == "true") }
            if let integer = Int(text) { return .integer(integer) }
            if let number = Double(text), text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return .number(number) }
            return .string(text)
        case .sequence(let items, _):
            var values: [JSONValue] = []
            for item in items { values.append(try json(item)) }
            return .array(values)
        case .mapping(let pairs, _):
            var members: [(String, JSONValue)] = []
            for pair in pairs { members.append((pair.key.value, try json(pair.value))) }
            return .object(members)
        }
    }

    /// A share written `20%` (or `0.2`), as a fraction; `value` when absent.
    mutating func fraction(_ key: String, default value: Double) throws(ConfigError) -> Double {
        guard let text = try string(key) else { return value }
        let trimmed = text.trimmingCharacters(in: " ")
        let number = trimmed.hasSuffix("%") ? Double(trimmed.dropLast().trimmingCharacters(in: " ")).map { $0 / 100 } : Double(trimmed)
        guard let number, number >= 0, number <= 10 else {
            throw invalid(key, "'\(text)' is not a share; write a percentage such as 20%")
        }
        return number
    }

    /// A boolean (`true`/`false`, YAML 1.2 style); nil when absent.
    public mutating func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let text = try string(key) else { return nil }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            throw ConfigError(.wrongType(key: key, expected: "true or false", found: "'\(text)'"), at: location(of: key))
        }
    }

    /// A non-negative number; nil when absent.
    public mutating func number(_ key: String) throws(ConfigError) -> Double? {
        guard let text = try string(key) else { return nil }
        guard let value = Double(text), value.isFinite, value >= 0 else {
            throw ConfigError(.wrongType(key: key, expected: "a non-negative number", found: "'\(text)'"), at: location(of: key))
        }
        return value
    }

    /// A whole number within `range`; `value` when absent.
    public mutating func wholeNumber(_ key: String, default value: Int, range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let number = try number(key) else { return value }
        guard number == number.rounded(), range.contains(Int(number)) else {
            throw invalid(key, "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return Int(number)
    }

    /// A duration in seconds: a number of seconds, or a number with `ms`, `s` or `m`; nil when absent.
    public mutating func seconds(_ key: String) throws(ConfigError) -> Double? {
        guard let text = try string(key) else { return nil }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
        let (digits, scale) = units.first { text.hasSuffix($0.0) }.map { (String(text.dropLast($0.0.count)), $0.1) } ?? (text, 1)
        guard let value = Double(digits.trimmingCharacters(in: " ")), value.isFinite, value > 0 else {
            throw ConfigError(.wrongType(key: key, expected: "a positive duration such as 10, 500ms, 30s or 2m",
                                         found: "'\(text)'"), at: location(of: key))
        }
        return value * scale
    }

    /// A regular expression, compiled now so that `lint` finds a bad one; nil when absent.
    public mutating func pattern(_ key: String) throws(ConfigError) -> Pattern? {
        guard let text = try string(key) else { return nil }
        do {
            return try Pattern(text)
        } catch {
            throw ConfigError(.invalidRegex(text, reason: "\(error)"), at: location(of: key))
        }
    }

    /// An error about `key`'s value.
    public func invalid(_ key: String, _ reason: String) -> ConfigError {
        ConfigError(.invalidValue(key: key, reason: reason), at: location(of: key))
    }

    private func node(_ key: String) -> YAMLNode? {
        pairs.first { $0.key.value == key }?.value
    }
}
