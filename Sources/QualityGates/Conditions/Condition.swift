import TextSearch

/// A condition in the style of Gatus, parsed when the gate file loads and reported with the
/// resolved value: `[ROW].count == 0` fails as `[ROW].count (3) == 0`.
///
/// Grammar: `LEFT OP RIGHT`. LEFT is a placeholder `[NAME]`, optionally with a path
/// (`[ROW].count`, `[BODY].data.me.id`) or wrapped in `len(…)`. OP is one of `== != <= >= < >`.
/// RIGHT is a number, a quoted or bare string, or `pat(glob)` (`*` and `?`) for `==` and `!=`.
public struct Condition: Sendable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable {
        // Two-character operators first, so `<=` is never read as `<`.
        case equal = "==", notEqual = "!=", lessOrEqual = "<=", greaterOrEqual = ">=", less = "<", greater = ">"
    }

    /// The placeholder side: a name, a path into it, and whether `len()` wraps it.
    public struct Placeholder: Sendable, Equatable {
        public let name: String
        public let path: [String]
        public let length: Bool
    }

    /// The literal side.
    public enum Operand: Sendable, Equatable {
        case number(Double)
        case string(String)
        case pattern(String)
    }

    /// What a placeholder resolved to.
    public enum Value: Sendable, Equatable, CustomStringConvertible {
        case number(Double)
        case string(String)
        case bool(Bool)
        case null
        case missing
        /// The placeholder cannot be read at all, and why (the body is not JSON, …).
        case unavailable(String)

        public var description: String {
            switch self {
            case .number(let value): NumberText.number(value)
            case .string(let value): value.isEmpty ? "\"\"" : value
            case .bool(let value): String(value)
            case .null: "null"
            case .missing: "missing"
            case .unavailable(let reason): reason
            }
        }
    }

    public let placeholder: Placeholder
    public let op: Operator
    public let operand: Operand
    /// The condition as written.
    public let source: String
    private let leftSource: String
    private let rightSource: String

    /// Parses `text`; `placeholders` are the names the check kind resolves.
    public init(_ text: String, placeholders: [String]) throws(ConditionError) {
        source = text
        guard let (op, range) = Self.findOperator(in: text) else {
            throw ConditionError("no comparison in '\(text)'; write for example [ROWS] > 0")
        }
        self.op = op
        leftSource = String(text[..<range.lowerBound]).trimmingCharacters(in: " \t")
        rightSource = String(text[range.upperBound...]).trimmingCharacters(in: " \t")
        placeholder = try Self.parsePlaceholder(leftSource, known: placeholders)
        operand = try Self.parseOperand(rightSource)
        if case .pattern = operand, op != .equal, op != .notEqual {
            throw ConditionError("pat() works with == and != only, in '\(text)'")
        }
    }

    /// Whether the condition holds for `value`, and the condition with the value shown.
    /// Values from a server or a file are escaped and cut to `UntrustedText.quotedLimit`.
    public func evaluate(_ value: Value) -> (holds: Bool, text: String) {
        (holds(value), "\(leftSource) (\(UntrustedText.quoted(value.description))) \(op.rawValue) \(rightSource)")
    }

    public var description: String { source }

    private func holds(_ value: Value) -> Bool {
        switch (value, operand) {
        case (.missing, _), (.unavailable, _):
            return false
        case (_, .pattern(let glob)):
            let matches = Glob.matches(glob, value.description)
            return op == .equal ? matches : !matches
        case (.number(let left), .number(let right)):
            return compare(left, right)
        case (.string(let text), .number(let right)):
            guard let left = Double(text) else { return op == .notEqual }
            return compare(left, right)
        default:
            let left = value == .null ? "null" : value.description == "\"\"" ? "" : value.description
            let right: String = switch operand {
            case .string(let text): text
            case .number(let number): Value.number(number).description
            case .pattern(let glob): glob
            }
            switch op {
            case .equal: return left == right
            case .notEqual: return left != right
            default: return false
            }
        }
    }

    private func compare(_ left: Double, _ right: Double) -> Bool {
        switch op {
        case .equal: left == right
        case .notEqual: left != right
        case .less: left < right
        case .lessOrEqual: left <= right
        case .greater: left > right
        case .greaterOrEqual: left >= right
        }
    }

    /// The first operator outside brackets and quotes.
    private static func findOperator(in text: String) -> (Operator, Range<String.Index>)? {
        var depth = 0
        var quoted = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" { quoted.toggle() }
            if !quoted {
                if character == "[" || character == "(" { depth += 1 }
                if character == "]" || character == ")" { depth -= 1 }
                if depth == 0 {
                    for op in Operator.allCases where text[index...].hasPrefix(op.rawValue) {
                        return (op, index..<text.index(index, offsetBy: op.rawValue.count))
                    }
                }
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static func parsePlaceholder(_ text: String, known: [String]) throws(ConditionError) -> Placeholder {
        var body = Substring(text)
        var length = false
        if body.hasPrefix("len("), body.hasSuffix(")") {
            length = true
            body = body.dropFirst(4).dropLast()
        }
        guard body.hasPrefix("["), let close = body.firstIndex(of: "]") else {
            throw ConditionError("'\(text)' is not a placeholder; write one of \(known.map { "[\($0)]" }.joined(separator: ", "))")
        }
        let name = String(body[body.index(after: body.startIndex)..<close])
        guard known.contains(name) else {
            let hint = Suggestion.closest(to: name, in: known).map { "; did you mean [\($0)]?" } ?? ""
            throw ConditionError("unknown placeholder [\(name)]\(hint) (known: \(known.map { "[\($0)]" }.joined(separator: ", ")))")
        }
        let rest = body[body.index(after: close)...]
        guard rest.isEmpty || rest.hasPrefix(".") else { throw ConditionError("unexpected '\(rest)' after [\(name)]") }
        let path = rest.split(separator: ".", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard !path.contains(where: \.isEmpty) else { throw ConditionError("empty path segment in '\(text)'") }
        return Placeholder(name: name, path: path, length: length)
    }

    private static func parseOperand(_ text: String) throws(ConditionError) -> Operand {
        guard !text.isEmpty else { throw ConditionError("nothing to compare with") }
        if text.hasPrefix("pat("), text.hasSuffix(")") { return .pattern(String(text.dropFirst(4).dropLast())) }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { return .string(String(text.dropFirst().dropLast())) }
        if let number = Double(text) { return .number(number) }
        return .string(text)
    }
}

/// A condition that cannot be parsed, with the reason.
public struct ConditionError: Error, Sendable, Equatable {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Shell-style globs: `*` any run of characters, `?` one character.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] { pi += 1; ti += 1 }
            else if pi < p.count, p[pi] == "*" { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

extension CheckParameters {
    /// A list of conditions, parsed now so `lint` finds a bad one.
    mutating func conditions(_ key: String, placeholders: [String]) throws(ConfigError) -> [Condition] {
        var conditions: [Condition] = []
        for text in try strings(key) ?? [] {
            do {
                conditions.append(try Condition(text, placeholders: placeholders))
            } catch {
                throw invalid(key, error.reason)
            }
        }
        return conditions
    }
}
