import TextSearch

/// The environment variables a Python application reads, with the defaults its code gives them:
/// the fields of a pydantic `BaseSettings` class (`data_region: str = "canada-central"`,
/// `Field(default=2555, env="DATA_RETENTION_DAYS")`, `alias=`/`validation_alias=`, `env_prefix`)
/// and `os.getenv("TZ", "America/Toronto")` / `os.environ.get(…)` calls. What the application runs
/// with when the deployment sets nothing is what these say.
///
/// Only literal defaults are taken (strings, numbers, booleans); a variable read without one, or
/// with `None`, `""` or an expression, declares no value and is left out. Read line by line, without
/// Python: a statement continues while its brackets are open.
public enum PythonSettings {
    /// One variable and its default, where the default is written (line and column from 1).
    public struct Entry: Equatable, Sendable {
        public let name: String
        public let value: ConfigScalar
        public let line: Int
        public let column: Int
    }

    public static func parse(_ text: String) -> [Entry] {
        // Split on bytes: a String holds "\r\n" as one Character, which never equals "\n".
        let lines = Self.maskingDocstrings(Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.last == 0x0D ? Array(line.dropLast()) : Array(line)
        })
        var entries: [Entry] = []
        var index = 0
        var settingsClass: (indent: Int, prefix: String, body: Int?)?
        while index < lines.count {
            let (statement, first, last) = Self.statement(lines, from: index)
            index = last + 1
            let indent = Self.indentation(lines[first])
            let code = Array(lines[first].dropFirst(indent))
            guard !code.isEmpty, code.first != UInt8(ascii: "#") else { continue }
            if let open = settingsClass, indent <= open.indent { settingsClass = nil }
            if Self.starts(code, with: "class "), Self.contains(statement, "BaseSettings") {
                settingsClass = (indent, Self.envPrefix(lines, classLine: first, indent: indent), nil)
                continue
            }
            // Reads of the environment, anywhere.
            entries += Self.environmentReads(in: statement, firstLine: first)
            // A field of the settings class: at the class body's own indentation (not a method's).
            if settingsClass != nil, settingsClass?.body == nil { settingsClass?.body = indent }
            if let open = settingsClass, indent == open.body, let field = Self.field(code) {
                if let entry = Self.fieldEntry(field, prefix: open.prefix, line: first, column: indent, statement: statement) {
                    entries.append(entry)
                }
            }
        }
        return entries
    }

    // MARK: statements

    /// The lines with the inside of every triple-quoted string blanked: a docstring's text is
    /// neither code nor brackets.
    static func maskingDocstrings(_ lines: [[UInt8]]) -> [[UInt8]] {
        var open: UInt8?
        return lines.map { line in
            var out = line
            var index = 0
            while index < line.count {
                let byte = line[index]
                let triple = index + 2 < line.count && (byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'"))
                    && line[index + 1] == byte && line[index + 2] == byte
                if let quote = open {
                    if triple, byte == quote { open = nil; index += 3; continue }
                    out[index] = 0x20
                } else if triple {
                    open = byte
                    index += 3
                    continue
                } else if byte == UInt8(ascii: "#") {
                    break
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    // A one-line string: skip to its end, so a quote inside is not a triple.
                    index += 1
                    while index < line.count, line[index] != byte {
                        if line[index] == UInt8(ascii: "\\") { index += 1 }
                        index += 1
                    }
                }
                index += 1
            }
            return out
        }
    }

    /// The statement starting at line `from`: its lines joined while brackets are open.
    static func statement(_ lines: [[UInt8]], from: Int) -> (text: [UInt8], first: Int, last: Int) {
        var depth = 0
        var text: [UInt8] = []
        var index = from
        while index < lines.count {
            text += lines[index] + [UInt8(ascii: "\n")]
            depth += Self.bracketBalance(lines[index])
            if depth <= 0 { break }
            index += 1
        }
        return (text, from, min(index, lines.count - 1))
    }

    /// Opening minus closing brackets outside strings and comments.
    static func bracketBalance(_ line: [UInt8]) -> Int {
        var balance = 0
        var quote: UInt8?
        var index = 0
        while index < line.count {
            let byte = line[index]
            if let open = quote {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "#") {
                break
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                balance += 1
            } else if byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                balance -= 1
            }
            index += 1
        }
        return balance
    }

    static func indentation(_ line: [UInt8]) -> Int { line.prefix { $0 == 0x20 || $0 == 0x09 }.count }

    static func starts(_ bytes: [UInt8], with prefix: String) -> Bool { bytes.starts(with: prefix.utf8) }

    static func contains(_ bytes: [UInt8], _ word: String) -> Bool {
        let needle = Array(word.utf8)
        guard needle.count <= bytes.count else { return false }
        return (0...(bytes.count - needle.count)).contains { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// `env_prefix` of the class starting at `classLine`: `model_config = SettingsConfigDict(env_prefix=…)`
    /// or an inner `class Config:` with `env_prefix = …`.
    static func envPrefix(_ lines: [[UInt8]], classLine: Int, indent: Int) -> String {
        var index = classLine + 1
        while index < lines.count {
            let line = lines[index]
            let own = Self.indentation(line)
            if own < line.count, line[own] != UInt8(ascii: "#"), own <= indent { break }
            if let found = Self.keywordString(line, "env_prefix") { return found.value }
            index += 1
        }
        return ""
    }

    // MARK: fields

    /// `name: annotation = default` → the name and the default's start (its offset in `code`).
    static func field(_ code: [UInt8]) -> (name: String, defaultAt: Int)? {
        var index = 0
        while index < code.count, Self.isNameByte(code[index], first: index == 0) { index += 1 }
        guard index > 0 else { return nil }
        let name = String(decoding: code[..<index], as: UTF8.self)
        guard name != "model_config", !name.hasPrefix("_") else { return nil }
        while index < code.count, code[index] == 0x20 { index += 1 }
        guard index < code.count, code[index] == UInt8(ascii: ":") else { return nil }
        // The default follows the first `=` outside brackets and strings (not `==`).
        var depth = 0
        var quote: UInt8?
        var at = index + 1
        while at < code.count {
            let byte = code[at]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "(") {
                depth += 1
            } else if byte == UInt8(ascii: "]") || byte == UInt8(ascii: ")") {
                depth -= 1
            } else if byte == UInt8(ascii: "#") {
                return nil
            } else if byte == UInt8(ascii: "="), depth == 0, at + 1 < code.count ? code[at + 1] != UInt8(ascii: "=") : true {
                return (name, at + 1)
            }
            at += 1
        }
        return nil
    }

    static func fieldEntry(_ field: (name: String, defaultAt: Int), prefix: String, line: Int, column indent: Int,
                           statement: [UInt8]) -> Entry? {
        let code = Array(statement.dropFirst(indent))
        var start = field.defaultAt
        while start < code.count, code[start] == 0x20 { start += 1 }
        let rest = Array(code[start...])
        var name = prefix + field.name.uppercased()
        let literal: (ConfigScalar, offset: Int)?
        if Self.starts(rest, with: "Field(") {
            let arguments = Array(rest.dropFirst(6))
            for key in ["validation_alias", "alias", "env"] {
                if let explicit = Self.keywordString(arguments, key) { name = explicit.value; break }
            }
            if let keyword = Self.keywordOffset(arguments, "default") {
                literal = Self.literal(arguments, at: keyword).map { ($0.0, 6 + $0.offset) }
            } else {
                // The first positional argument, unless it is `...` (required).
                literal = Self.literal(arguments, at: 0).map { ($0.0, 6 + $0.offset) }
            }
        } else {
            literal = Self.literal(rest, at: 0)
        }
        guard let (value, offset) = literal, !Self.isEmptyString(value) else { return nil }
        let (row, column) = Self.place(statement, offset: indent + start + offset, firstLine: line)
        return Entry(name: name, value: value, line: row, column: column)
    }

    // MARK: environment reads

    /// `os.getenv("NAME", default)`, `os.environ.get("NAME", default)`, `environ.get(…)`, `getenv(…)`.
    static func environmentReads(in statement: [UInt8], firstLine: Int) -> [Entry] {
        var entries: [Entry] = []
        for call in ["getenv(", "environ.get("] {
            let needle = Array(call.utf8)
            var at = 0
            while at + needle.count <= statement.count {
                guard statement[at..<(at + needle.count)].elementsEqual(needle),
                      at == 0 || !Self.isNameByte(statement[at - 1], first: false) || call == "environ.get(" else { at += 1; continue }
                var index = at + needle.count
                while index < statement.count, statement[index] == 0x20 || statement[index] == 0x0A { index += 1 }
                guard let (nameScalar, _) = Self.literal(statement, at: index), nameScalar.kind == .string else { at += 1; continue }
                var after = Self.skipLiteral(statement, at: index)
                while after < statement.count, statement[after] == 0x20 || statement[after] == 0x0A { after += 1 }
                if after < statement.count, statement[after] == UInt8(ascii: ","), let (value, offset) = Self.literal(statement, at: after + 1),
                   !Self.isEmptyString(value) {
                    let (row, column) = Self.place(statement, offset: offset, firstLine: firstLine)
                    entries.append(Entry(name: nameScalar.text, value: value, line: row, column: column))
                }
                at = after
            }
        }
        return entries.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    // MARK: literals

    /// `""` as a default says the variable has no value unless the environment gives one, as
    /// `None` does: it declares nothing to judge.
    static func isEmptyString(_ value: ConfigScalar) -> Bool { value.kind == .string && value.text.isEmpty }

    /// A keyword argument's string value (`env="X"`), wherever it is in `bytes`.
    static func keywordString(_ bytes: [UInt8], _ key: String) -> (value: String, offset: Int)? {
        guard let at = Self.keywordOffset(bytes, key), let (scalar, offset) = Self.literal(bytes, at: at), scalar.kind == .string else { return nil }
        return (scalar.text, offset)
    }

    /// Where the value of `key=` starts in `bytes`.
    static func keywordOffset(_ bytes: [UInt8], _ key: String) -> Int? {
        let needle = Array(key.utf8)
        var at = 0
        while at + needle.count < bytes.count {
            if bytes[at..<(at + needle.count)].elementsEqual(needle), at == 0 || !Self.isNameByte(bytes[at - 1], first: false) {
                var index = at + needle.count
                while index < bytes.count, bytes[index] == 0x20 { index += 1 }
                if index < bytes.count, bytes[index] == UInt8(ascii: "="), index + 1 < bytes.count, bytes[index + 1] != UInt8(ascii: "=") {
                    return index + 1
                }
            }
            at += 1
        }
        return nil
    }

    /// The literal starting at `at` (after spaces): a string, a number or a boolean, and where it
    /// starts; nil for anything else (`None`, `...`, a name, a call, an f-string).
    static func literal(_ bytes: [UInt8], at: Int) -> (ConfigScalar, offset: Int)? {
        var start = at
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x0A || bytes[start] == 0x09 { start += 1 }
        guard start < bytes.count else { return nil }
        let byte = bytes[start]
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            var index = start + 1
            var text: [UInt8] = []
            while index < bytes.count, bytes[index] != byte, bytes[index] != 0x0A {
                if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count { index += 1 }
                text.append(bytes[index])
                index += 1
            }
            guard index < bytes.count, bytes[index] == byte else { return nil }
            return (ConfigScalar(String(decoding: text, as: UTF8.self), kind: .string), start)
        }
        var end = start
        while end < bytes.count, Self.isNameByte(bytes[end], first: false) || bytes[end] == UInt8(ascii: ".") || bytes[end] == UInt8(ascii: "-") { end += 1 }
        let word = String(decoding: bytes[start..<end], as: UTF8.self)
        if word == "True" || word == "False" { return (ConfigScalar(word == "True" ? "true" : "false", kind: .boolean), start) }
        let digits = word.filter { $0 != "_" }
        if Int(digits) != nil { return (ConfigScalar(digits, kind: .integer), start) }
        if Double(digits) != nil, digits.contains(where: { ".eE".contains($0) }) { return (ConfigScalar(digits, kind: .float), start) }
        return nil
    }

    /// The offset just after the literal starting at `at`.
    static func skipLiteral(_ bytes: [UInt8], at: Int) -> Int {
        var start = at
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x0A { start += 1 }
        guard start < bytes.count, bytes[start] == UInt8(ascii: "\"") || bytes[start] == UInt8(ascii: "'") else { return start }
        var index = start + 1
        while index < bytes.count, bytes[index] != bytes[start] {
            if bytes[index] == UInt8(ascii: "\\") { index += 1 }
            index += 1
        }
        return min(index + 1, bytes.count)
    }

    /// A byte of a Python name: a letter, `_`, or (after the first) a digit.
    static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
        byte == UInt8(ascii: "_") || (byte.isASCIIAlphanumeric && !(first && byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")))
    }

    /// Line and column (from 1) of `offset` in a statement that starts at line index `firstLine`.
    static func place(_ statement: [UInt8], offset: Int, firstLine: Int) -> (Int, Int) {
        var line = firstLine + 1
        var column = 1
        for byte in statement.prefix(offset) {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }
}
