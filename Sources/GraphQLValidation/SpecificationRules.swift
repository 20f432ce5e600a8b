import GraphQL

/// §5.2.3.1 Single root field (graphql-js's SingleFieldSubscriptionsRule, which GraphQLSwift does
/// not ship): a subscription selects exactly one root field, and not an introspection field. The
/// extra fields are named, as graphql-core names them.
func SingleFieldSubscriptionsRule(context: ValidationContext) -> Visitor {
    Visitor(enter: { node, _, _, _, _ in
        guard let operation = node as? OperationDefinition, operation.operation == .subscription,
              context.schema.subscriptionType != nil else { return .continue }
        let subject = operation.name.map { "Subscription \"\($0.value)\"" } ?? "Anonymous Subscription"
        var fields: [(name: String, nodes: [Field])] = []
        var visited: Set<String> = []
        func collect(_ selectionSet: SelectionSet) {
            for selection in selectionSet.selections {
                switch selection {
                case let field as Field:
                    let name = field.alias?.value ?? field.name.value
                    if let index = fields.firstIndex(where: { $0.name == name }) { fields[index].nodes.append(field) } else { fields.append((name, [field])) }
                case let inline as InlineFragment:
                    collect(inline.selectionSet)
                case let spread as FragmentSpread:
                    guard visited.insert(spread.name.value).inserted, let fragment = context.getFragment(name: spread.name.value) else { continue }
                    collect(fragment.selectionSet)
                default:
                    continue
                }
            }
        }
        collect(operation.selectionSet)
        if fields.count > 1 {
            context.report(error: GraphQLError(message: "\(subject) must select only one top level field.",
                                               nodes: fields.dropFirst().flatMap(\.nodes)))
        }
        for (_, nodes) in fields where nodes[0].name.value.hasPrefix("__") {
            context.report(error: GraphQLError(message: "\(subject) must not select an introspection top level field.", nodes: nodes))
        }
        return .continue
    })
}

/// §3.5.1 Int: a literal where an Int is expected must fit 32 bits (part of graphql-js's
/// ValuesOfCorrectTypeRule; GraphQLSwift's Int takes any 64-bit value).
func IntRangeRule(context: ValidationContext) -> Visitor {
    Visitor(enter: { node, _, _, _, _ in
        guard let literal = node as? IntValue, (getNamedType(type: context.inputType) as? GraphQLScalarType)?.name == "Int" else {
            return .continue
        }
        if let value = Int(literal.value), (Int(Int32.min)...Int(Int32.max)).contains(value) { return .continue }
        context.report(error: GraphQLError(message: "Int cannot represent non 32-bit signed integer value: \(literal.value)", nodes: [literal]))
        return .continue
    })
}

/// What `UnknownTypeProbe` reports; never shown: it only tells the validator to run
/// KnownTypeNames (see `DocumentValidator.RuleSet`).
let unknownTypeProbeMessage = "\u{0}a type name the schema does not have"

/// Reports, once, that a document names a type (a variable's type, a fragment's condition) the
/// schema does not have: a schema lookup per name instead of KnownTypeNames's copy of every type
/// name at every document. (A type the document itself defines also trips it; KnownTypeNames,
/// run then, knows better.)
func UnknownTypeProbe(context: ValidationContext) -> Visitor {
    var reported = false
    return Visitor(enter: { node, _, _, _, _ in
        guard !reported, let named = node as? NamedType, context.schema.getType(name: named.name.value) == nil else { return .continue }
        reported = true
        context.report(error: GraphQLError(message: unknownTypeProbeMessage, nodes: [named]))
        return .continue
    })
}
