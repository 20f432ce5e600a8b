import JSON

/// An introspection response as SDL, without Foundation: the validator helper builds a live
/// endpoint's schema from it (GraphQLSwift has no `buildClientSchema`), and the main binary
/// records it as the deployed schema for graphql_diff's `history:` baselines. Deprecations come
/// through when the query asks `isDeprecated`.
public enum IntrospectionSchema {
    public struct Invalid: Error { public let message: String }

    static let builtInScalars: Set<String> = ["Int", "Float", "String", "Boolean", "ID"]
    static let builtInDirectives: Set<String> = ["skip", "include", "deprecated", "specifiedBy", "oneOf"]

    /// SDL for the `__schema` of a response (the whole response, or its `data`).
    public static func sdl(fromJSON bytes: [UInt8]) throws(Invalid) -> String {
        guard let document = JSONDocument.parse(bytes) else { throw Invalid(message: "the introspection response is not JSON") }
        guard case .object = document else { throw Invalid(message: "the introspection response is not a JSON object") }
        let schema = document.value(at: ["data", "__schema"]) ?? document.value(at: ["__schema"])
        guard let schema, case .array(let types)? = schema.value(at: ["types"]) else {
            throw Invalid(message: "the introspection response has no __schema.types")
        }
        var out = "schema {\n"
        for (key, operation) in [("queryType", "query"), ("mutationType", "mutation"), ("subscriptionType", "subscription")] {
            if let name = text(schema.value(at: [key, "name"])) { out += "  \(operation): \(name)\n" }
        }
        out += "}\n"
        for type in types {
            guard let name = text(type.value(at: ["name"])), !name.hasPrefix("__"), let kind = text(type.value(at: ["kind"])) else { continue }
            switch kind {
            case "SCALAR":
                if !builtInScalars.contains(name) { out += "scalar \(name)\n" }
            case "OBJECT", "INTERFACE":
                out += (kind == "OBJECT" ? "type " : "interface ") + name
                let interfaces = list(type.value(at: ["interfaces"])).compactMap { text($0.value(at: ["name"])) }
                if !interfaces.isEmpty { out += " implements " + interfaces.joined(separator: " & ") }
                out += fields(list(type.value(at: ["fields"])), withArguments: true)
            case "INPUT_OBJECT":
                out += "input \(name)" + fields(list(type.value(at: ["inputFields"])), withArguments: false)
            case "UNION":
                out += "union \(name) = " + list(type.value(at: ["possibleTypes"])).compactMap { text($0.value(at: ["name"])) }.joined(separator: " | ") + "\n"
            case "ENUM":
                let values = list(type.value(at: ["enumValues"])).compactMap { value -> String? in
                    text(value.value(at: ["name"])).map { $0 + deprecation(value) }
                }
                out += "enum \(name) { " + values.joined(separator: " ") + " }\n"
            default:
                throw Invalid(message: "type \(name) has an unknown kind \(kind)")
            }
        }
        for directive in list(schema.value(at: ["directives"])) {
            guard let name = text(directive.value(at: ["name"])), !builtInDirectives.contains(name) else { continue }
            let locations = list(directive.value(at: ["locations"])).compactMap(text).joined(separator: " | ")
            guard !locations.isEmpty else { continue }
            let repeatable = directive.value(at: ["isRepeatable"]) == .bool(true)
            out += "directive @\(name)" + arguments(list(directive.value(at: ["args"]))) + (repeatable ? " repeatable" : "") + " on \(locations)\n"
        }
        return out
    }

    private static func text(_ value: JSONDocument?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    private static func list(_ value: JSONDocument?) -> [JSONDocument] {
        if case .array(let items)? = value { return items }
        return []
    }

    private static func deprecation(_ value: JSONDocument) -> String {
        value.value(at: ["isDeprecated"]) == .bool(true) ? " @deprecated" : ""
    }

    private static func fields(_ fields: [JSONDocument], withArguments: Bool) -> String {
        guard !fields.isEmpty else { return "\n" }
        var out = " {\n"
        for field in fields {
            guard let name = text(field.value(at: ["name"])) else { continue }
            out += "  \(name)"
            if withArguments { out += arguments(list(field.value(at: ["args"]))) }
            out += ": " + typeReference(field.value(at: ["type"])) + defaultValue(field) + deprecation(field) + "\n"
        }
        return out + "}\n"
    }

    private static func arguments(_ arguments: [JSONDocument]) -> String {
        guard !arguments.isEmpty else { return "" }
        let parts = arguments.compactMap { argument -> String? in
            guard let name = text(argument.value(at: ["name"])) else { return nil }
            return "\(name): " + typeReference(argument.value(at: ["type"])) + defaultValue(argument)
        }
        return "(" + parts.joined(separator: ", ") + ")"
    }

    private static func defaultValue(_ value: JSONDocument) -> String {
        text(value.value(at: ["defaultValue"])).map { " = " + $0 } ?? ""
    }

    private static func typeReference(_ value: JSONDocument?) -> String {
        guard let value else { return "Unknown" }
        switch text(value.value(at: ["kind"])) {
        case "NON_NULL": return typeReference(value.value(at: ["ofType"])) + "!"
        case "LIST": return "[" + typeReference(value.value(at: ["ofType"])) + "]"
        default: return text(value.value(at: ["name"])) ?? "Unknown"
        }
    }
}
