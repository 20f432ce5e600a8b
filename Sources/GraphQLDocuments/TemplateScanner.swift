/// The state machine behind `TemplateExtractor`: one pass over the bytes, keeping line and column,
/// a stack of frames (code, template, code inside `${…}`), the templates it captures, and the
/// top-level code tokens that tell bindings, imports and fragment lists.
struct TemplateScanner {
    private enum Frame {
        /// Code; `braces` counts open `{` so that the `}` closing an interpolation is recognised.
        case code(braces: Int, interpolation: Bool)
        case template
    }

    /// A template being captured: its bytes (interpolations blanked), where it starts, the depth
    /// of its frame, and the interpolation being read.
    private struct Capture {
        var text: [UInt8] = []
        var line: Int
        var column: Int
        var depth: Int
        var form: TaggedTemplate.Form
        var binding: String?
        var interpolations: [TaggedTemplate.Interpolation] = []
        var expressionStart: Int?
        var expressionLine = 0
        var expressionColumn = 0
    }

    let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1
    private var frames: [Frame] = [.code(braces: 0, interpolation: false)]
    private var found: [TaggedTemplate] = []
    private var capture: Capture?
    /// The last identifier or punctuation seen in code: decides whether `/` starts a regular
    /// expression and whether a backtick is tagged.
    private var lastWord = ""
    private var lastPunctuation: UInt8? = nil
    private var taggedByComment = false
    /// Code tokens outside templates and interpolations.
    private(set) var tokens: [ScriptToken] = []

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    /// The templates, with gql.tada's fragment lists (`graphql(`…`, [A, B])`) attached.
    func finishedTemplates() -> [TaggedTemplate] {
        var templates = found
        for (position, token) in tokens.enumerated() {
            guard case .template(let template) = token, templates[template].form == .call else { continue }
            var cursor = position + 1
            guard cursor + 1 < tokens.count, tokens[cursor] == .punctuation(UInt8(ascii: ",")),
                  tokens[cursor + 1] == .punctuation(UInt8(ascii: "[")) else { continue }
            cursor += 2
            var names: [String] = []
            while cursor < tokens.count, case .word(let name) = tokens[cursor] {
                names.append(name)
                cursor += 1
                if cursor < tokens.count, tokens[cursor] == .punctuation(UInt8(ascii: ",")) { cursor += 1 }
            }
            templates[template].fragmentArguments = names
        }
        return templates
    }

    /// Moves past one byte, keeping the line and column and feeding the capture.
    private mutating func advance() {
        let byte = bytes[index]
        if var current = capture {
            if frames.count == current.depth {
                current.text.append(byte)
            } else if byte == 10 || byte == 13 {
                current.text.append(byte)
            } else if byte & 0xC0 != 0x80 {
                // One space per Unicode scalar, so columns after the interpolation stay true.
                current.text.append(32)
            }
            capture = current
        }
        index += 1
        if byte == 10 {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    mutating func run() {
        while index < bytes.count {
            switch frames[frames.count - 1] {
            case .template: templateByte()
            case .code: codeByte()
            }
        }
    }

    private mutating func templateByte() {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\\") {
            advance()
            if index < bytes.count { advance() }
        } else if byte == UInt8(ascii: "`") {
            if let current = capture, current.depth == frames.count {
                found.append(TaggedTemplate(text: String(decoding: current.text, as: UTF8.self), line: current.line, column: current.column,
                                            form: current.form, binding: current.binding, interpolations: current.interpolations))
                tokens.append(.template(found.count - 1))
                capture = nil
                frames.removeLast()
                index += 1
                column += 1
            } else {
                frames.removeLast()
                advance()
            }
            lastWord = ""
            lastPunctuation = UInt8(ascii: ")")
        } else if byte == UInt8(ascii: "$"), peek(1) == UInt8(ascii: "{") {
            let startsExpression = capture.map { $0.depth == frames.count } ?? false
            blankAdvance()
            blankAdvance()
            if startsExpression {
                capture?.expressionStart = index
                capture?.expressionLine = line
                capture?.expressionColumn = column
            }
            frames.append(.code(braces: 0, interpolation: true))
            lastWord = ""
            lastPunctuation = UInt8(ascii: "{")
        } else {
            advance()
        }
    }

    /// Advances over a byte that is not GraphQL (the `${` and `}` of an interpolation).
    private mutating func blankAdvance() {
        if var current = capture, frames.count == current.depth {
            current.text.append(32)
            capture = current
            index += 1
            column += 1
        } else {
            advance()
        }
    }

    private var atTopLevel: Bool { frames.count == 1 }

    private mutating func codeByte() {
        let byte = bytes[index]
        guard case .code(let braces, let interpolation) = frames[frames.count - 1] else { return }
        switch byte {
        case 32, 9, 10, 13:
            advance()
            return
        case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
            while let next = peek(), next != 10 { advance() }
        case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
            let start = index + 2
            advance(); advance()
            while index < bytes.count && !(bytes[index] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) { advance() }
            let body = String(decoding: bytes[start..<min(index, bytes.count)], as: UTF8.self)
            if index < bytes.count { advance(); advance() }
            taggedByComment = body.trimmingCharacters(in: " ").lowercased() == "graphql"
            return
        case UInt8(ascii: "/") where regexAllowed:
            skipRegex()
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            skipString(quote: byte)
        case UInt8(ascii: "`"):
            startTemplate()
            return
        case UInt8(ascii: "{"):
            frames[frames.count - 1] = .code(braces: braces + 1, interpolation: interpolation)
            punctuation(byte)
        case UInt8(ascii: "}"):
            if braces == 0 && interpolation {
                frames.removeLast()
                if var current = capture, current.depth == frames.count, let start = current.expressionStart {
                    let expression = String(decoding: bytes[start..<index], as: UTF8.self).trimmingCharacters(in: " \t\r\n")
                    current.interpolations.append(.init(expression: expression, line: current.expressionLine, column: current.expressionColumn))
                    current.expressionStart = nil
                    capture = current
                }
                blankAdvance()
                return
            }
            frames[frames.count - 1] = .code(braces: max(0, braces - 1), interpolation: interpolation)
            punctuation(byte)
        default:
            if Self.isIdentifier(byte) {
                var word: [UInt8] = []
                while let next = peek(), Self.isIdentifier(next) {
                    word.append(next)
                    advance()
                }
                lastWord = String(decoding: word, as: UTF8.self)
                lastPunctuation = nil
                if atTopLevel { tokens.append(.word(lastWord)) }
            } else {
                punctuation(byte)
            }
        }
        taggedByComment = false
    }

    private mutating func startTemplate() {
        let callee = tokens.count >= 2 && tokens[tokens.count - 1] == .punctuation(UInt8(ascii: "("))
            ? tokens[tokens.count - 2] : nil
        let form: TaggedTemplate.Form? = if case .word(let name)? = callee, Self.tags.contains(name) { .call }
            else if taggedByComment { .comment }
            else if Self.tags.contains(lastWord) { .tag }
            else { nil }
        let binding = form.flatMap { bindingBefore(form: $0) }
        advance()
        frames.append(.template)
        if let form, capture == nil {
            capture = Capture(line: line, column: column, depth: frames.count, form: form, binding: binding)
        }
        taggedByComment = false
    }

    private static let tags = TemplateExtractor.tags

    /// The name a template is assigned to, read from the tokens before it: `X = gql`,
    /// `X: gql` (an object property), `X: Type = gql`, `export default gql`, and the same with
    /// a call (`X = graphql(`) or a comment (`X = /* GraphQL */`).
    private func bindingBefore(form: TaggedTemplate.Form) -> String? {
        var end = tokens.count
        switch form {
        case .tag: end -= 1
        case .call: end -= 2
        case .comment, .file: break
        }
        guard end >= 1 else { return nil }
        if tokens[end - 1] == .word("default") { return "default" }
        guard end >= 2, case .word(let name) = tokens[end - 2] else { return nil }
        switch tokens[end - 1] {
        case .punctuation(UInt8(ascii: ":")):
            return name
        case .punctuation(UInt8(ascii: "=")):
            // `const Q: DocumentNode = gql…`: the name before the type annotation.
            if end >= 4, tokens[end - 3] == .punctuation(UInt8(ascii: ":")), case .word(let declared) = tokens[end - 4] { return declared }
            return name
        default:
            return nil
        }
    }

    private mutating func punctuation(_ byte: UInt8) {
        advance()
        lastWord = ""
        lastPunctuation = byte
        // `==`, `=>` and `===` are not assignments; record a lone `=` only.
        if atTopLevel {
            if byte == UInt8(ascii: "="), let previous = tokens.last, previous == .punctuation(UInt8(ascii: "=")) || previous == .punctuation(UInt8(ascii: "!")) {
                tokens[tokens.count - 1] = .punctuation(UInt8(ascii: "~"))
            } else if byte == UInt8(ascii: ">"), tokens.last == .punctuation(UInt8(ascii: "=")) {
                tokens[tokens.count - 1] = .punctuation(UInt8(ascii: "~"))
            } else {
                tokens.append(.punctuation(byte))
            }
        }
    }

    static let keywordsBeforeExpression: Set<String> = ["return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield", "await", "instanceof"]

    /// After an operand (a name, a number, `)` or `]`), `/` divides; elsewhere it starts a regular expression.
    private var regexAllowed: Bool {
        if !lastWord.isEmpty { return Self.keywordsBeforeExpression.contains(lastWord) }
        guard let last = lastPunctuation else { return true }
        return !(last == UInt8(ascii: ")") || last == UInt8(ascii: "]") || last == UInt8(ascii: "}"))
    }

    private mutating func skipRegex() {
        advance()
        var inClass = false
        while let byte = peek(), byte != 10 {
            advance()
            if byte == UInt8(ascii: "\\") {
                if let next = peek(), next != 10 { advance() }
            } else if byte == UInt8(ascii: "[") {
                inClass = true
            } else if byte == UInt8(ascii: "]") {
                inClass = false
            } else if byte == UInt8(ascii: "/") && !inClass {
                break
            }
        }
        lastWord = ""
        lastPunctuation = UInt8(ascii: ")")
    }

    /// A quoted string; it ends at its quote or, unterminated, at the line's end. Its content is
    /// kept as a token (a module specifier, for imports).
    private mutating func skipString(quote: UInt8) {
        advance()
        var content: [UInt8] = []
        while let byte = peek(), byte != 10 {
            advance()
            if byte == UInt8(ascii: "\\") {
                if let next = peek() { content.append(next); advance() }
            } else if byte == quote {
                break
            } else {
                content.append(byte)
            }
        }
        if atTopLevel { tokens.append(.string(String(decoding: content, as: UTF8.self))) }
        lastWord = ""
        lastPunctuation = UInt8(ascii: ")")
    }

    static func isIdentifier(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
    }
}
