import Foundation

/// Turns an introspection response into SDL, so that a live endpoint's schema goes through the
/// same `buildSchema` as an exported file (GraphQLSwift has no `buildClientSchema`).
enum IntrospectionSDL {
    struct Invalid: Error { let message: String }

    static let builtInScalars: Set<String> = ["Int", "Float", "String", "Boolean", "ID"]
    static let builtInDirectives: Set<String> = ["skip", "include", "deprecated", "specifiedBy", "oneOf"]

    /// SDL for the `__schema` in `json` (a whole response, or its `data`).
    static func sdl(fromJSON json: String) throws(Invalid) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw Invalid(message: "the introspection response is not a JSON object")
        }
        let data = object["data"] as? [String: Any] ?? object
        guard let schema = data["__schema"] as? [String: Any], let types = schema["types"] as? [[String: Any]] else {
            throw Invalid(message: "the introspection response has no __schema.types")
        }
        var out = "schema {\n"
        for (key, operation) in [("queryType", "query"), ("mutationType", "mutation"), ("subscriptionType", "subscription")] {
            if let name = (schema[key] as? [String: Any])?["name"] as? String { out += "  \(operation): \(name)\n" }
        }
        out += "}\n"
        for type in types {
            guard let name = type["name"] as? String, !name.hasPrefix("__"), let kind = type["kind"] as? String else { continue }
            switch kind {
            case "SCALAR":
                if !builtInScalars.contains(name) { out += "scalar \(name)\n" }
            case "OBJECT", "INTERFACE":
                out += (kind == "OBJECT" ? "type " : "interface ") + name
                let interfaces = (type["interfaces"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                if !interfaces.isEmpty { out += " implements " + interfaces.joined(separator: " & ") }
                out += fields(type["fields"] as? [[String: Any]] ?? [], withArguments: true)
            case "INPUT_OBJECT":
                out += "input \(name)" + fields(type["inputFields"] as? [[String: Any]] ?? [], withArguments: false)
            case "UNION":
                let members = (type["possibleTypes"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                out += "union \(name) = " + members.joined(separator: " | ") + "\n"
            case "ENUM":
                let values = (type["enumValues"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                out += "enum \(name) { " + values.joined(separator: " ") + " }\n"
            default:
                throw Invalid(message: "type \(name) has an unknown kind \(kind)")
            }
        }
        for directive in schema["directives"] as? [[String: Any]] ?? [] {
            guard let name = directive["name"] as? String, !builtInDirectives.contains(name) else { continue }
            let locations = (directive["locations"] as? [String] ?? []).joined(separator: " | ")
            guard !locations.isEmpty else { continue }
            out += "directive @\(name)" + arguments(directive["args"] as? [[String: Any]] ?? [])
                + ((directive["isRepeatable"] as? Bool ?? false) ? " repeatable" : "") + " on \(locations)\n"
        }
        return out
    }

    private static func fields(_ fields: [[String: Any]], withArguments: Bool) -> String {
        // An object without fields is invalid SDL; introspection of a valid schema never has one.
        guard !fields.isEmpty else { return "\n" }
        var out = " {\n"
        for field in fields {
            guard let name = field["name"] as? String else { continue }
            out += "  \(name)"
            if withArguments { out += arguments(field["args"] as? [[String: Any]] ?? []) }
            out += ": " + typeReference(field["type"]) + defaultValue(field) + "\n"
        }
        return out + "}\n"
    }

    private static func arguments(_ arguments: [[String: Any]]) -> String {
        guard !arguments.isEmpty else { return "" }
        let parts = arguments.compactMap { argument -> String? in
            guard let name = argument["name"] as? String else { return nil }
            return "\(name): " + typeReference(argument["type"]) + defaultValue(argument)
        }
        return "(" + parts.joined(separator: ", ") + ")"
    }

    private static func defaultValue(_ value: [String: Any]) -> String {
        guard let text = value["defaultValue"] as? String else { return "" }
        return " = " + text
    }

    private static func typeReference(_ value: Any?) -> String {
        guard let type = value as? [String: Any] else { return "Unknown" }
        switch type["kind"] as? String {
        case "NON_NULL": return typeReference(type["ofType"]) + "!"
        case "LIST": return "[" + typeReference(type["ofType"]) + "]"
        default: return type["name"] as? String ?? "Unknown"
        }
    }
}
