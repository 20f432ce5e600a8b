import Testing
@testable import GraphQLDocuments
import TestSupport

/// Finding `gql` templates in JavaScript and TypeScript, with true file positions.
struct TemplateExtractorTests {
    private func templates(_ source: String) -> [TaggedTemplate] {
        TemplateExtractor.templates(in: Array(source.utf8))
    }

    @Test("a gql template's text starts right after the backtick")
    func position() {
        let found = templates("import x from 'y';\nconst Q = gql`query A { me { id } }`;\n")
        #expect(found == [TaggedTemplate(text: "query A { me { id } }", line: 2, column: 15, binding: "Q")])
        #expect(found[0].filePosition(line: 1, column: 9) == (2, 23))
    }

    @Test("interpolations become blanks of the same length, line breaks kept")
    func interpolations() {
        let found = templates("const Q = gql`\n  query { a }\n  ${FRAGMENT_ONE}${ nested(`x ${y}`) }\n  ${\n    B\n  }\n`;")
        #expect(found.count == 1)
        let lines = found[0].text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 7)
        #expect(lines[1] == "  query { a }")
        #expect(lines[2].allSatisfy { $0 == " " } && lines[2].count == "  ${FRAGMENT_ONE}${ nested(`x ${y}`) }".count)
        #expect(lines[4].allSatisfy { $0 == " " })
        #expect(found[0].filePosition(line: 2, column: 3) == (2, 3))
    }

    @Test("gql inside comments, strings, other templates and regular expressions is not a template")
    func notTemplates() {
        let source = """
            // gql`query Commented { a }`
            /* gql`query Blocked { a }` */
            const s = 'gql`query Quoted { a }`', d = "gql`x`";
            const plain = `not gql ${gql} here`;
            const r = /gql`[`]/g, half = a / gql`query Divided { a }`;
            const real = graphql`query Real { b }`;
            const marked = /* GraphQL */ `query Marked { c }`;
            const mygql = notgql`query NotTagged { d }`;
            """
        #expect(templates(source).map(\.text) == ["query Divided { a }", "query Real { b }", "query Marked { c }"])
    }

    @Test("a quote in JSX text only costs the rest of its line")
    func jsx() {
        let source = "const A = () => <Text>Don't panic</Text>;\nconst Q = gql`query Q { a }`;\n"
        #expect(templates(source) == [TaggedTemplate(text: "query Q { a }", line: 2, column: 15, binding: "Q")])
    }

    @Test("columns count Unicode scalars, as editors do")
    func unicode() {
        let found = templates("const é = 'ü'; const Q = gql`{ a }`; const R = gql`\n  ${'日本'} { b }`;")
        #expect(found.count == 2)
        #expect(found[0].column == 30)
        #expect(found[1].text == "\n          { b }")
    }

    @Test("an unterminated template ends the file without a crash, and yields nothing")
    func unterminated() {
        #expect(templates("const Q = gql`query { a }").isEmpty)
        #expect(templates("const Q = gql`query { ${ a").isEmpty)
        #expect(templates("`").isEmpty)
        #expect(templates("/").isEmpty)
    }
}
