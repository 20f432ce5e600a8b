import Foundation
import Testing
@testable import GraphQLDocuments
import TestSupport

struct SchemaFieldsTests {
    static let githubSchemaURL = Paths.sharedBench.appendingPathComponent("github-schema.graphql")

    @Test("GitHub's public schema reads completely: 31 query fields, 247 mutations (per shared/bench/SOURCES.md)",
          .enabled(if: FileManager.default.fileExists(atPath: githubSchemaURL.path), "needs ../shared/bench"))
    func githubSchema() throws {
        let schema = try SchemaFields(sdl: Array(try Data(contentsOf: Self.githubSchemaURL)))
        #expect(schema.fields(of: "Query")?.count == 31)
        #expect(schema.fields(of: "Mutation")?.count == 247)
        #expect(schema.fields(of: "Query")?["repository"]?.map(\.name) == ["followRenames", "name", "owner"])
        #expect(schema.fields(of: "Query")?["repository"]?.first { $0.name == "owner" }?.type == "String!")
        #expect(schema.types.count > 700)
    }

    @Test("descriptions, directives, defaults, extensions, renamed roots and other definitions")
    func features() throws {
        let sdl = """
            \"\"\"The root\"\"\"
            schema @custom(a: [1, 2]) { query: Root, mutation: Change }
            directive @custom(a: [Int] = [1]) on SCHEMA | FIELD_DEFINITION
            scalar Date @specifiedBy(url: "https://example.test")
            enum Size { SMALL, LARGE }
            input Filter { size: Size = SMALL, after: Date }
            interface Node { id: ID! }
            union Result = Root | Change
            type Root implements Node & Other @custom {
              id: ID!
              "a field" children(first: Int = 10, filter: Filter = {size: LARGE}, ids: [ID!]! @deprecated): [Child!] @deprecated(reason: "x")
            }
            extend type Root { extra: String }
            type Change { log(entry: String!): Boolean }
            type Empty
            """
        let schema = try SchemaFields(sdl: Array(sdl.utf8))
        #expect(schema.fields(of: "Query")?.keys.sorted() == ["children", "extra", "id"])
        #expect(schema.fields(of: "Query")?["children"]?.map(\.type) == ["Int", "Filter", "[ID!]!"])
        #expect(schema.fields(of: "Mutation")?["log"]?.first?.name == "entry")
        #expect(schema.fields(of: "Empty")?.isEmpty == true)
    }

    @Test("syntax errors name their line and column", arguments: [
        ("type Query {\n  me: User\n", 3, 1, "Syntax Error: expected '}', found the end of the file"),
        ("type Query {\n  me User\n}", 2, 6, "Syntax Error: expected ':', found \"User\""),
        ("type Query { me: User }\n\"unterminated\n", 2, 1, "Syntax Error: unterminated string"),
        ("type Query { me: % }", 1, 18, "Syntax Error: unexpected character '%'"),
    ])
    func syntaxErrors(_ sdl: String, _ line: Int, _ column: Int, _ message: String) {
        #expect(throws: SDLError(line: line, column: column, message: message)) { try SchemaFields(sdl: Array(sdl.utf8)) }
    }

    @Test("a block string's value is the same with \\n, \\r\\n or \\r line ends (the specification's own example)", arguments: ["\n", "\r\n", "\r"])
    func blockStringLineEnds(_ end: String) {
        let raw = ["", "    Hello,", "      World!", "", "    Yours,", "      GraphQL.", "  "].joined(separator: end)
        #expect(SchemaReader.blockStringValue(raw) == "Hello,\n  World!\n\nYours,\n  GraphQL.")
    }
}
