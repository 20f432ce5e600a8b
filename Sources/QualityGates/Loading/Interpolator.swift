import ConfigFiles
import TextSearch
import YAMLReader

/// Expands `${NAME}` and `${NAME:-default}` in gate-file values; `$${` stands for a literal `${`.
/// `:-` takes the default when the variable is unset or empty, as in the shell.
struct Interpolator: Sendable {
    /// Strict: an unset variable without a default is an error. Lenient: it expands to "" (used
    /// for checks that this run will not execute, so their variables need not be set).
    enum Mode: Sendable { case strict, lenient }

    let environment: Environment

    func expand(_ scalar: YAMLScalar, file: String, mode: Mode) throws(ConfigError) -> String {
        let text = scalar.value
        // Bytes, not Characters: every value of every gate file passes here, and almost none has a
        // reference (grapheme breaking made this check a tenth of the gate files' load).
        guard text.utf8.contains(UInt8(ascii: "$")) else { return text }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix("$${") {
                result += "${"
                index = text.index(index, offsetBy: 3)
                continue
            }
            guard text[index...].hasPrefix("${") else {
                result.append(text[index])
                index = text.index(after: index)
                continue
            }
            // Found only for an error: most references are fine.
            let start = index
            var location: SourceLocation { self.location(of: start, in: scalar, file: file) }
            guard let close = text[index...].firstIndex(of: "}") else {
                throw ConfigError(.badVariableReference(String(text[index...])), at: location)
            }
            let body = text[text.index(index, offsetBy: 2)..<close]
            let (name, fallback) = split(body)
            guard DotEnv.isVariableName(name) else {
                throw ConfigError(.badVariableReference("${\(body)}"), at: location)
            }
            if let value = environment[String(name)], !(value.isEmpty && fallback != nil) {
                result += value
            } else if let fallback {
                result += fallback
            } else if mode == .strict {
                throw ConfigError(.unsetVariable(String(name)), at: location)
            }
            index = text.index(after: close)
        }
        return result
    }

    /// `NAME:-default` split into the name and the default.
    private func split(_ body: Substring) -> (Substring, String?) {
        guard let (name, fallback) = String(body).splitOnce(":-") else { return (body, nil) }
        return (name, String(fallback))
    }

    /// The exact column for a one-line plain or quoted scalar; the scalar's start otherwise.
    private func location(of index: String.Index, in scalar: YAMLScalar, file: String) -> SourceLocation {
        let offset = scalar.value.distance(from: scalar.value.startIndex, to: index)
        var column = scalar.mark.column
        switch scalar.style {
        case .plain where !scalar.value.contains("\n"): column += offset
        case .singleQuoted where !scalar.value.contains("\n") && !scalar.value.contains("'"):
            column += offset + 1
        case .doubleQuoted where !scalar.value.contains("\n") && !scalar.value.contains("\""):
            column += offset + 1
        default: break
        }
        return SourceLocation(file: file, line: scalar.mark.line, column: column)
    }
}
