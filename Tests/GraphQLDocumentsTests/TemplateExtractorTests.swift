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

    @Test("graphql() and gql() calls are documents, with gql.tada's fragment list; graphql(schema, source) is not")
    func calls() {
        let source = """
            const A = graphql(`query A { a }`);
            export const B: TypedDocumentNode = gql(/* GraphQL */ `query B { b }`);
            const C = graphql(`query C { ...F }`, [F, Other]);
            const result = await graphql(schema, '{ a }');
            """
        let found = templates(source)
        #expect(found.map(\.text) == ["query A { a }", "query B { b }", "query C { ...F }"])
        #expect(found.map(\.form) == [.call, .call, .call])
        #expect(found.map(\.binding) == ["A", "B", "C"])
        #expect(found[2].fragmentArguments == ["F", "Other"])
        #expect(found[0].column == 20)
    }

    @Test("each template knows the name it is bound to and the expressions it interpolates, with their places")
    func bindingsAndInterpolations() {
        let source = """
            export const CHILD: DocumentNode = gql`fragment C on Child { id }`;
            const fragments = { child: gql`fragment D on Child { id }` };
            export default gql`
              query Q { me { ...C ...D } }
              ${CHILD}
              ${ fragments.child }
            `;
            if (a == gql`query NotBound { x }`) {}
            """
        let found = templates(source)
        #expect(found.map(\.binding) == ["CHILD", "child", "default", nil])
        #expect(found[2].interpolations == [.init(expression: "CHILD", line: 5, column: 5), .init(expression: "fragments.child", line: 6, column: 5)])
    }

    @Test("imports and re-exports are read: named, renamed, default, namespace, type-only names, export *")
    func imports() {
        let source = """
            import { gql } from '@apollo/client';
            import Default, { A, B as C, type T } from "./fragments";
            import * as NS from './ns';
            export { D, E as F } from './re';
            export * from './all';
            const lazy = import('./dynamic');
            """
        let imports = TemplateExtractor.read(Array(source.utf8)).imports
        #expect(imports.map { "\($0.local)=\($0.imported)@\($0.module)\($0.isReexport ? "!" : "")" } == [
            "gql=name(\"gql\")@@apollo/client", "Default=defaultExport@./fragments", "A=name(\"A\")@./fragments",
            "C=name(\"B\")@./fragments", "T=name(\"T\")@./fragments", "NS=namespace@./ns", "D=name(\"D\")@./re!",
            "F=name(\"E\")@./re!", "*=everything@./all!",
        ])
    }
}
