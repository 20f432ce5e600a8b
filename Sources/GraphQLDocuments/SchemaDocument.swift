/// A GraphQL schema read from SDL, whole: every type with its fields, arguments, input fields,
/// enum values, union members, interfaces, default values, deprecations and descriptions, and every
/// directive definition. `extend` merges into the type it extends. What schema comparison needs;
/// `SDLParser` stays the quicker reader of names that the schema check uses.
public struct SchemaDocument: Sendable, Equatable {
    public indirect enum TypeRef: Sendable, Equatable, CustomStringConvertible {
        case named(String)
        case list(TypeRef)
        case nonNull(TypeRef)

        public var description: String {
            switch self {
            case .named(let name): name
            case .list(let item): "[\(item)]"
            case .nonNull(let inner): "\(inner)!"
            }
        }

        public var namedType: String {
            switch self {
            case .named(let name): name
            case .list(let inner), .nonNull(let inner): inner.namedType
            }
        }

        public var isNonNull: Bool { if case .nonNull = self { true } else { false } }
    }

    public enum Kind: String, Sendable, Equatable {
        case scalar, object, interface, union, `enum`, input

        /// As graphql-core names the kind in its messages.
        public var article: String {
            switch self {
            case .scalar: "a Scalar type"
            case .object: "an Object type"
            case .interface: "an Interface type"
            case .union: "a Union type"
            case .enum: "an Enum type"
            case .input: "an Input type"
            }
        }
    }

    /// An argument or an input field.
    public struct InputValue: Sendable, Equatable {
        public var name: String
        public var type: TypeRef
        /// The default's literal as written, or nil.
        public var defaultValue: ValueLiteral?
        public var deprecated: Bool
        public var description: String?
        public var line: Int
        public var column: Int

        public var isRequired: Bool { type.isNonNull && defaultValue == nil }
    }

    public struct Field: Sendable, Equatable {
        public var name: String
        public var type: TypeRef
        public var arguments: [InputValue]
        public var deprecated: Bool
        public var description: String?
        public var line: Int
        public var column: Int
    }

    public struct EnumValue: Sendable, Equatable {
        public var name: String
        public var deprecated: Bool
        public var description: String?
    }

    public struct NamedType: Sendable, Equatable {
        public var name: String
        public var kind: Kind
        public var description: String?
        public var fields: [Field] = []
        public var interfaces: [String] = []
        public var members: [String] = []
        public var values: [EnumValue] = []
        public var inputFields: [InputValue] = []
        public var line: Int
        public var column: Int
    }

    public struct Directive: Sendable, Equatable {
        public var name: String
        public var arguments: [InputValue]
        public var repeatable: Bool
        public var locations: [String]
    }

    /// A value literal, parsed (for default values).
    public indirect enum ValueLiteral: Sendable, Equatable {
        case int(String), float(String), string(String), bool(Bool), null, enumValue(String), variable(String)
        case list([ValueLiteral])
        case object([(String, ValueLiteral)])

        public static func == (lhs: ValueLiteral, rhs: ValueLiteral) -> Bool { lhs.printed == rhs.printed }

        /// GraphQL's own printing of the literal (graphql-core's print_ast).
        public var printed: String {
            switch self {
            case .int(let text), .float(let text): text
            case .string(let text): SchemaDocument.quoted(text)
            case .bool(let value): value ? "true" : "false"
            case .null: "null"
            case .enumValue(let name): name
            case .variable(let name): "$" + name
            case .list(let items): "[" + items.map(\.printed).joined(separator: ", ") + "]"
            case .object(let fields): "{" + fields.map { "\($0.0): \($0.1.printed)" }.joined(separator: ", ") + "}"
            }
        }
    }

    public var types: [String: NamedType] = [:]
    /// The types in the order the SDL defines them.
    public var order: [String] = []
    public var directives: [String: Directive] = [:]
    public var directiveOrder: [String] = []
    public var roots: [String: String] = [:]

    /// The scalars every schema knows without defining them.
    public static let standardScalars = ["Int", "Float", "String", "Boolean", "ID"]

    /// The directives every schema has unless it defines its own of the name (graphql-core's
    /// specified directives).
    static let standardDirectiveSDL = """
        directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
        directive @skip(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
        directive @deprecated(reason: String = "No longer supported") on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
        directive @specifiedBy(url: String!) on SCALAR
        """

    /// A named type of the schema, the standard scalars included.
    public func type(named name: String) -> NamedType? {
        if let type = types[name] { return type }
        return Self.standardScalars.contains(name) ? NamedType(name: name, kind: .scalar, line: 0, column: 0) : nil
    }

    /// The root operation type's name (`query` → `Query` unless `schema { … }` says otherwise).
    public func root(_ operation: String) -> String? {
        if let named = roots[operation] { return named }
        let conventional = operation.prefix(1).uppercased() + operation.dropFirst()
        return types[conventional] != nil ? conventional : nil
    }

    /// The names of the types as graphql-core's schema holds them: every defined type, `String`
    /// and `Boolean` (introspection uses them), and each other standard scalar that something
    /// references.
    public var typeNames: [String] {
        var referenced: Set<String> = ["String", "Boolean"]
        func note(_ type: TypeRef) { referenced.insert(type.namedType) }
        for type in types.values {
            type.fields.forEach { note($0.type); $0.arguments.forEach { note($0.type) } }
            type.inputFields.forEach { note($0.type) }
        }
        for directive in directives.values { directive.arguments.forEach { note($0.type) } }
        return order + Self.standardScalars.filter { types[$0] == nil && referenced.contains($0) }
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Reads SDL; a syntax error names its line and column.
    public static func parse(_ bytes: [UInt8]) throws(SDLError) -> SchemaDocument {
        var reader = try SchemaReader(bytes)
        try reader.read()
        var document = reader.document
        // The standard directives, where the SDL does not define its own.
        var standard = try SchemaReader(Array(standardDirectiveSDL.utf8))
        try standard.read()
        for name in standard.document.directiveOrder where document.directives[name] == nil {
            document.directives[name] = standard.document.directives[name]
            document.directiveOrder.append(name)
        }
        return document
    }
}

/// The recursive-descent reader behind `SchemaDocument.parse`.
struct SchemaReader {
    private let bytes: [UInt8]
    private var lexer: SDLLexer
    private var token: SDLToken
    var document = SchemaDocument()

    init(_ bytes: [UInt8]) throws(SDLError) {
        self.bytes = bytes
        lexer = SDLLexer(bytes)
        token = SDLToken(kind: .end, line: 1, column: 1)
        token = try lexer.next()
    }

    mutating func read() throws(SDLError) {
        while token.kind != .end {
            let description = try takeDescription()
            var extending = false
            if token.kind == .name("extend") {
                extending = true
                try advance()
            }
            let line = token.line, column = token.column
            switch token.kind {
            case .name("schema"): try schema()
            case .name("scalar"):
                try advance()
                let name = try name()
                try directives()
                define(SchemaDocument.NamedType(name: name, kind: .scalar, description: description, line: line, column: column), extending)
            case .name("type"), .name("interface"):
                let kind: SchemaDocument.Kind = token.kind == .name("type") ? .object : .interface
                try advance()
                let name = try name()
                var type = SchemaDocument.NamedType(name: name, kind: kind, description: description, line: line, column: column)
                if token.kind == .name("implements") {
                    try advance()
                    if isPunctuator("&") { try advance() }
                    type.interfaces.append(try self.name())
                    while isPunctuator("&") || isName {
                        if isPunctuator("&") { try advance() }
                        guard isName, !isDefinitionStart else { break }
                        type.interfaces.append(try self.name())
                    }
                }
                try directives()
                if isPunctuator("{") { type.fields = try fields() }
                define(type, extending)
            case .name("union"):
                try advance()
                var type = SchemaDocument.NamedType(name: try name(), kind: .union, description: description, line: line, column: column)
                try directives()
                if isPunctuator("=") {
                    try advance()
                    if isPunctuator("|") { try advance() }
                    type.members.append(try name())
                    while isPunctuator("|") {
                        try advance()
                        type.members.append(try name())
                    }
                }
                define(type, extending)
            case .name("enum"):
                try advance()
                var type = SchemaDocument.NamedType(name: try name(), kind: .enum, description: description, line: line, column: column)
                try directives()
                if isPunctuator("{") {
                    try advance()
                    while !isPunctuator("}") {
                        guard token.kind != .end else { throw unexpected("'}'") }
                        let valueDescription = try takeDescription()
                        let value = try name()
                        let deprecated = try directives()
                        type.values.append(.init(name: value, deprecated: deprecated, description: valueDescription))
                    }
                    try advance()
                }
                define(type, extending)
            case .name("input"):
                try advance()
                var type = SchemaDocument.NamedType(name: try name(), kind: .input, description: description, line: line, column: column)
                try directives()
                if isPunctuator("{") {
                    try advance()
                    while !isPunctuator("}") {
                        guard token.kind != .end else { throw unexpected("'}'") }
                        type.inputFields.append(try inputValue())
                    }
                    try advance()
                }
                define(type, extending)
            case .name("directive"):
                try advance()
                try expect("@")
                let name = try name()
                var arguments: [SchemaDocument.InputValue] = []
                if isPunctuator("(") { arguments = try argumentDefinitions() }
                var repeatable = false
                if token.kind == .name("repeatable") {
                    repeatable = true
                    try advance()
                }
                guard token.kind == .name("on") else { throw unexpected("\"on\"") }
                try advance()
                if isPunctuator("|") { try advance() }
                var locations = [try self.name()]
                while isPunctuator("|") {
                    try advance()
                    locations.append(try self.name())
                }
                if document.directives[name] == nil { document.directiveOrder.append(name) }
                document.directives[name] = .init(name: name, arguments: arguments, repeatable: repeatable, locations: locations)
            default:
                throw unexpected("a definition")
            }
        }
    }

    private mutating func define(_ type: SchemaDocument.NamedType, _ extending: Bool) {
        guard var existing = document.types[type.name] else {
            document.types[type.name] = type
            document.order.append(type.name)
            return
        }
        guard extending else { return }  // a second definition of a name: the first stands
        existing.fields += type.fields
        existing.interfaces += type.interfaces
        existing.members += type.members
        existing.values += type.values
        existing.inputFields += type.inputFields
        document.types[type.name] = existing
    }

    private mutating func schema() throws(SDLError) {
        try advance()
        try directives()
        guard isPunctuator("{") else { return }
        try advance()
        while !isPunctuator("}") {
            guard token.kind != .end else { throw unexpected("'}'") }
            let operation = try name()
            try expect(":")
            document.roots[operation] = try name()
        }
        try advance()
    }

    private mutating func fields() throws(SDLError) -> [SchemaDocument.Field] {
        try expect("{")
        var fields: [SchemaDocument.Field] = []
        while !isPunctuator("}") {
            guard token.kind != .end else { throw unexpected("'}'") }
            let description = try takeDescription()
            let line = token.line, column = token.column
            let name = try name()
            var arguments: [SchemaDocument.InputValue] = []
            if isPunctuator("(") { arguments = try argumentDefinitions() }
            try expect(":")
            let type = try typeReference()
            let deprecated = try directives()
            fields.append(.init(name: name, type: type, arguments: arguments, deprecated: deprecated, description: description,
                                line: line, column: column))
        }
        try advance()
        return fields
    }

    private mutating func argumentDefinitions() throws(SDLError) -> [SchemaDocument.InputValue] {
        try expect("(")
        var arguments: [SchemaDocument.InputValue] = []
        while !isPunctuator(")") {
            guard token.kind != .end else { throw unexpected("')'") }
            arguments.append(try inputValue())
        }
        try advance()
        return arguments
    }

    private mutating func inputValue() throws(SDLError) -> SchemaDocument.InputValue {
        let description = try takeDescription()
        let line = token.line, column = token.column
        let name = try name()
        try expect(":")
        let type = try typeReference()
        var value: SchemaDocument.ValueLiteral?
        if isPunctuator("=") {
            try advance()
            value = try valueLiteral()
        }
        let deprecated = try directives()
        return .init(name: name, type: type, defaultValue: value, deprecated: deprecated, description: description, line: line, column: column)
    }

    mutating func typeReference() throws(SDLError) -> SchemaDocument.TypeRef {
        var type: SchemaDocument.TypeRef
        if isPunctuator("[") {
            try advance()
            type = .list(try typeReference())
            try expect("]")
        } else {
            type = .named(try name())
        }
        if isPunctuator("!") {
            try advance()
            type = .nonNull(type)
        }
        return type
    }

    /// Directive applications; whether one of them is @deprecated.
    @discardableResult
    private mutating func directives() throws(SDLError) -> Bool {
        var deprecated = false
        while isPunctuator("@") {
            try advance()
            if try name() == "deprecated" { deprecated = true }
            if isPunctuator("(") {
                try advance()
                while !isPunctuator(")") {
                    guard token.kind != .end else { throw unexpected("')'") }
                    _ = try name()
                    try expect(":")
                    _ = try valueLiteral()
                }
                try advance()
            }
        }
        return deprecated
    }

    mutating func valueLiteral() throws(SDLError) -> SchemaDocument.ValueLiteral {
        switch token.kind {
        case .number:
            let text = self.text(token)
            try advance()
            return text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? .float(text) : .int(text)
        case .string:
            let value = try stringValue(token)
            try advance()
            return .string(value)
        case .name(let name):
            try advance()
            switch name {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            default: return .enumValue(name)
            }
        case .punctuator(UInt8(ascii: "$")):
            try advance()
            return .variable(try name())
        case .punctuator(UInt8(ascii: "[")):
            try advance()
            var items: [SchemaDocument.ValueLiteral] = []
            while !isPunctuator("]") {
                guard token.kind != .end else { throw unexpected("']'") }
                items.append(try valueLiteral())
            }
            try advance()
            return .list(items)
        case .punctuator(UInt8(ascii: "{")):
            try advance()
            var fields: [(String, SchemaDocument.ValueLiteral)] = []
            while !isPunctuator("}") {
                guard token.kind != .end else { throw unexpected("'}'") }
                let name = try name()
                try expect(":")
                fields.append((name, try valueLiteral()))
            }
            try advance()
            return .object(fields)
        default:
            throw unexpected("a value")
        }
    }

    // MARK: tokens

    var atEnd: Bool { token.kind == .end }
    var place: (Int, Int) { (token.line, token.column) }
    var isName: Bool { if case .name = token.kind { true } else { false } }
    func isKeyword(_ word: String) -> Bool { token.kind == .name(word) }

    /// Directive applications, passed over.
    mutating func skipDirectives() throws(SDLError) { try directives() }

    private var isDefinitionStart: Bool {
        guard case .name(let word) = token.kind else { return false }
        return ["type", "extend", "schema", "scalar", "enum", "input", "interface", "union", "directive"].contains(word)
    }

    mutating func advance() throws(SDLError) { token = try lexer.next() }

    func isPunctuator(_ character: Character) -> Bool { token.kind == .punctuator(character.asciiValue!) }

    func unexpected(_ expected: String) -> SDLError {
        SDLError(line: token.line, column: token.column, message: "Syntax Error: expected \(expected), found \(token.text)")
    }

    mutating func expect(_ punctuator: Character) throws(SDLError) {
        guard isPunctuator(punctuator) else { throw unexpected("'\(punctuator)'") }
        try advance()
    }

    mutating func name() throws(SDLError) -> String {
        guard case .name(let name) = token.kind else { throw unexpected("a name") }
        try advance()
        return name
    }

    private mutating func takeDescription() throws(SDLError) -> String? {
        guard token.kind == .string else { return nil }
        let text = try stringValue(token)
        try advance()
        return text
    }

    private func text(_ token: SDLToken) -> String {
        String(decoding: bytes[token.offset..<max(token.offset, token.end)], as: UTF8.self)
    }

    /// A string token's value: escapes decoded; a block string's common indentation removed.
    private func stringValue(_ token: SDLToken) throws(SDLError) -> String {
        let raw = Array(bytes[token.offset..<token.end])
        if raw.starts(with: Array("\"\"\"".utf8)) {
            let body = String(decoding: raw.dropFirst(3).dropLast(3), as: UTF8.self).replacingAll("\\\"\"\"", with: "\"\"\"")
            return Self.blockStringValue(body)
        }
        var out: [UInt8] = []
        var index = 1
        while index < raw.count - 1 {
            let byte = raw[index]
            if byte == UInt8(ascii: "\\"), index + 1 < raw.count - 1 {
                let next = raw[index + 1]
                switch next {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    let hex = String(decoding: raw[min(index + 2, raw.count)..<min(index + 6, raw.count)], as: UTF8.self)
                    if let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) {
                        out += Array(String(Character(scalar)).utf8)
                    }
                    index += 6
                    continue
                default: out.append(next)
                }
                index += 2
                continue
            }
            out.append(byte)
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The specification's BlockStringValue: common indentation and blank first and last lines go.
    static func blockStringValue(_ raw: String) -> String {
        // The specification's line terminators are \n, \r\n and \r; a Character holds \r\n as one,
        // so splitting at "\n" alone would leave a file with Windows line ends one line.
        var lines = raw.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }.map(String.init)
        var common: Int?
        for line in lines.dropFirst() {
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            if indent < line.count { common = min(common ?? indent, indent) }
        }
        if let common {
            for index in lines.indices.dropFirst() { lines[index] = String(lines[index].dropFirst(common)) }
        }
        while let first = lines.first, first.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
