/// What an executable GraphQL document defines and uses, read without a schema: its operations
/// (with their variables), its fragment definitions, every fragment spread with its place, and the
/// `#import` lines of a `.graphql` file. Enough to find an operation by name and to resolve
/// fragments as Apollo does; the validator checks everything else.
public struct DocumentOutline: Sendable, Equatable {
    public struct Operation: Sendable, Equatable {
        /// `query`, `mutation` or `subscription`.
        public var kind: String
        public var name: String?
        public var line: Int
        public var column: Int
        public var variables: [Variable]
        /// The fragments its selection spreads directly.
        public var spreads: [String]
    }

    public struct Variable: Sendable, Equatable {
        public var name: String
        /// As written without blanks: `ID!`, `[String!]`, `Int`.
        public var type: String
        public var hasDefault: Bool

        /// A value must be given: a non-null type without a default.
        public var isRequired: Bool { type.hasSuffix("!") && !hasDefault }
    }

    public struct Fragment: Sendable, Equatable {
        public var name: String
        public var line: Int
        public var column: Int
        public var spreads: [String]
        /// Where the definition is in the text, in UTF-8 bytes: from `fragment` to its closing `}`.
        public var range: Range<Int>
    }

    public struct Spread: Sendable, Equatable {
        public var name: String
        /// Where its `...` is.
        public var line: Int
        public var column: Int
    }

    public var operations: [Operation] = []
    public var fragments: [Fragment] = []
    public var spreads: [Spread] = []
    /// `#import "./fragments.graphql"` lines, the paths as written.
    public var imports: [String] = []

    /// The outline of `text`; nil when it is not GraphQL enough to read (the validator then
    /// reports the syntax error where it is).
    public static func read(_ text: String) -> DocumentOutline? {
        var reader = OutlineReader(Array(text.utf8))
        guard (try? reader.read()) != nil else { return nil }
        reader.outline.imports = importLines(text)
        return reader.outline
    }

    /// `#import "path"` or `#import 'path'` at the start of a line (graphql-tag/loader's form).
    static func importLines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("#import") else { return nil }
            let rest = trimmed.dropFirst(7).drop { $0 == " " || $0 == "\t" }
            guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
            let path = rest.dropFirst().prefix { $0 != quote }
            return path.isEmpty ? nil : String(path)
        }
    }
}

private struct OutlineReader {
    var lexer: SDLLexer
    var token = SDLToken(kind: .end, line: 1, column: 1)
    var outline = DocumentOutline()
    /// Where the current definition starts, and where the last token read ended (a `}`).
    var startOffset = 0
    var lastEnd = 0

    init(_ bytes: [UInt8]) { lexer = SDLLexer(bytes) }

    mutating func advance() throws(SDLError) {
        lastEnd = token.offset + 1
        token = try lexer.next()
    }

    func isPunctuator(_ character: Character) -> Bool { token.kind == .punctuator(character.asciiValue!) }

    var name: String? { if case .name(let name) = token.kind { name } else { nil } }

    mutating func read() throws(SDLError) {
        try advance()
        while token.kind != .end {
            let (line, column) = (token.line, token.column)
            startOffset = token.offset
            if isPunctuator("{") {
                let spreads = try selectionSet()
                outline.operations.append(.init(kind: "query", name: nil, line: line, column: column, variables: [], spreads: spreads))
                continue
            }
            guard let keyword = name else { throw SDLError(line: line, column: column, message: "expected a definition") }
            try advance()
            switch keyword {
            case "query", "mutation", "subscription":
                var operationName: String?
                if let named = name { operationName = named; try advance() }
                var variables: [DocumentOutline.Variable] = []
                if isPunctuator("(") { variables = try variableDefinitions() }
                try skipDirectives()
                outline.operations.append(.init(kind: keyword, name: operationName, line: line, column: column, variables: variables,
                                                spreads: try selectionSet()))
            case "fragment":
                let start = startOffset
                guard let fragmentName = name else { throw SDLError(line: token.line, column: token.column, message: "expected a name") }
                try advance()
                guard name == "on" else { throw SDLError(line: token.line, column: token.column, message: "expected on") }
                try advance()
                try advance()  // the type condition
                try skipDirectives()
                let spreads = try selectionSet()
                outline.fragments.append(.init(name: fragmentName, line: line, column: column, spreads: spreads, range: start..<lastEnd))
            default:
                // A type-system definition or garbage: not an executable document to outline.
                throw SDLError(line: line, column: column, message: "not an executable definition")
            }
        }
    }

    /// `($a: ID!, $b: Int = 30 @dir)`.
    mutating func variableDefinitions() throws(SDLError) -> [DocumentOutline.Variable] {
        try advance()
        var variables: [DocumentOutline.Variable] = []
        while !isPunctuator(")") {
            guard isPunctuator("$") else { throw SDLError(line: token.line, column: token.column, message: "expected a variable") }
            try advance()
            guard let variable = name else { throw SDLError(line: token.line, column: token.column, message: "expected a name") }
            try advance()
            guard isPunctuator(":") else { throw SDLError(line: token.line, column: token.column, message: "expected ':'") }
            try advance()
            let type = try typeReference()
            var hasDefault = false
            if isPunctuator("=") {
                hasDefault = true
                try advance()
                try skipValue()
            }
            try skipDirectives()
            variables.append(.init(name: variable, type: type, hasDefault: hasDefault))
        }
        try advance()
        return variables
    }

    mutating func typeReference() throws(SDLError) -> String {
        var text: String
        if isPunctuator("[") {
            try advance()
            text = "[\(try typeReference())]"
            guard isPunctuator("]") else { throw SDLError(line: token.line, column: token.column, message: "expected ']'") }
            try advance()
        } else {
            guard let typeName = name else { throw SDLError(line: token.line, column: token.column, message: "expected a type") }
            text = typeName
            try advance()
        }
        if isPunctuator("!") { try advance(); text += "!" }
        return text
    }

    mutating func skipDirectives() throws(SDLError) {
        while isPunctuator("@") {
            try advance()
            try advance()
            if isPunctuator("(") { try skipBalanced() }
        }
    }

    mutating func skipValue() throws(SDLError) {
        if isPunctuator("[") || isPunctuator("{") { try skipBalanced() } else { try advance() }
    }

    mutating func skipBalanced() throws(SDLError) {
        var depth = 0
        repeat {
            guard token.kind != .end else { throw SDLError(line: token.line, column: token.column, message: "unbalanced brackets") }
            if isPunctuator("(") || isPunctuator("[") || isPunctuator("{") { depth += 1 }
            if isPunctuator(")") || isPunctuator("]") || isPunctuator("}") { depth -= 1 }
            try advance()
        } while depth > 0
    }

    /// A selection set, balanced, recording every fragment spread in it; the names it spreads.
    mutating func selectionSet() throws(SDLError) -> [String] {
        guard isPunctuator("{") else { throw SDLError(line: token.line, column: token.column, message: "expected '{'") }
        var depth = 0
        var spreads: [String] = []
        repeat {
            guard token.kind != .end else { throw SDLError(line: token.line, column: token.column, message: "expected '}'") }
            if isPunctuator("{") || isPunctuator("(") || isPunctuator("[") { depth += 1 }
            if isPunctuator("}") || isPunctuator(")") || isPunctuator("]") { depth -= 1 }
            if isPunctuator(".") {
                let (line, column) = (token.line, token.column)
                try advance()
                if let spread = name, spread != "on" {
                    spreads.append(spread)
                    outline.spreads.append(.init(name: spread, line: line, column: column))
                }
                continue
            }
            try advance()
        } while depth > 0
        return spreads
    }
}
