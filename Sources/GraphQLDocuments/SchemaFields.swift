import JSON

/// What a GraphQL schema offers, as the schema gates need it: each object type's fields with
/// their arguments and argument types (`ID!`, `[Int!]`), and which types are the roots. Filled
/// from an SDL file or from an endpoint's introspection.
public struct SchemaFields: Sendable {
    public typealias Arguments = [(name: String, type: String)]
    public let types: [String: [String: Arguments]]
    public let roots: [String: String]

    /// From SDL text; a syntax error has its line and column.
    public init(sdl bytes: [UInt8]) throws(SDLError) {
        let parser = try SDLParser(bytes)
        types = parser.types
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
        for type in typeList {
            guard case .string(let name)? = type.value(at: ["name"]), case .array(let fields)? = type.value(at: ["fields"]) else { continue }
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
        self.roots = roots
    }

    /// The fields of `type` (or of the root type it names), with their arguments.
    public func fields(of type: String) -> [String: Arguments]? {
        types[roots[type] ?? type]
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
