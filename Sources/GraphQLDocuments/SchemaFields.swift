import JSON

/// What a GraphQL schema offers, as the schema gates need it: each object type's fields with
/// their arguments and argument types (`ID!`, `[Int!]`), and which types are the roots. Filled
/// from an SDL file or from an endpoint's introspection.
public struct SchemaFields: Sendable {
    public typealias Arguments = [(name: String, type: String)]

    /// What a named type is.
    public enum TypeKind: String, Sendable, Equatable {
        case object, interface, input, union, `enum`, scalar

        /// `an interface`, `an object type`: how messages name it.
        public var phrase: String {
            switch self {
            case .object: "an object type"
            case .interface: "an interface"
            case .input: "an input type"
            case .union: "a union"
            case .enum: "an enum"
            case .scalar: "a scalar"
            }
        }
    }

    /// The fields of object types, interfaces and input types, with their arguments.
    public let types: [String: [String: Arguments]]
    /// Every named type's kind.
    public let kinds: [String: TypeKind]
    public let roots: [String: String]

    /// From SDL text; a syntax error has its line and column.
    public init(sdl bytes: [UInt8]) throws(SDLError) {
        let parser = try SDLParser(bytes)
        types = parser.types
        kinds = parser.kinds
        roots = parser.roots
    }

    /// From the `data` of an introspection result; nil when it holds no `__schema`.
    public init?(introspection data: JSONDocument) {
        guard case .array(let typeList)? = data.value(at: ["__schema", "types"]) else { return nil }
        var roots: [String: String] = [:]
        for (root, key) in [("Query", "queryType"), ("Mutation", "mutationType"), ("Subscription", "subscriptionType")] {
            if case .string(let name)? = data.value(at: ["__schema", key, "name"]) { roots[root] = name }
        }
        var types: [String: [String: Arguments]] = [:]
        var kinds: [String: TypeKind] = [:]
        let introspectedKinds: [String: TypeKind] = ["OBJECT": .object, "INTERFACE": .interface, "INPUT_OBJECT": .input,
                                                     "UNION": .union, "ENUM": .enum, "SCALAR": .scalar]
        for type in typeList {
            guard case .string(let name)? = type.value(at: ["name"]) else { continue }
            if case .string(let kind)? = type.value(at: ["kind"]) { kinds[name] = introspectedKinds[kind] }
            let fieldList: JSONDocument? = type.value(at: ["fields"]).flatMap { $0 == .null ? nil : $0 } ?? type.value(at: ["inputFields"])
            guard case .array(let fields)? = fieldList else { continue }
            var fieldMap: [String: Arguments] = [:]
            for field in fields {
                guard case .string(let fieldName)? = field.value(at: ["name"]) else { continue }
                var arguments: Arguments = []
                if case .array(let args)? = field.value(at: ["args"]) {
                    for argument in args {
                        guard case .string(let argumentName)? = argument.value(at: ["name"]), let typeRef = argument.value(at: ["type"]) else { continue }
                        arguments.append((argumentName, Self.describe(typeRef)))
                    }
                }
                fieldMap[fieldName] = arguments
            }
            types[name] = fieldMap
        }
        self.types = types
        self.kinds = kinds
        self.roots = roots
    }

    /// The fields of `type` (or of the root type it names), with their arguments.
    public func fields(of type: String) -> [String: Arguments]? {
        types[roots[type] ?? type]
    }

    /// The kind of `type` (or of the root type it names); nil when the schema has no such type.
    public func kind(of type: String) -> TypeKind? {
        kinds[roots[type] ?? type]
    }

    /// An introspected type reference as SDL writes it: NON_NULL → `!`, LIST → `[…]`.
    private static func describe(_ reference: JSONDocument) -> String {
        switch reference.value(at: ["kind"]) {
        case .string("NON_NULL")?: return describe(reference.value(at: ["ofType"]) ?? .null) + "!"
        case .string("LIST")?: return "[" + describe(reference.value(at: ["ofType"]) ?? .null) + "]"
        default:
            if case .string(let name)? = reference.value(at: ["name"]) { return name }
            return "?"
        }
    }
}
