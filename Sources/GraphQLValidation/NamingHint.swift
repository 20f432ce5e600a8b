import GraphQL

/// The runbook's most common GraphQL outage: a frontend asking `child_id` from a schema that names
/// it `childId`, or the reverse after Strawberry's auto camel case was turned off. These helpers
/// name the counterpart deterministically, so the message says what to write instead.
public enum NamingHint {
    /// `child_id` → `childId`; nil when there is no underscore between letters.
    public static func camelCase(_ name: String) -> String? {
        let parts = name.split(separator: "_", omittingEmptySubsequences: true)
        guard parts.count > 1, !name.hasPrefix("_") else { return nil }
        var result = String(parts[0])
        for part in parts.dropFirst() {
            result += part.prefix(1).uppercased() + part.dropFirst()
        }
        return result == name ? nil : result
    }

    /// `childId` → `child_id`, `getHTTPStatus` → `get_http_status`; nil when nothing is upper case.
    public static func snakeCase(_ name: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        guard scalars.contains(where: isUpper), !name.hasPrefix("_") else { return nil }
        var result = ""
        for (index, scalar) in scalars.enumerated() {
            if isUpper(scalar) {
                let previous = index > 0 ? scalars[index - 1] : nil
                let next = index + 1 < scalars.count ? scalars[index + 1] : nil
                // A word starts at an upper-case letter after a lower-case one or a digit, or at the
                // last capital of an acronym followed by lower case (HTTPStatus → http_status).
                let startsWord = previous.map { !isUpper($0) && $0 != "_" } ?? false
                    || (previous.map(isUpper) ?? false) && (next.map(isLower) ?? false)
                if startsWord && index > 0 { result += "_" }
                result += String(scalar).lowercased()
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result == name ? nil : result
    }

    /// The counterpart of `name` among `candidates`, with the convention it follows.
    public static func counterpart(of name: String, in candidates: some Collection<String>) -> (name: String, convention: String)? {
        if let camel = camelCase(name), candidates.contains(camel) { return (camel, "camelCase") }
        if let snake = snakeCase(name), candidates.contains(snake) { return (snake, "snake_case") }
        return nil
    }

    private static func isUpper(_ scalar: Unicode.Scalar) -> Bool { ("A"..."Z").contains(scalar) }
    private static func isLower(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) }
}

extension NamingHint {
    /// GraphQLSwift's message for an unknown field, argument or input field, with the counterpart
    /// named when the schema has it; other messages unchanged.
    static func rewrite(_ message: String, schema: GraphQLSchema) -> String {
        let quoted = quotedParts(message)
        if message.hasPrefix("Cannot query field "), quoted.count >= 2,
           let names = outputFields(of: quoted[1], in: schema),
           let hint = counterpart(of: quoted[0], in: names) {
            return "Cannot query field \"\(quoted[0])\" on type \"\(quoted[1])\"; the schema names it \"\(hint.name)\" (\(hint.convention))"
        }
        if message.hasPrefix("Field "), message.contains(" does not have argument "), quoted.count >= 3,
           let field = outputField(quoted[0], of: quoted[1], in: schema),
           let hint = counterpart(of: quoted[2], in: Array(field.args.keys)) {
            return "Field \"\(quoted[0])\" on type \"\(quoted[1])\" has no argument \"\(quoted[2])\"; the schema names it \"\(hint.name)\" (\(hint.convention))"
        }
        if message.hasPrefix("Field "), message.contains(" is not defined by type "), quoted.count >= 2,
           let type = schema.getType(name: quoted[1]) as? GraphQLInputObjectType,
           let fields = try? type.fields(),
           let hint = counterpart(of: quoted[0], in: Array(fields.keys)) {
            return "Field \"\(quoted[0])\" is not defined by input type \"\(quoted[1])\"; the schema names it \"\(hint.name)\" (\(hint.convention))"
        }
        return message
    }

    /// The double-quoted parts of a message, in order.
    static func quotedParts(_ message: String) -> [String] {
        message.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    static func outputFields(of typeName: String, in schema: GraphQLSchema) -> [String]? {
        switch schema.getType(name: typeName) {
        case let type as GraphQLObjectType: (try? type.fields()).map { Array($0.keys) }
        case let type as GraphQLInterfaceType: (try? type.fields()).map { Array($0.keys) }
        default: nil
        }
    }

    static func outputField(_ name: String, of typeName: String, in schema: GraphQLSchema) -> GraphQLField? {
        switch schema.getType(name: typeName) {
        case let type as GraphQLObjectType: (try? type.fields())?[name]
        case let type as GraphQLInterfaceType: (try? type.fields())?[name]
        default: nil
        }
    }
}
