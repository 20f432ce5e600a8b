import TextSearch

/// A GraphQL document found in a JavaScript or TypeScript file: a `gql`/`graphql` tagged template
/// (or one marked with a `/* GraphQL */` comment).
public struct TaggedTemplate: Equatable, Sendable {
    /// The template's text; each `${…}` interpolation is blanked to spaces (its line breaks kept),
    /// so positions in the text are positions in the file.
    public var text: String
    /// Where the text starts in the file (after the backtick): line and column from 1, columns in
    /// Unicode scalars, as editors count them.
    public var line: Int
    public var column: Int

    /// The file position of a position in `text`.
    public func filePosition(line textLine: Int, column textColumn: Int) -> (line: Int, column: Int) {
        textLine == 1 ? (line, column + textColumn - 1) : (line + textLine - 1, textColumn)
    }
}

/// Finds the tagged GraphQL templates of a JavaScript/TypeScript source. A lexer, not a parser: it
/// knows strings, comments, regular-expression literals and template literals nested through
/// `${…}` well enough that a backtick or a `gql` inside any of them is not taken for a template.
/// JSX text is not tokenized; a quote in it ends at the line's end, so damage stays on that line.
public enum TemplateExtractor {
    static let tags: Set<String> = ["gql", "graphql"]

    public static func templates(in source: [UInt8]) -> [TaggedTemplate] {
        var scanner = Scanner(source)
        scanner.run()
        return scanner.found
    }

    private enum Frame {
        /// Code; `braces` counts open `{` so that the `}` closing an interpolation is recognised.
        case code(braces: Int, interpolation: Bool)
        case template
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var column = 1
        var frames: [Frame] = [.code(braces: 0, interpolation: false)]
        var found: [TaggedTemplate] = []
        /// The template being captured and the depth of its frame; inside its interpolations
        /// every byte is blanked.
        var capture: (text: [UInt8], line: Int, column: Int, depth: Int)?
        /// The last identifier or punctuation seen in code: decides whether `/` starts a regular
        /// expression and whether a backtick is tagged.
        var lastWord = ""
        var lastPunctuation: UInt8? = nil
        var taggedByComment = false

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        func peek(_ offset: Int = 0) -> UInt8? {
            index + offset < bytes.count ? bytes[index + offset] : nil
        }

        /// Moves past one byte, keeping the line and column and feeding the capture.
        mutating func advance() {
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

        mutating func templateByte() {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                advance()
                if index < bytes.count { advance() }
            } else if byte == UInt8(ascii: "`") {
                if let current = capture, current.depth == frames.count {
                    found.append(TaggedTemplate(text: String(decoding: current.text, as: UTF8.self), line: current.line, column: current.column))
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
                blankAdvance()
                blankAdvance()
                frames.append(.code(braces: 0, interpolation: true))
                lastWord = ""
                lastPunctuation = UInt8(ascii: "{")
            } else {
                advance()
            }
        }

        /// Advances over a byte that is not GraphQL (the `${` and `}` of an interpolation).
        mutating func blankAdvance() {
            if var current = capture, frames.count == current.depth {
                current.text.append(32)
                capture = current
                index += 1
                column += 1
            } else {
                advance()
            }
        }

        mutating func codeByte() {
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
                let tagged = Self.isTag(lastWord) || taggedByComment
                advance()
                frames.append(.template)
                if tagged && capture == nil {
                    capture = ([], line, column, frames.count)
                }
                taggedByComment = false
                return
            case UInt8(ascii: "{"):
                frames[frames.count - 1] = .code(braces: braces + 1, interpolation: interpolation)
                punctuation(byte)
            case UInt8(ascii: "}"):
                if braces == 0 && interpolation {
                    frames.removeLast()
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
                } else {
                    punctuation(byte)
                }
            }
            taggedByComment = false
        }

        mutating func punctuation(_ byte: UInt8) {
            advance()
            lastWord = ""
            lastPunctuation = byte
        }

        static let keywordsBeforeExpression: Set<String> = ["return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield", "await", "instanceof"]

        /// After an operand (a name, a number, `)` or `]`), `/` divides; elsewhere it starts a regular expression.
        var regexAllowed: Bool {
            if !lastWord.isEmpty { return Self.keywordsBeforeExpression.contains(lastWord) }
            guard let last = lastPunctuation else { return true }
            return !(last == UInt8(ascii: ")") || last == UInt8(ascii: "]") || last == UInt8(ascii: "}"))
        }

        mutating func skipRegex() {
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

        /// A quoted string; it ends at its quote or, unterminated, at the line's end.
        mutating func skipString(quote: UInt8) {
            advance()
            while let byte = peek(), byte != 10 {
                advance()
                if byte == UInt8(ascii: "\\") {
                    if peek() != nil { advance() }
                } else if byte == quote {
                    break
                }
            }
            lastWord = ""
            lastPunctuation = UInt8(ascii: ")")
        }

        static func isTag(_ word: String) -> Bool { tags.contains(word) }

        static func isIdentifier(_ byte: UInt8) -> Bool {
            (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
        }
    }
}
