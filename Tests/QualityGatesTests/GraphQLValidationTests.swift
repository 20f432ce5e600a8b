import GraphQL
import GraphQLDocuments
import GraphQLValidation
import Testing

/// The validator behind graphql_documents, called directly: the same code the helper runs.
struct GraphQLValidationTests {
    static let schema = """
        type Query { me: User  child(childId: ID!): Child  search(filter: ChildFilter): [Child!]! }
        type User { id: ID!  children: [Child!]! }
        type Child { id: ID!  childId: ID!  name: String! }
        input ChildFilter { minAgeMonths: Int }

        """

    /// Validates the documents, each with the fragments of the others it spreads, by name (as
    /// codegen resolves them); `rules` lowers rules.
    private func validate(_ documents: [String], schema: String = schema, rules: [String: RuleLevel] = [:]) -> ValidationResponse {
        let outlines = documents.map { DocumentOutline.read($0) }
        return DocumentValidator.validate(ValidationRequest(
            schema: .init(name: "schema.graphql", sdl: schema),
            documents: documents.enumerated().map { index, text in
                var fragments: [FragmentReference] = []
                var wanted = outlines[index]?.spreads.map(\.name) ?? []
                var done = Set(outlines[index]?.fragments.map(\.name) ?? [])
                while let name = wanted.popLast() {
                    guard done.insert(name).inserted, let other = outlines.firstIndex(where: { $0?.fragments.contains { $0.name == name } == true }) else { continue }
                    fragments.append(FragmentReference(document: other, name: name))
                    wanted += outlines[other]!.fragments.first { $0.name == name }!.spreads
                }
                return .init(name: "doc\(index).graphql", text: text, fragments: fragments)
            }, rules: rules))
    }

    @Test("KnownTypeNames and ExecutableDefinitions, which run only where they can find something, still find it: GraphQLSwift's messages, places and levels")
    func onDemandRules() {
        let unknown = validate(["query Q($f: ChildFiltr) { search(filter: $f) { id } }\nfragment F on Chld { id }\nquery R { me { ...F } }"])
        #expect(unknown.problems.map(\.message).filter { $0.hasPrefix("Unknown type") }
                == ["Unknown type \"ChildFiltr\". Did you mean \"ChildFilter\" or \"Child\"?", "Unknown type \"Chld\". Did you mean \"Child\"?"],
                "\(unknown.problems)")
        #expect(unknown.problems.contains { $0.message.hasPrefix("Unknown type \"Chld\"") && $0.line == 2 && $0.column == 15 })
        #expect(!unknown.problems.contains { $0.message.contains("\u{0}") }, "the probe's own report never shows")
        let warned = validate(["fragment F on Chld { id }\nquery R { me { ...F } }"], rules: ["KnownTypeNames": .warn])
        #expect(warned.problems.filter { $0.message.hasPrefix("Unknown type") }.map(\.level) == [.warn])
        #expect(validate(["fragment F on Chld { id }\nquery R { me { ...F } }"], rules: ["KnownTypeNames": .off])
            .problems.allSatisfy { !$0.message.hasPrefix("Unknown type") })
        let typeInDocument = validate(["query Q { me { id } }\ntype Extra { id: ID }"])
        #expect(typeInDocument.problems.map(\.message) == ["The \"Extra\" definition is not executable"], "\(typeInDocument.problems)")
        #expect(validate(["query Q { me { id } }"]).problems.isEmpty)
    }

    @Test("the rules are named as the specification names them, in GraphQLSwift's order")
    func ruleNames() {
        #expect(specifiedRules.count + 2 == ValidationRules.names.count, "GraphQLSwift's rules, and the two written here")
        #expect(ValidationRules.canonical("NoUnusedFragmentsRule") == "NoUnusedFragments")
        #expect(ValidationRules.canonical("NoSuchRule") == nil)
    }

    @Test("a rule set to warn reports as a warning; off, not at all")
    func ruleLevels() {
        let document = "query V($unused: Int) { me { id } }"
        #expect(validate([document]).problems.map(\.level) == [.error])
        #expect(validate([document], rules: ["NoUnusedVariables": .warn]).problems.map(\.level) == [.warn])
        #expect(validate([document], rules: ["NoUnusedVariables": .off]).problems.isEmpty)
    }

    @Test("a variable an appended fragment uses but the operation does not define is reported in the fragment")
    func undefinedVariableInFragment() {
        let response = validate(["query Q { me { children { ...C } } }", "fragment C on Child {\n  childId @include(if: $show)\n}"])
        #expect(response.problems.map { [$0.document, $0.line] } == [[1, 2]])
        #expect(response.problems.first?.message == #"Variable "$show" is not defined by operation "Q""#)
    }

    @Test("camelCase and snake_case counterparts are found both ways, with acronyms")
    func naming() {
        #expect(NamingHint.camelCase("child_id") == "childId")
        #expect(NamingHint.camelCase("get_analytics_dashboard") == "getAnalyticsDashboard")
        #expect(NamingHint.camelCase("childId") == nil)
        #expect(NamingHint.camelCase("__typename") == nil)
        #expect(NamingHint.snakeCase("childId") == "child_id")
        #expect(NamingHint.snakeCase("getHTTPStatus") == "get_http_status")
        #expect(NamingHint.snakeCase("id") == nil)
        #expect(NamingHint.counterpart(of: "child_id", in: ["id", "childId"])! == ("childId", "camelCase"))
        #expect(NamingHint.counterpart(of: "childId", in: ["child_id"])! == ("child_id", "snake_case"))
        #expect(NamingHint.counterpart(of: "child_id", in: ["kidId"]) == nil)
    }

    @Test("unknown fields, arguments and input fields name their counterpart")
    func hints() {
        let response = validate(["""
            query Q {
              me { children { child_id } }
              child(child_id: "1") { name }
              search(filter: { min_age_months: 3 }) { id }
            }
            """])
        #expect(response.problems.map(\.message) == [
            #"Cannot query field "child_id" on type "Child"; the schema names it "childId" (camelCase)"#,
            #"Field "child" argument "childId" of type "ID!" is required, but it was not provided"#,
            #"Field "child" on type "Query" has no argument "child_id"; the schema names it "childId" (camelCase)"#,
            #"Field "min_age_months" is not defined by input type "ChildFilter"; the schema names it "minAgeMonths" (camelCase)"#,
        ])
        #expect(response.problems.map { [$0.line, $0.column] } == [[2, 19], [3, 3], [3, 9], [4, 20]])
    }

    @Test("fragments appended from other documents are found, nested ones too; a document alone is not judged unused")
    func fragments() {
        let response = validate([
            "query Q { me { children { ...ChildFields } } }",
            "fragment ChildFields on Child { id ...More }",
            "fragment More on Child { name }",
            "fragment Orphan on Child { id }",
        ])
        #expect(response.problems.isEmpty, "\(response.problems)")
        #expect(response.operations == 1)
        #expect(response.fragments == 3)
    }

    @Test("a problem inside a shared fragment is reported once, where the fragment is")
    func problemInSharedFragment() {
        let response = validate([
            "query A { me { children { ...ChildFields } } }",
            "query B { me { children { ...ChildFields } } }",
            "fragment ChildFields on Child {\n  child_id\n}",
        ])
        #expect(response.problems.map { [$0.document, $0.line, $0.column] } == [[2, 2, 3]])
    }

    @Test("the specification's rules apply: variables, arguments, leaf selections, anonymous operations")
    func rules() {
        let response = validate([
            "query V($unused: Int) { me { id } }",
            "query W { child(childId: $missing) { name } }",
            "query X { me }",
            "{ me { id } } query Y { me { id } }",
        ])
        let messages = response.problems.map(\.message)
        #expect(messages.contains(#"Variable "$unused" is never used in operation "V""#))
        #expect(messages.contains(#"Variable "$missing" is not defined by operation "W""#))
        #expect(messages.contains { $0.hasPrefix(#"Field "me" of type "User" must have a selection of subfields"#) })
        #expect(messages.contains("This anonymous operation must be the only defined operation"))
    }

    @Test("a schema that does not parse, or is invalid, is a schema error; assume_valid_sdl lets it through")
    func schemaErrors() {
        #expect(validate(["{ me { id } }"], schema: "type Query {").schemaError == "schema.graphql:1:13: Syntax Error: Expected Name, found <EOF>")
        let twice = "type Query { a: Int a: Int }"
        #expect(validate(["{ a }"], schema: twice).schemaError == #"schema.graphql: Field "Query.a" can only be defined once"#)
        let lenient = DocumentValidator.validate(ValidationRequest(schema: .init(name: "s", sdl: twice, assumeValidSDL: true),
                                                                   documents: [.init(name: "d", text: "{ a }")]))
        #expect(lenient.schemaError == nil && lenient.problems.isEmpty)
    }

    @Test("a schema from introspection validates like the SDL it came from")
    func introspection() {
        let json = """
            {"data": {"__schema": {"queryType": {"name": "Query"}, "mutationType": null, "subscriptionType": null,
             "types": [
              {"kind": "OBJECT", "name": "Query", "fields": [
                {"name": "child", "args": [{"name": "child_id", "type": {"kind": "NON_NULL", "name": null, "ofType": {"kind": "SCALAR", "name": "ID", "ofType": null}}, "defaultValue": null}],
                 "type": {"kind": "OBJECT", "name": "Child", "ofType": null}}], "interfaces": []},
              {"kind": "OBJECT", "name": "Child", "fields": [{"name": "child_id", "args": [], "type": {"kind": "SCALAR", "name": "ID", "ofType": null}}], "interfaces": []},
              {"kind": "SCALAR", "name": "ID"}, {"kind": "ENUM", "name": "__TypeKind", "enumValues": [{"name": "SCALAR"}]}],
             "directives": [{"name": "skip", "locations": ["FIELD"], "args": []}]}}}
            """
        let response = DocumentValidator.validate(ValidationRequest(schema: .init(name: "http://x/graphql", introspection: json),
                                                                    documents: [.init(name: "q.ts", text: #"{ child(childId: "1") { childId } }"#)]))
        #expect(response.schemaError == nil)
        #expect(response.problems.map(\.message) == [
            #"Field "child" argument "child_id" of type "ID!" is required, but it was not provided"#,
            #"Field "child" on type "Query" has no argument "childId"; the schema names it "child_id" (snake_case)"#,
            #"Cannot query field "childId" on type "Child"; the schema names it "child_id" (snake_case)"#,
        ])
        #expect(DocumentValidator.validate(ValidationRequest(schema: .init(name: "x", introspection: "[]"), documents: [])).schemaError
                == "x: the introspection response is not a JSON object")
    }
}
