/// Reads the named types of an SDL document with a small parser of its own: every type's name and
/// kind, and for object types, interfaces and input types each field with its arguments and their
/// types as written (`ID!`, `[Int!]`). `extend` adds fields; root types renamed in
/// `schema { query: … }` are noted. Directive definitions are passed over.
///
/// Not GraphQLSwift: it imports Foundation, which brings corelibs Foundation and ICU's data back
/// into the binary and costs every run, not only the ones that check a schema.
struct SDLParser {
    typealias Arguments = SchemaFields.Arguments
    private(set) var types: [String: [String: Arguments]] = [:]
    private(set) var kinds: [String: SchemaFields.TypeKind] = [:]
    private(set) var roots: [String: String] = ["Query": "Query", "Mutation": "Mutation", "Subscription": "Subscription"]
    private var lexer: SDLLexer
    private var token: SDLToken

    private static let definitionKeywords: Set<String> = ["type", "extend", "schema", "scalar", "enum", "input", "interface", "union", "directive"]

    init(_ bytes: [UInt8]) throws(SDLError) {
        lexer = SDLLexer(bytes)
        token = SDLToken(kind: .end, line: 1, column: 1)
        token = try lexer.next()
        while token.kind != .end {
            if token.kind == .string { try advance() }
            switch token.kind {
            case .name("extend"):
                try advance()
                try definition()
            case .name(let keyword) where Self.definitionKeywords.contains(keyword): try definition()
            default: throw unexpected("a definition")
            }
        }
    }

    private mutating func definition() throws(SDLError) {
        switch token.kind {
        case .name("type"): try fieldsType(.object)
        case .name("interface"): try fieldsType(.interface)
        case .name("input"): try fieldsType(.input)
        case .name("schema"): try schema()
        case .name(let keyword) where ["scalar", "enum", "union"].contains(keyword):
            try advance()
            let name = try name()
            kinds[name] = keyword == "scalar" ? .scalar : keyword == "enum" ? .enum : .union
            try skipDefinition(started: true)
        case .name("directive"): try skipDefinition()
        default: throw unexpected("a definition")
        }
    }

    private mutating func advance() throws(SDLError) { token = try lexer.next() }

    private func unexpected(_ expected: String) -> SDLError {
        SDLError(line: token.line, column: token.column, message: "Syntax Error: expected \(expected), found \(token.text)")
    }

    private mutating func expect(_ punctuator: Character) throws(SDLError) {
        guard token.kind == .punctuator(punctuator.asciiValue!) else { throw unexpected("'\(punctuator)'") }
        try advance()
    }

    private mutating func name() throws(SDLError) -> String {
        guard case .name(let name) = token.kind else { throw unexpected("a name") }
        try advance()
        return name
    }

    private func isPunctuator(_ character: Character) -> Bool { token.kind == .punctuator(character.asciiValue!) }

    /// An object type, interface or input type: `type Name implements A & B @d { field(arg: T): T }`.
    private mutating func fieldsType(_ kind: SchemaFields.TypeKind) throws(SDLError) {
        try advance() // "type", "interface", "input"
        let typeName = try name()
        types[typeName, default: [:]] = types[typeName] ?? [:]
        kinds[typeName] = kind
        while token.kind != .end, !isPunctuator("{") {
            if case .name(let word) = token.kind, Self.definitionKeywords.contains(word) { return } // a type without fields
            if token.kind == .string { return }
            if isPunctuator("@") { try directive() } else { try advance() } // implements A & B
        }
        guard token.kind != .end else { return }
        try expect("{")
        while !isPunctuator("}") {
            guard token.kind != .end else { throw unexpected("'}'") }
            if token.kind == .string { try advance() }
            let field = try name()
            var arguments: Arguments = []
            if isPunctuator("(") {
                try advance()
                while !isPunctuator(")") {
                    if token.kind == .string { try advance() }
                    let argument = try name()
                    try expect(":")
                    arguments.append((argument, try typeReference()))
                    if isPunctuator("=") { try advance(); try skipValue() }
                    while isPunctuator("@") { try directive() }
                }
                try advance()
            }
            try expect(":")
            _ = try typeReference()
            if isPunctuator("=") { try advance(); try skipValue() }  // an input field's default
            while isPunctuator("@") { try directive() }
            types[typeName]![field] = arguments
        }
        try advance()
    }

    private mutating func typeReference() throws(SDLError) -> String {
        var text: String
        if isPunctuator("[") {
            try advance()
            text = "[\(try typeReference())]"
            try expect("]")
        } else {
            text = try name()
        }
        if isPunctuator("!") { try advance(); text += "!" }
        return text
    }

    private mutating func schema() throws(SDLError) {
        try advance()
        while isPunctuator("@") { try directive() }
        try expect("{")
        while !isPunctuator("}") {
            let operation = try name()
            try expect(":")
            roots[operation.prefix(1).uppercased() + operation.dropFirst()] = try name()
        }
        try advance()
    }

    private mutating func directive() throws(SDLError) {
        try advance() // "@"
        _ = try name()
        if isPunctuator("(") { try skipBalanced() }
    }

    /// A default value: a scalar token, or a balanced list or object.
    private mutating func skipValue() throws(SDLError) {
        if isPunctuator("[") || isPunctuator("{") { try skipBalanced() } else { try advance() }
    }

    private mutating func skipBalanced() throws(SDLError) {
        var depth = 0
        repeat {
            guard token.kind != .end else { throw unexpected("a closing bracket") }
            if isPunctuator("(") || isPunctuator("[") || isPunctuator("{") { depth += 1 }
            if isPunctuator(")") || isPunctuator("]") || isPunctuator("}") { depth -= 1 }
            try advance()
        } while depth > 0
    }

    /// A definition this reader does not need: everything up to the next definition.
    private mutating func skipDefinition(started: Bool = false) throws(SDLError) {
        if !started { try advance() }
        while token.kind != .end {
            if case .name(let word) = token.kind, Self.definitionKeywords.contains(word) { return }
            if token.kind == .string { return }
            if isPunctuator("(") || isPunctuator("[") || isPunctuator("{") { try skipBalanced() } else { try advance() }
        }
    }
}
