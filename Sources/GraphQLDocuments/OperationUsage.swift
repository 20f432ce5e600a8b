/// What the operations of a frontend use of a schema, each use with the operation it belongs to and
/// its place: the fields they select, the arguments they pass, the types they name (variables,
/// fragment conditions, what a selected field returns), the input fields and enum values they
/// write. Fragments are followed by name, with the type their condition names. What a schema
/// change breaks is then a question of whether any operation uses what it changes.
public struct OperationUse: Sendable, Equatable {
    /// The operation's name, or `an anonymous query` (a fragment is reported through the
    /// operations that spread it).
    public var operation: String
    public var key: UsageKey
    /// How the operation uses it: `selects`, `passes`, `uses`.
    public var verb: String
    /// Which of the texts given, and where in it (lines and columns from 1).
    public var document: Int
    public var line: Int
    public var column: Int
}

public enum OperationUsage {
    /// Every use, by every operation of `texts`, of what `schema` defines.
    public static func uses(of schema: SchemaDocument, in texts: [String]) -> [OperationUse] {
        var operations: [(document: Int, definition: ExecutableReader.Operation)] = []
        var fragments: [String: (document: Int, definition: ExecutableReader.Fragment)] = [:]
        for (index, text) in texts.enumerated() {
            guard let read = try? ExecutableReader.read(Array(text.utf8)) else { continue }
            operations += read.operations.map { (index, $0) }
            for fragment in read.fragments where fragments[fragment.name] == nil { fragments[fragment.name] = (index, fragment) }
        }
        var uses: [OperationUse] = []
        for (document, operation) in operations {
            let name = operation.name ?? "an anonymous \(operation.kind)"
            func use(_ key: UsageKey, _ verb: String, _ document: Int, _ line: Int, _ column: Int) {
                uses.append(OperationUse(operation: name, key: key, verb: verb, document: document, line: line, column: column))
            }
            for variable in operation.variables {
                use(.type(variable.type.namedType), "uses", document, variable.line, variable.column)
            }
            guard let root = schema.root(operation.kind) else { continue }
            var visited: Set<String> = []
            func walk(_ selections: [ExecutableReader.Selection], on parent: String, in document: Int) {
                for selection in selections {
                    switch selection {
                    case .field(let field):
                        guard field.name != "__typename" else { continue }
                        use(.field(parent, field.name), "selects", document, field.line, field.column)
                        let definition = schema.type(named: parent)?.fields.first { $0.name == field.name }
                        for argument in field.arguments {
                            use(.argument(parent, field.name, argument.name), "passes", document, argument.line, argument.column)
                            if let type = definition?.arguments.first(where: { $0.name == argument.name })?.type {
                                use(.type(type.namedType), "uses", document, argument.line, argument.column)
                                literal(argument.value, type, document, argument.line, argument.column)
                            }
                        }
                        guard let type = definition?.type else { continue }
                        use(.type(type.namedType), "receives", document, field.line, field.column)
                        walk(field.selections, on: type.namedType, in: document)
                    case .spread(let name, let line, let column):
                        guard let fragment = fragments[name] else { continue }
                        use(.type(fragment.definition.typeCondition), "uses", document, line, column)
                        guard visited.insert(name).inserted else { continue }
                        walk(fragment.definition.selections, on: fragment.definition.typeCondition, in: fragment.document)
                    case .inline(let condition, let selections, let line, let column):
                        if let condition { use(.type(condition), "uses", document, line, column) }
                        walk(selections, on: condition ?? parent, in: document)
                    }
                }
            }
            /// Input fields and enum values written in an argument's literal.
            func literal(_ value: SchemaDocument.ValueLiteral, _ type: SchemaDocument.TypeRef, _ document: Int, _ line: Int, _ column: Int) {
                guard let named = schema.type(named: type.namedType) else { return }
                switch (named.kind, value) {
                case (_, .list(let items)): items.forEach { literal($0, type.itemType, document, line, column) }
                case (.enum, .enumValue(let chosen)): use(.enumValue(named.name, chosen), "passes", document, line, column)
                case (.input, .object(let fields)):
                    for (name, inner) in fields {
                        use(.field(named.name, name), "passes", document, line, column)
                        if let fieldType = named.inputFields.first(where: { $0.name == name })?.type { literal(inner, fieldType, document, line, column) }
                    }
                default: break
                }
            }
            walk(operation.selections, on: root, in: document)
        }
        return uses
    }

    /// Whether `use` touches what a change breaks: the same field, argument or enum value, or the
    /// type. An input type's field is also used by an operation that sends the input type in a
    /// variable (its value is not in the text), and an enum's value by one that receives the enum.
    public static func touches(_ use: OperationUse, _ key: UsageKey, in schema: SchemaDocument) -> Bool {
        switch key {
        case .none: return false
        case .type(let name): return use.key == .type(name)
        case .field(let type, _):
            if use.key == key { return true }
            return schema.type(named: type)?.kind == .input && use.key == .type(type)
        case .argument: return use.key == key
        case .enumValue(let type, _): return use.key == key || use.key == .type(type)
        }
    }
}

extension SchemaDocument.TypeRef {
    /// The type of a list's items (the type itself for a non-list).
    var itemType: SchemaDocument.TypeRef {
        switch self {
        case .nonNull(let inner): inner.itemType
        case .list(let item): item
        case .named: self
        }
    }
}

/// Reads executable GraphQL (operations and fragments) into the little tree `OperationUsage` walks.
struct ExecutableReader {
    struct Variable { let name: String; let type: SchemaDocument.TypeRef; let line: Int; let column: Int }
    struct Argument { let name: String; let value: SchemaDocument.ValueLiteral; let line: Int; let column: Int }
    struct Field { let name: String; let arguments: [Argument]; let selections: [Selection]; let line: Int; let column: Int }
    indirect enum Selection {
        case field(Field)
        case spread(String, Int, Int)
        case inline(String?, [Selection], Int, Int)
    }
    struct Operation { let kind: String; let name: String?; let variables: [Variable]; let selections: [Selection] }
    struct Fragment { let name: String; let typeCondition: String; let selections: [Selection] }

    var operations: [Operation] = []
    var fragments: [Fragment] = []

    static func read(_ bytes: [UInt8]) throws(SDLError) -> ExecutableReader {
        var reader = try SchemaReader(bytes)
        var result = ExecutableReader()
        while !reader.atEnd {
            if reader.isPunctuator("{") {
                result.operations.append(Operation(kind: "query", name: nil, variables: [], selections: try selections(&reader)))
                continue
            }
            let keyword = try reader.name()
            if keyword == "fragment" {
                let name = try reader.name()
                guard try reader.name() == "on" else { throw reader.unexpected("\"on\"") }
                let condition = try reader.name()
                try reader.skipDirectives()
                result.fragments.append(Fragment(name: name, typeCondition: condition, selections: try selections(&reader)))
            } else if ["query", "mutation", "subscription"].contains(keyword) {
                var name: String?
                if reader.isName { name = try reader.name() }
                var variables: [Variable] = []
                if reader.isPunctuator("(") {
                    try reader.advance()
                    while !reader.isPunctuator(")") {
                        guard !reader.atEnd else { throw reader.unexpected("')'") }
                        let (line, column) = reader.place
                        try reader.expect("$")
                        let variable = try reader.name()
                        try reader.expect(":")
                        let type = try reader.typeReference()
                        if reader.isPunctuator("=") { try reader.advance(); _ = try reader.valueLiteral() }
                        try reader.skipDirectives()
                        variables.append(Variable(name: variable, type: type, line: line, column: column))
                    }
                    try reader.advance()
                }
                try reader.skipDirectives()
                result.operations.append(Operation(kind: keyword, name: name, variables: variables, selections: try selections(&reader)))
            } else {
                throw reader.unexpected("an operation or a fragment")
            }
        }
        return result
    }

    private static func selections(_ reader: inout SchemaReader) throws(SDLError) -> [Selection] {
        try reader.expect("{")
        var out: [Selection] = []
        while !reader.isPunctuator("}") {
            guard !reader.atEnd else { throw reader.unexpected("'}'") }
            let (line, column) = reader.place
            if reader.isPunctuator(".") {
                try reader.advance()
                if reader.isName, !reader.isKeyword("on") {
                    let name = try reader.name()
                    try reader.skipDirectives()
                    out.append(.spread(name, line, column))
                } else {
                    var condition: String?
                    if reader.isKeyword("on") {
                        try reader.advance()
                        condition = try reader.name()
                    }
                    try reader.skipDirectives()
                    out.append(.inline(condition, try selections(&reader), line, column))
                }
                continue
            }
            var name = try reader.name()
            var (fieldLine, fieldColumn) = (line, column)
            if reader.isPunctuator(":") {  // an alias
                try reader.advance()
                (fieldLine, fieldColumn) = reader.place
                name = try reader.name()
            }
            var arguments: [Argument] = []
            if reader.isPunctuator("(") {
                try reader.advance()
                while !reader.isPunctuator(")") {
                    guard !reader.atEnd else { throw reader.unexpected("')'") }
                    let (argumentLine, argumentColumn) = reader.place
                    let argument = try reader.name()
                    try reader.expect(":")
                    arguments.append(Argument(name: argument, value: try reader.valueLiteral(), line: argumentLine, column: argumentColumn))
                }
                try reader.advance()
            }
            try reader.skipDirectives()
            let inner = reader.isPunctuator("{") ? try selections(&reader) : []
            out.append(.field(Field(name: name, arguments: arguments, selections: inner, line: fieldLine, column: fieldColumn)))
        }
        try reader.advance()
        return out
    }
}

extension OperationUsage {
    /// A document as its tokens joined by single spaces: comments, commas and layout gone, so two
    /// writings of the same operation read alike (what a manifest stores and hashes). Nil when
    /// it does not read as GraphQL.
    public static func normalized(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        var lexer = SDLLexer(bytes)
        var parts: [String] = []
        while true {
            guard let token = try? lexer.next() else { return nil }
            if token.kind == .end { break }
            parts.append(String(decoding: bytes[token.offset..<max(token.offset, token.end)], as: UTF8.self))
        }
        return parts.joined(separator: " ")
    }

    /// The operations of a frontend as an app version ships them: each named operation with the
    /// fragments it uses, normalized, and a hash of that text.
    public static func shipped(_ frontend: FrontendDocuments) -> [(name: String, document: String)] {
        var seen: Set<String> = []
        var out: [(String, String)] = []
        for document in frontend.documents {
            for operation in document.outline?.operations ?? [] {
                guard let name = operation.name, seen.insert(name).inserted,
                      let request = frontend.requestText(forOperation: name), let normal = normalized(request.text) else { continue }
                out.append((name, normal))
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }
}
