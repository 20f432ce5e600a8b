/// The environment PEP 508 markers are evaluated in: `python_version`, `sys_platform`, ….
public struct MarkerEnvironment: Sendable, Equatable {
    public var values: [String: String]

    public init(values: [String: String]) {
        self.values = values
    }

    /// CPython `python` (`3.11` or `3.11.7`) on `platform` (`linux`, `darwin`, `win32`), x86_64.
    public static func cpython(_ python: String, platform: String = "linux", machine: String = "x86_64") -> MarkerEnvironment {
        let parts = python.split(separator: ".")
        let full = parts.count >= 3 ? python : parts.count == 2 ? "\(python).0" : "\(python).0.0"
        let system = ["linux": "Linux", "darwin": "Darwin", "win32": "Windows", "cygwin": "CYGWIN_NT"][platform]
            ?? (platform.prefix(1).uppercased() + platform.dropFirst())
        return MarkerEnvironment(values: [
            "python_version": parts.prefix(2).joined(separator: "."), "python_full_version": full,
            "implementation_version": full, "implementation_name": "cpython", "platform_python_implementation": "CPython",
            "sys_platform": platform, "platform_system": system, "os_name": platform == "win32" ? "nt" : "posix",
            "platform_machine": machine, "platform_release": "", "platform_version": "", "extra": "",
        ])
    }
}

/// Why a marker cannot be read.
public struct MarkerError: Error, Sendable, Equatable {
    public let reason: String
}

/// PEP 508 environment markers (`python_version < "3.9" and sys_platform != "win32"`), evaluated
/// as packaging evaluates them: a comparison whose right side reads as a version specifier is a
/// PEP 440 comparison (pre-releases admitted), any other a comparison of strings.
public enum Marker {
    static let variables: Set<String> = [
        "python_version", "python_full_version", "os_name", "sys_platform", "platform_release", "platform_system",
        "platform_version", "platform_machine", "platform_python_implementation", "implementation_name",
        "implementation_version", "extra",
        // Names older tools wrote, which packaging still accepts.
        "os.name", "sys.platform", "platform.version", "platform.machine", "platform.python_implementation", "python_implementation",
    ]

    public static func evaluate(_ text: String, in environment: MarkerEnvironment) throws(MarkerError) -> Bool {
        var parser = Parser(tokens: try tokens(text))
        let value = try parser.or(environment)
        guard parser.atEnd else { throw MarkerError(reason: "unexpected '\(parser.peek ?? "")' in marker '\(text)'") }
        return value
    }

    // MARK: Tokens

    enum Token: Equatable {
        case word(String)
        case string(String)
        case op(String)
        case open, close
    }

    static func tokens(_ text: String) throws(MarkerError) -> [Token] {
        var tokens: [Token] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == " " || character == "\t" { index += 1; continue }
            if character == "(" { tokens.append(.open); index += 1; continue }
            if character == ")" { tokens.append(.close); index += 1; continue }
            if character == "'" || character == "\"" {
                guard let end = characters[(index + 1)...].firstIndex(of: character) else {
                    throw MarkerError(reason: "unterminated string in marker '\(text)'")
                }
                tokens.append(.string(String(characters[(index + 1)..<end])))
                index = end + 1
                continue
            }
            if "<>=!~".contains(character) {
                var end = index
                while end < characters.count, "<>=!~".contains(characters[end]) { end += 1 }
                let op = String(characters[index..<end])
                guard ["<", "<=", ">", ">=", "==", "!=", "~=", "==="].contains(op) else {
                    throw MarkerError(reason: "unknown operator '\(op)' in marker '\(text)'")
                }
                tokens.append(.op(op))
                index = end
                continue
            }
            var end = index
            while end < characters.count, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" || characters[end] == "." {
                end += 1
            }
            guard end > index else { throw MarkerError(reason: "unexpected '\(character)' in marker '\(text)'") }
            tokens.append(.word(String(characters[index..<end])))
            index = end
        }
        return tokens
    }

    // MARK: Grammar

    struct Parser {
        let tokens: [Token]
        var index = 0

        var atEnd: Bool { index == tokens.count }
        var peek: String? {
            guard index < tokens.count else { return nil }
            switch tokens[index] {
            case .word(let word): return word
            case .string(let text): return "\"\(text)\""
            case .op(let op): return op
            case .open: return "("
            case .close: return ")"
            }
        }

        mutating func or(_ environment: MarkerEnvironment) throws(MarkerError) -> Bool {
            var value = try and(environment)
            while index < tokens.count, tokens[index] == .word("or") {
                index += 1
                let right = try and(environment)
                value = value || right
            }
            return value
        }

        mutating func and(_ environment: MarkerEnvironment) throws(MarkerError) -> Bool {
            var value = try expression(environment)
            while index < tokens.count, tokens[index] == .word("and") {
                index += 1
                let right = try expression(environment)
                value = value && right
            }
            return value
        }

        mutating func expression(_ environment: MarkerEnvironment) throws(MarkerError) -> Bool {
            if index < tokens.count, tokens[index] == .open {
                index += 1
                let value = try or(environment)
                guard index < tokens.count, tokens[index] == .close else { throw MarkerError(reason: "a '(' is not closed") }
                index += 1
                return value
            }
            let left = try operand(environment)
            let op = try comparison()
            let right = try operand(environment)
            return try Marker.compare(left, op, right)
        }

        mutating func operand(_ environment: MarkerEnvironment) throws(MarkerError) -> String {
            guard index < tokens.count else { throw MarkerError(reason: "a marker ends too early") }
            defer { index += 1 }
            switch tokens[index] {
            case .string(let text): return text
            case .word(let name) where Marker.variables.contains(name):
                let canonical = ["os.name": "os_name", "sys.platform": "sys_platform", "platform.version": "platform_version",
                                 "platform.machine": "platform_machine", "platform.python_implementation": "platform_python_implementation",
                                 "python_implementation": "platform_python_implementation"][name] ?? name
                return environment.values[canonical] ?? ""
            default:
                throw MarkerError(reason: "'\(peek ?? "")' is neither a marker variable nor a quoted string")
            }
        }

        mutating func comparison() throws(MarkerError) -> String {
            guard index < tokens.count else { throw MarkerError(reason: "a marker ends before its operator") }
            switch tokens[index] {
            case .op(let op):
                index += 1
                return op
            case .word("in"):
                index += 1
                return "in"
            case .word("not") where index + 1 < tokens.count && tokens[index + 1] == .word("in"):
                index += 2
                return "not in"
            default:
                throw MarkerError(reason: "expected a comparison, found '\(peek ?? "")'")
            }
        }
    }

    /// packaging's `_eval_op`: a version comparison when `op` + `right` is a specifier, else strings.
    static func compare(_ left: String, _ op: String, _ right: String) throws(MarkerError) -> Bool {
        if op != "in", op != "not in", PythonVersion(right) != nil || (op == "===" ) || (right.hasSuffix(".*") && (op == "==" || op == "!=")) {
            if let result = VersionSpecifier(op: op, version: right).contains(left) { return result }
        }
        switch op {
        case "in": return right.contains(left)
        case "not in": return !right.contains(left)
        case "==": return left == right
        case "!=": return left != right
        case "<": return left < right
        case "<=": return left <= right
        case ">": return left > right
        case ">=": return left >= right
        default: throw MarkerError(reason: "'\(op)' cannot compare '\(left)' and '\(right)'")
        }
    }
}
