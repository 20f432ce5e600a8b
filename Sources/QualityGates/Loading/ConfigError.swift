import TextSearch

/// A problem with the configuration: a gate file, an env file, or the command line. Each one
/// ends the run with exit status 2 and a one-line message that says where.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Problem: Sendable, Equatable {
        case cannotRead(reason: String)
        case yaml(String)
        case unknownKey(String, suggestion: String?, allowed: [String])
        case wrongType(key: String, expected: String, found: String)
        case missingKey(String)
        case invalidValue(key: String, reason: String)
        case duplicateGate(String, first: SourceLocation)
        case duplicateCheck(String, gate: String, first: SourceLocation)
        case unknownKind(String, suggestion: String?)
        case unknownNeed(String, suggestion: String?)
        case needsCycle([String])
        case unsetVariable(String)
        case badVariableReference(String)
        case invalidRegex(String, reason: String)
        case envFileSyntax(String)
        case usage(String)
    }

    /// Where, when there is a place.
    public let location: SourceLocation?
    /// What.
    public let problem: Problem

    /// An error at `location`.
    public init(_ problem: Problem, at location: SourceLocation?) {
        self.problem = problem
        self.location = location
    }

    /// `file:line:column: problem`, on one line.
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return (place + message).replacingAll("\n", with: " ")
    }

    /// The problem, without the place.
    public var message: String {
        switch problem {
        case .cannotRead(let reason): return "cannot read: \(reason)"
        case .yaml(let text): return text
        case .unknownKey(let key, let suggestion, let allowed):
            let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
            return "unknown key '\(key)'\(hint) (allowed here: \(allowed.joined(separator: ", ")))"
        case .wrongType(let key, let expected, let found):
            return "'\(key)' must be \(expected), found \(found)"
        case .missingKey(let key): return "missing required key '\(key)'"
        case .invalidValue(let key, let reason): return "invalid '\(key)': \(reason)"
        case .duplicateGate(let id, let first): return "duplicate gate id '\(id)' (first defined at \(first))"
        case .duplicateCheck(let name, let gate, let first):
            return "duplicate check name '\(name)' in gate '\(gate)' (first defined at \(first))"
        case .unknownKind(let kind, let suggestion):
            let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
            return "unknown check kind '\(kind)'\(hint) (run 'quality-gates explain' for the list)"
        case .unknownNeed(let name, let suggestion):
            let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
            return "'needs' names no check '\(name)'\(hint)"
        case .needsCycle(let path): return "'needs' forms a cycle: \(path.joined(separator: " -> "))"
        case .unsetVariable(let name):
            return "variable ${\(name)} is not set; set it, add it to --env-file, or write ${\(name):-default}"
        case .badVariableReference(let text): return "bad variable reference '\(text)'; write ${NAME} or ${NAME:-default}"
        case .invalidRegex(let pattern, let reason): return "invalid regular expression '\(pattern)': \(reason)"
        case .envFileSyntax(let reason): return reason
        case .usage(let text): return text
        }
    }
}
