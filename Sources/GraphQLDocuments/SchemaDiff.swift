/// What changed between two schemas, classified as graphql-core's `find_breaking_changes` and
/// `find_dangerous_changes` classify it (GraphQL's reference implementation), plus the safe
/// changes they do not list: types, fields, arguments and enum values added, deprecations and
/// descriptions. Each change names its schema coordinate (`Query.user(id:)`), says what happened
/// in a few words, and carries graphql-core's own type and description of it, which the tests
/// compare against graphql-core itself.
public struct SchemaChange: Sendable, Equatable {
    public enum Level: String, Sendable, Comparable {
        case breaking = "BREAKING", dangerous = "DANGEROUS", safe = "SAFE"

        public static func < (lhs: Level, rhs: Level) -> Bool {
            let order: [Level] = [.breaking, .dangerous, .safe]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    public var level: Level
    /// graphql-core's BreakingChangeType or DangerousChangeType name (`FIELD_REMOVED`), or ours
    /// for the safe ones (`FIELD_ADDED`).
    public var type: String
    /// The schema coordinate: `Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`, `@directive`.
    public var coordinate: String
    /// What happened, in a few words: `field removed`, `argument type changed from ID to ID!`.
    public var what: String
    /// graphql-core's description of the change (empty for safe ones).
    public var reference: String
    /// What an operation must use to be hit: the coordinates whose use the change breaks.
    public var usedBy: UsageKey

    /// `BREAKING Query.getAnalyticsDashboard: field removed`.
    public var message: String { "\(level.rawValue) \(coordinate): \(what)" }
}

/// What an operation uses that a change can break.
public enum UsageKey: Sendable, Equatable, Hashable {
    /// A named type anywhere (a variable's type, a fragment's condition, a field's type).
    case type(String)
    /// A field selected on a type (or an input field given in a literal or variable).
    case field(String, String)
    /// An argument given to a field.
    case argument(String, String, String)
    /// An enum value used as a literal or received in a result.
    case enumValue(String, String)
    /// Nothing an operation's text shows (directive definitions, a union's other members).
    case none
}

public enum SchemaDiff {
    public static func changes(from old: SchemaDocument, to new: SchemaDocument) -> [SchemaChange] {
        var changes: [SchemaChange] = []
        func add(_ level: SchemaChange.Level, _ type: String, _ coordinate: String, _ what: String, _ reference: String, _ usage: UsageKey) {
            changes.append(SchemaChange(level: level, type: type, coordinate: coordinate, what: what, reference: reference, usedBy: usage))
        }
        let oldNames = old.typeNames, newNames = Set(new.typeNames)
        for name in oldNames where !newNames.contains(name) {
            let reference = SchemaDocument.standardScalars.contains(name)
                ? "Standard scalar \(name) was removed because it is not referenced anymore." : "\(name) was removed."
            add(.breaking, "TYPE_REMOVED", name, "type removed", reference, .type(name))
        }
        let oldSet = Set(oldNames)
        // A standard scalar that is newly referenced is not news.
        for name in new.typeNames where !oldSet.contains(name) && !SchemaDocument.standardScalars.contains(name) {
            add(.safe, "TYPE_ADDED", name, "type added", "", .none)
        }
        for name in oldNames where newNames.contains(name) {
            guard let before = old.type(named: name), let after = new.type(named: name) else { continue }
            if before.kind != after.kind {
                add(.breaking, "TYPE_CHANGED_KIND", name, "changed from \(before.kind.article) to \(after.kind.article)",
                    "\(name) changed from \(before.kind.article) to \(after.kind.article).", .type(name))
                continue
            }
            if before.description != after.description { add(.safe, "DESCRIPTION_CHANGED", name, "description changed", "", .none) }
            switch before.kind {
            case .enum: enumChanges(before, after, add)
            case .union: unionChanges(before, after, add)
            case .input: inputChanges(before, after, add)
            case .object, .interface:
                fieldChanges(before, after, old, new, add)
                interfaceChanges(before, after, add)
            case .scalar: break
            }
        }
        directiveChanges(old, new, add)
        return changes
    }

    typealias Add = (SchemaChange.Level, String, String, String, String, UsageKey) -> Void

    private static func enumChanges(_ before: SchemaDocument.NamedType, _ after: SchemaDocument.NamedType, _ add: Add) {
        let name = before.name
        let newValues = Dictionary(after.values.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let oldValues = Set(before.values.map(\.name))
        for value in before.values {
            guard let now = newValues[value.name] else {
                add(.breaking, "VALUE_REMOVED_FROM_ENUM", "\(name).\(value.name)", "enum value removed",
                    "\(value.name) was removed from enum type \(name).", .enumValue(name, value.name))
                continue
            }
            if !value.deprecated, now.deprecated { add(.safe, "VALUE_DEPRECATED", "\(name).\(value.name)", "enum value deprecated", "", .enumValue(name, value.name)) }
        }
        for value in after.values where !oldValues.contains(value.name) {
            add(.dangerous, "VALUE_ADDED_TO_ENUM", "\(name).\(value.name)", "enum value added",
                "\(value.name) was added to enum type \(name).", .type(name))
        }
    }

    private static func unionChanges(_ before: SchemaDocument.NamedType, _ after: SchemaDocument.NamedType, _ add: Add) {
        let name = before.name
        for member in before.members where !after.members.contains(member) {
            add(.breaking, "TYPE_REMOVED_FROM_UNION", "\(name)", "member \(member) removed",
                "\(member) was removed from union type \(name).", .type(name))
        }
        for member in after.members where !before.members.contains(member) {
            add(.dangerous, "TYPE_ADDED_TO_UNION", "\(name)", "member \(member) added",
                "\(member) was added to union type \(name).", .type(name))
        }
    }

    private static func inputChanges(_ before: SchemaDocument.NamedType, _ after: SchemaDocument.NamedType, _ add: Add) {
        let name = before.name
        let newFields = Dictionary(after.inputFields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let oldFields = Set(before.inputFields.map(\.name))
        for field in after.inputFields where !oldFields.contains(field.name) {
            if field.isRequired {
                add(.breaking, "REQUIRED_INPUT_FIELD_ADDED", "\(name).\(field.name)", "required input field added",
                    "A required field \(field.name) on input type \(name) was added.", .type(name))
            } else {
                add(.dangerous, "OPTIONAL_INPUT_FIELD_ADDED", "\(name).\(field.name)", "optional input field added",
                    "An optional field \(field.name) on input type \(name) was added.", .none)
            }
        }
        for field in before.inputFields {
            guard let now = newFields[field.name] else {
                add(.breaking, "FIELD_REMOVED", "\(name).\(field.name)", "input field removed", "\(name).\(field.name) was removed.",
                    .field(name, field.name))
                continue
            }
            if !safeForInput(field.type, now.type) {
                add(.breaking, "FIELD_CHANGED_KIND", "\(name).\(field.name)", "input field type changed from \(field.type) to \(now.type)",
                    "\(name).\(field.name) changed type from \(field.type) to \(now.type).", .field(name, field.name))
            }
            if !field.deprecated, now.deprecated { add(.safe, "INPUT_FIELD_DEPRECATED", "\(name).\(field.name)", "input field deprecated", "", .field(name, field.name)) }
        }
    }

    private static func fieldChanges(_ before: SchemaDocument.NamedType, _ after: SchemaDocument.NamedType,
                                     _ old: SchemaDocument, _ new: SchemaDocument, _ add: Add) {
        let name = before.name
        let newFields = Dictionary(after.fields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let oldFields = Set(before.fields.map(\.name))
        for field in before.fields {
            guard let now = newFields[field.name] else {
                add(.breaking, "FIELD_REMOVED", "\(name).\(field.name)", "field removed", "\(name).\(field.name) was removed.", .field(name, field.name))
                continue
            }
            argumentChanges(name, field, now, old, new, add)
            if !safeForOutput(field.type, now.type) {
                add(.breaking, "FIELD_CHANGED_KIND", "\(name).\(field.name)", "field type changed from \(field.type) to \(now.type)",
                    "\(name).\(field.name) changed type from \(field.type) to \(now.type).", .field(name, field.name))
            }
            if !field.deprecated, now.deprecated { add(.safe, "FIELD_DEPRECATED", "\(name).\(field.name)", "field deprecated", "", .field(name, field.name)) }
            if field.description != now.description { add(.safe, "DESCRIPTION_CHANGED", "\(name).\(field.name)", "description changed", "", .none) }
        }
        for field in after.fields where !oldFields.contains(field.name) {
            add(.safe, "FIELD_ADDED", "\(name).\(field.name)", "field added", "", .none)
        }
    }

    private static func argumentChanges(_ type: String, _ before: SchemaDocument.Field, _ after: SchemaDocument.Field,
                                        _ old: SchemaDocument, _ new: SchemaDocument, _ add: Add) {
        let field = "\(type).\(before.name)"
        let newArguments = Dictionary(after.arguments.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let oldArguments = Set(before.arguments.map(\.name))
        for argument in before.arguments {
            let coordinate = "\(field)(\(argument.name):)"
            guard let now = newArguments[argument.name] else {
                add(.breaking, "ARG_REMOVED", coordinate, "argument removed", "\(field) arg \(argument.name) was removed.",
                    .argument(type, before.name, argument.name))
                continue
            }
            if !safeForInput(argument.type, now.type) {
                add(.breaking, "ARG_CHANGED_KIND", coordinate, "argument type changed from \(argument.type) to \(now.type)",
                    "\(field) arg \(argument.name) has changed type from \(argument.type) to \(now.type).", .argument(type, before.name, argument.name))
            } else if let was = argument.defaultValue.flatMap({ DefaultValues.coerce($0, argument.type, old) })?.printed {
                // A default the type does not accept is no default, for graphql-core as for a server.
                if let becomes = now.defaultValue.flatMap({ DefaultValues.coerce($0, now.type, new) })?.printed {
                    if was != becomes {
                        add(.dangerous, "ARG_DEFAULT_VALUE_CHANGE", coordinate, "default value changed from \(was) to \(becomes)",
                            "\(field) arg \(argument.name) has changed defaultValue from \(was) to \(becomes).", .field(type, before.name))
                    }
                } else {
                    add(.dangerous, "ARG_DEFAULT_VALUE_CHANGE", coordinate, "default value removed",
                        "\(field) arg \(argument.name) defaultValue was removed.", .field(type, before.name))
                }
            }
            if !argument.deprecated, now.deprecated { add(.safe, "ARG_DEPRECATED", coordinate, "argument deprecated", "", .argument(type, before.name, argument.name)) }
        }
        for argument in after.arguments where !oldArguments.contains(argument.name) {
            let coordinate = "\(field)(\(argument.name):)"
            if argument.isRequired {
                add(.breaking, "REQUIRED_ARG_ADDED", coordinate, "required argument added",
                    "A required arg \(argument.name) on \(field) was added.", .field(type, before.name))
            } else {
                add(.dangerous, "OPTIONAL_ARG_ADDED", coordinate, "optional argument added",
                    "An optional arg \(argument.name) on \(field) was added.", .none)
            }
        }
    }

    private static func interfaceChanges(_ before: SchemaDocument.NamedType, _ after: SchemaDocument.NamedType, _ add: Add) {
        let name = before.name
        for interface in after.interfaces where !before.interfaces.contains(interface) {
            add(.dangerous, "IMPLEMENTED_INTERFACE_ADDED", name, "now implements \(interface)",
                "\(interface) added to interfaces implemented by \(name).", .type(interface))
        }
        for interface in before.interfaces where !after.interfaces.contains(interface) {
            add(.breaking, "IMPLEMENTED_INTERFACE_REMOVED", name, "no longer implements \(interface)",
                "\(name) no longer implements interface \(interface).", .type(interface))
        }
    }

    private static func directiveChanges(_ old: SchemaDocument, _ new: SchemaDocument, _ add: Add) {
        for name in old.directiveOrder {
            guard let before = old.directives[name] else { continue }
            guard let after = new.directives[name] else {
                add(.breaking, "DIRECTIVE_REMOVED", "@\(name)", "directive removed", "\(name) was removed.", .none)
                continue
            }
            let oldArguments = Set(before.arguments.map(\.name)), newArguments = Set(after.arguments.map(\.name))
            for argument in after.arguments where !oldArguments.contains(argument.name) && argument.isRequired {
                add(.breaking, "REQUIRED_DIRECTIVE_ARG_ADDED", "@\(name)(\(argument.name):)", "required directive argument added",
                    "A required arg \(argument.name) on directive \(name) was added.", .none)
            }
            for argument in before.arguments where !newArguments.contains(argument.name) {
                add(.breaking, "DIRECTIVE_ARG_REMOVED", "@\(name)(\(argument.name):)", "directive argument removed",
                    "\(argument.name) was removed from \(name).", .none)
            }
            if before.repeatable, !after.repeatable {
                add(.breaking, "DIRECTIVE_REPEATABLE_REMOVED", "@\(name)", "no longer repeatable", "Repeatable flag was removed from \(name).", .none)
            }
            for location in before.locations where !after.locations.contains(location) {
                add(.breaking, "DIRECTIVE_LOCATION_REMOVED", "@\(name)", "location \(location) removed", "\(location) was removed from \(name).", .none)
            }
        }
        for name in new.directiveOrder where old.directives[name] == nil {
            add(.safe, "DIRECTIVE_ADDED", "@\(name)", "directive added", "", .none)
        }
    }

    /// graphql-core's is_change_safe_for_object_or_interface_field: an output may become non-null,
    /// and keep its named type and list structure.
    static func safeForOutput(_ old: SchemaDocument.TypeRef, _ new: SchemaDocument.TypeRef) -> Bool {
        switch old {
        case .list(let oldItem):
            if case .list(let newItem) = new, safeForOutput(oldItem, newItem) { return true }
            if case .nonNull(let inner) = new { return safeForOutput(old, inner) }
            return false
        case .nonNull(let oldInner):
            if case .nonNull(let newInner) = new { return safeForOutput(oldInner, newInner) }
            return false
        case .named(let oldName):
            if case .named(let newName) = new { return oldName == newName }
            if case .nonNull(let inner) = new { return safeForOutput(old, inner) }
            return false
        }
    }

    /// graphql-core's is_change_safe_for_input_object_field_or_field_arg: an input may become
    /// nullable, and keep its named type and list structure.
    static func safeForInput(_ old: SchemaDocument.TypeRef, _ new: SchemaDocument.TypeRef) -> Bool {
        switch old {
        case .list(let oldItem):
            if case .list(let newItem) = new { return safeForInput(oldItem, newItem) }
            return false
        case .nonNull(let oldInner):
            if case .nonNull(let newInner) = new { return safeForInput(oldInner, newInner) }
            return safeForInput(oldInner, new)
        case .named(let oldName):
            if case .named(let newName) = new { return oldName == newName }
            return false
        }
    }
}

/// Default values as graphql-core compares them: coerced to the argument's type in its own schema
/// (graphql-core's value_from_ast: an Int where a Float is expected is a Float, one item where a
/// list is expected is a list of one, an input object gets its fields' defaults and loses fields
/// its type does not have; a value the type does not accept is no value at all), then printed
/// with objects' fields sorted (ast_from_value, sort_value_node, print_ast).
enum DefaultValues {
    typealias Value = SchemaDocument.ValueLiteral

    static func coerce(_ value: Value, _ type: SchemaDocument.TypeRef, _ schema: SchemaDocument) -> Value? {
        switch type {
        case .nonNull(let inner):
            if case .null = value { return nil }
            return coerce(value, inner, schema)
        case .list(let item):
            if case .null = value { return .null }
            if case .list(let items) = value {
                var out: [Value] = []
                for element in items {
                    guard let coerced = coerce(element, item, schema) else { return nil }
                    out.append(coerced)
                }
                return .list(out)
            }
            return coerce(value, item, schema).map { .list([$0]) }
        case .named(let name):
            if case .null = value { return .null }
            guard let named = schema.type(named: name) else { return nil }
            switch named.kind {
            case .input:
                guard case .object(let given) = value else { return nil }
                var out: [(String, Value)] = []
                for field in named.inputFields {
                    if let provided = given.first(where: { $0.0 == field.name }) {
                        guard let coerced = coerce(provided.1, field.type, schema) else { return nil }
                        out.append((field.name, coerced))
                    } else if let fallback = field.defaultValue {
                        guard let coerced = coerce(fallback, field.type, schema) else { return nil }
                        out.append((field.name, coerced))
                    } else if field.type.isNonNull {
                        return nil
                    }
                }
                return .object(out.sorted { $0.0 < $1.0 })
            case .enum:
                guard case .enumValue(let chosen) = value, named.values.contains(where: { $0.name == chosen }) else { return nil }
                return value
            case .scalar:
                return scalar(value, name)
            case .object, .interface, .union:
                return nil
            }
        }
    }

    private static func scalar(_ value: Value, _ name: String) -> Value? {
        switch (name, value) {
        case ("Int", .int(let text)):
            guard let number = Int(text), number >= Int(Int32.min), number <= Int(Int32.max) else { return nil }
            return .int(String(number))
        case ("Int", _): return nil
        case ("Float", .int(let text)), ("Float", .float(let text)):
            guard let number = Double(text), number.isFinite else { return nil }
            return number == number.rounded() && abs(number) < 1e16 ? .int(String(Int(number))) : .float(pythonFloat(number))
        case ("Float", _): return nil
        case ("String", .string): return value
        case ("String", _): return nil
        case ("Boolean", .bool): return value
        case ("Boolean", _): return nil
        case ("ID", .string(let text)):
            // graphql-core prints an ID that reads as an integer without quotes.
            let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
            return !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber) && !(digits.count > 1 && digits.first == "0")
                ? .int(text) : value
        case ("ID", .int): return value
        case ("ID", _): return nil
        default: return sortedObjects(value)  // a custom scalar takes any literal
        }
    }

    private static func sortedObjects(_ value: Value) -> Value {
        switch value {
        case .object(let fields): .object(fields.map { ($0.0, sortedObjects($0.1)) }.sorted { $0.0 < $1.0 })
        case .list(let items): .list(items.map(sortedObjects))
        default: value
        }
    }

    /// A float as Python's str writes it (graphql-core prints floats with it).
    static func pythonFloat(_ value: Double) -> String {
        let text = "\(value)"
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}
