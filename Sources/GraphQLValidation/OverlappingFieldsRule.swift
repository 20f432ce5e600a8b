import GraphQL

/// §5.3.2 Field Selection Merging (graphql-js's OverlappingFieldsCanBeMergedRule, which GraphQLSwift
/// does not ship): fields selected under one response name must be mergeable, whether written side
/// by side, through aliases, inline fragments or fragment spreads. Two fields conflict when, on
/// parents that could be the same object, they are different fields or take different arguments;
/// or when, anywhere, they return types of different shapes; or when their sub-selections conflict.
///
/// The algorithm is graphql-js's: a selection set's fields and fragment names are collected once
/// (cached by the selection set), fields are compared within a set, between a set and each fragment
/// it spreads, and between fragments, with each pair of fragments compared once. That keeps the
/// cost near linear on documents that spread the same fragments many times.
func OverlappingFieldsCanBeMergedRule(context: ValidationContext, fieldTypes: FieldTypes = FieldTypes()) -> Visitor {
    let finder = ConflictFinder(context: context, fieldTypes: fieldTypes)
    return Visitor(enter: { node, _, _, _, _ in
        guard let selectionSet = node as? SelectionSet else { return .continue }
        for conflict in finder.conflictsWithin(parentType: context.parentType, selectionSet) {
            context.report(error: GraphQLError(
                message: "Fields \"\(conflict.responseName)\" conflict because \(conflict.reason.text). "
                    + "Use different aliases on the fields to fetch both if this was intentional.",
                nodes: conflict.fields1.map { $0 as Node } + conflict.fields2.map { $0 as Node }))
        }
        return .continue
    })
}

/// Why two fields cannot be merged.
indirect enum ConflictReason {
    case message(String)
    case subfields([(String, ConflictReason)])

    var text: String {
        switch self {
        case .message(let text): text
        case .subfields(let reasons):
            reasons.map { "subfields \"\($0.0)\" conflict because \($0.1.text)" }.joined(separator: " and ")
        }
    }
}

struct Conflict {
    let responseName: String
    let reason: ConflictReason
    let fields1: [Field]
    let fields2: [Field]
}

/// One field as selected: the type it is selected on, its node, and its type in the schema.
struct SelectedField {
    let parentType: GraphQLNamedType?
    let node: Field
    let type: GraphQLOutputType?
}

/// Fields by response name, in the order first selected.
struct FieldMap {
    var order: [String] = []
    var fields: [String: [SelectedField]] = [:]

    mutating func add(_ name: String, _ field: SelectedField) {
        if fields[name] == nil { order.append(name) }
        fields[name, default: []].append(field)
    }
}

/// The pairs of fragments already compared, and whether they were compared as mutually
/// exclusive (graphql-js's PairSet): a pair compared as not exclusive need not be compared again.
struct FragmentPairs {
    private var compared: [String: Bool] = [:]

    private static func key(_ a: String, _ b: String) -> String { a < b ? "\(a)\u{0}\(b)" : "\(b)\u{0}\(a)" }

    func has(_ a: String, _ b: String, exclusive: Bool) -> Bool {
        guard let stored = compared[Self.key(a, b)] else { return false }
        return exclusive ? true : !stored
    }

    mutating func add(_ a: String, _ b: String, exclusive: Bool) {
        let key = Self.key(a, b)
        if let stored = compared[key], !stored { return }
        compared[key] = exclusive
    }
}

/// Each object and interface type's fields and their types, read once for all the documents of a
/// validation: GraphQLSwift's public `fields()` builds the whole field map again at every call,
/// which on GitHub's schema made this rule cost twice the rest of validation. One validation runs
/// on one thread.
final class FieldTypes: @unchecked Sendable {
    private var types: [ObjectIdentifier: [String: GraphQLOutputType]] = [:]

    init() {}

    func type(of field: String, on parentType: GraphQLNamedType?) -> GraphQLOutputType? {
        if field == "__typename" { return GraphQLNonNull(GraphQLString) }
        guard let parentType else { return nil }
        let key = ObjectIdentifier(parentType as AnyObject)
        if let known = types[key] { return known[field] }
        var fields: [String: GraphQLOutputType] = [:]
        switch parentType {
        case let object as GraphQLObjectType:
            for (name, field) in (try? object.fields()) ?? [:] { fields[name] = field.type }
        case let interface as GraphQLInterfaceType:
            for (name, field) in (try? interface.fields()) ?? [:] { fields[name] = field.type }
        default: break
        }
        types[key] = fields
        return fields[field]
    }
}

/// The search, with its caches. Validation runs on one thread.
final class ConflictFinder: @unchecked Sendable {
    private let context: ValidationContext
    private let fieldTypes: FieldTypes
    private var cache: [ObjectIdentifier: (FieldMap, [String])] = [:]
    private var fragmentPairs = FragmentPairs()

    init(context: ValidationContext, fieldTypes: FieldTypes) {
        self.context = context
        self.fieldTypes = fieldTypes
    }

    func conflictsWithin(parentType: GraphQLNamedType?, _ selectionSet: SelectionSet) -> [Conflict] {
        var conflicts: [Conflict] = []
        let (fieldMap, fragmentNames) = fieldsAndFragmentNames(parentType, selectionSet)
        collectWithin(&conflicts, fieldMap)
        for (index, name) in fragmentNames.enumerated() {
            collectBetweenFieldsAndFragment(&conflicts, fieldMap, name, exclusive: false, origin: ObjectIdentifier(selectionSet))
            for other in fragmentNames[(index + 1)...] {
                collectBetweenFragments(&conflicts, name, other, exclusive: false)
            }
        }
        return conflicts
    }

    // MARK: Collecting

    private func fieldsAndFragmentNames(_ parentType: GraphQLNamedType?, _ selectionSet: SelectionSet) -> (FieldMap, [String]) {
        let key = ObjectIdentifier(selectionSet)
        if let cached = cache[key] { return cached }
        var fieldMap = FieldMap()
        var fragmentNames: [String] = []
        collect(parentType, selectionSet, into: &fieldMap, fragmentNames: &fragmentNames)
        cache[key] = (fieldMap, fragmentNames)
        return (fieldMap, fragmentNames)
    }

    private func collect(_ parentType: GraphQLNamedType?, _ selectionSet: SelectionSet, into fieldMap: inout FieldMap, fragmentNames: inout [String]) {
        for selection in selectionSet.selections {
            switch selection {
            case let field as Field:
                let name = field.name.value
                fieldMap.add(field.alias?.value ?? name, SelectedField(parentType: parentType, node: field, type: fieldTypes.type(of: name, on: parentType)))
            case let spread as FragmentSpread:
                if !fragmentNames.contains(spread.name.value) { fragmentNames.append(spread.name.value) }
            case let inline as InlineFragment:
                let typeCondition = inline.typeCondition.flatMap { context.schema.getType(name: $0.name.value) } ?? parentType
                collect(typeCondition, inline.selectionSet, into: &fieldMap, fragmentNames: &fragmentNames)
            default:
                continue
            }
        }
    }

    /// A fragment's fields, collected on its type condition.
    private func fragmentFields(_ name: String) -> (FieldMap, [String])? {
        guard let fragment = context.getFragment(name: name) else { return nil }
        let type = context.schema.getType(name: fragment.typeCondition.name.value)
        return fieldsAndFragmentNames(type, fragment.selectionSet)
    }

    // MARK: Comparing

    private func collectWithin(_ conflicts: inout [Conflict], _ fieldMap: FieldMap) {
        for name in fieldMap.order {
            let fields = fieldMap.fields[name] ?? []
            guard fields.count > 1 else { continue }
            for first in fields.indices {
                for second in (first + 1)..<fields.count {
                    if let conflict = findConflict(exclusive: false, name, fields[first], fields[second]) { conflicts.append(conflict) }
                }
            }
        }
    }

    private func collectBetween(_ conflicts: inout [Conflict], _ map1: FieldMap, _ map2: FieldMap, exclusive: Bool) {
        for name in map1.order {
            guard let fields2 = map2.fields[name] else { continue }
            for field1 in map1.fields[name] ?? [] {
                for field2 in fields2 {
                    if let conflict = findConflict(exclusive: exclusive, name, field1, field2) { conflicts.append(conflict) }
                }
            }
        }
    }

    /// A selection set's fields against a fragment's, and against the fragments it spreads;
    /// `origin` is the selection set `fieldMap` came from, so a fragment is not compared with itself.
    private func collectBetweenFieldsAndFragment(_ conflicts: inout [Conflict], _ fieldMap: FieldMap, _ fragmentName: String,
                                                 exclusive: Bool, origin: ObjectIdentifier? = nil) {
        guard let fragment = context.getFragment(name: fragmentName), let (fragmentMap, referenced) = fragmentFields(fragmentName) else { return }
        if let origin, origin == ObjectIdentifier(fragment.selectionSet) { return }
        collectBetween(&conflicts, fieldMap, fragmentMap, exclusive: exclusive)
        for name in referenced {
            // Each pair of fragments is compared once (which also ends cycles of spreads).
            if fragmentPairs.has(name, fragmentName, exclusive: exclusive) { continue }
            fragmentPairs.add(name, fragmentName, exclusive: exclusive)
            collectBetweenFieldsAndFragment(&conflicts, fieldMap, name, exclusive: exclusive, origin: origin)
        }
    }

    private func collectBetweenFragments(_ conflicts: inout [Conflict], _ name1: String, _ name2: String, exclusive: Bool) {
        guard name1 != name2, !fragmentPairs.has(name1, name2, exclusive: exclusive) else { return }
        fragmentPairs.add(name1, name2, exclusive: exclusive)
        guard let (map1, referenced1) = fragmentFields(name1), let (map2, referenced2) = fragmentFields(name2) else { return }
        collectBetween(&conflicts, map1, map2, exclusive: exclusive)
        for name in referenced2 { collectBetweenFragments(&conflicts, name1, name, exclusive: exclusive) }
        for name in referenced1 { collectBetweenFragments(&conflicts, name, name2, exclusive: exclusive) }
    }

    private func conflictsBetweenSubSelections(exclusive: Bool, _ type1: GraphQLNamedType?, _ set1: SelectionSet,
                                               _ type2: GraphQLNamedType?, _ set2: SelectionSet) -> [Conflict] {
        var conflicts: [Conflict] = []
        let (map1, fragments1) = fieldsAndFragmentNames(type1, set1)
        let (map2, fragments2) = fieldsAndFragmentNames(type2, set2)
        collectBetween(&conflicts, map1, map2, exclusive: exclusive)
        for name in fragments2 { collectBetweenFieldsAndFragment(&conflicts, map1, name, exclusive: exclusive, origin: ObjectIdentifier(set1)) }
        for name in fragments1 { collectBetweenFieldsAndFragment(&conflicts, map2, name, exclusive: exclusive, origin: ObjectIdentifier(set2)) }
        for name1 in fragments1 {
            for name2 in fragments2 { collectBetweenFragments(&conflicts, name1, name2, exclusive: exclusive) }
        }
        return conflicts
    }

    private func findConflict(exclusive parentExclusive: Bool, _ responseName: String, _ field1: SelectedField,
                              _ field2: SelectedField) -> Conflict? {
        // Fields on two different object types can never be selected on the same object.
        let exclusive = parentExclusive || (field1.parentType?.name != field2.parentType?.name
                                            && field1.parentType is GraphQLObjectType && field2.parentType is GraphQLObjectType)
        let (node1, node2) = (field1.node, field2.node)
        if !exclusive {
            if node1.name.value != node2.name.value {
                return Conflict(responseName: responseName, reason: .message("\"\(node1.name.value)\" and \"\(node2.name.value)\" are different fields"),
                                fields1: [node1], fields2: [node2])
            }
            if !Self.sameArguments(node1, node2) {
                return Conflict(responseName: responseName, reason: .message("they have differing arguments"), fields1: [node1], fields2: [node2])
            }
        }
        if let type1 = field1.type, let type2 = field2.type, Self.typesConflict(type1, type2) {
            return Conflict(responseName: responseName, reason: .message("they return conflicting types \"\(type1)\" and \"\(type2)\""),
                            fields1: [node1], fields2: [node2])
        }
        if let set1 = node1.selectionSet, let set2 = node2.selectionSet {
            let sub = conflictsBetweenSubSelections(exclusive: exclusive, getNamedType(type: field1.type), set1,
                                                    getNamedType(type: field2.type), set2)
            if !sub.isEmpty {
                return Conflict(responseName: responseName, reason: .subfields(sub.map { ($0.responseName, $0.reason) }),
                                fields1: [node1] + sub.flatMap(\.fields1), fields2: [node2] + sub.flatMap(\.fields2))
            }
        }
        return nil
    }

    static func sameArguments(_ field1: Field, _ field2: Field) -> Bool {
        guard field1.arguments.count == field2.arguments.count else { return false }
        return field1.arguments.allSatisfy { argument1 in
            guard let argument2 = field2.arguments.first(where: { $0.name.value == argument1.name.value }) else { return false }
            return print(ast: argument1.value) == print(ast: argument2.value)
        }
    }

    /// Two types of different shapes: a list against a non-list, non-null against nullable, or
    /// two different scalars or enums.
    static func typesConflict(_ type1: GraphQLType, _ type2: GraphQLType) -> Bool {
        if let list1 = type1 as? GraphQLList {
            guard let list2 = type2 as? GraphQLList else { return true }
            return typesConflict(list1.ofType, list2.ofType)
        }
        if type2 is GraphQLList { return true }
        if let nonNull1 = type1 as? GraphQLNonNull {
            guard let nonNull2 = type2 as? GraphQLNonNull else { return true }
            return typesConflict(nonNull1.ofType, nonNull2.ofType)
        }
        if type2 is GraphQLNonNull { return true }
        let leaf1 = type1 is GraphQLScalarType || type1 is GraphQLEnumType
        let leaf2 = type2 is GraphQLScalarType || type2 is GraphQLEnumType
        if leaf1 || leaf2 { return (type1 as? GraphQLNamedType)?.name != (type2 as? GraphQLNamedType)?.name }
        return false
    }
}
