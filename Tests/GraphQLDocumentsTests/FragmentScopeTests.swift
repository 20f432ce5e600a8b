import GraphQLDocuments
import ProjectFiles
import TestSupport
import Testing

/// Which fragments each document may use, as Apollo, graphql-tag's loader, GraphQL Code
/// Generator and gql.tada resolve them.
struct FragmentScopeTests {
    private func collect(_ files: [String: String]) throws -> (FrontendDocuments, TemporaryFolder) {
        let folder = try TemporaryFolder(files: files)
        return (try FrontendDocuments.collect(["src"], root: folder.url.path), folder)
    }

    /// The fragments appended to the document holding `operation`, as "file:name".
    private func appended(_ frontend: FrontendDocuments, _ operation: String) throws -> [String] {
        let found = try #require(frontend.operation(named: operation))
        return frontend.fragmentsToAppend(for: found.document).map { "\(frontend.documents[$0.document].file):\($0.name)" }
    }

    static let fragments = """
        import { gql } from '@apollo/client';
        export const CHILD_FIELDS = gql`fragment ChildFields on Child { id ...Size }  ${SIZE}`;
        export const SIZE = gql`fragment Size on Child { currentDiaperSize }`;

        """

    @Test("an interpolated fragment is followed through its import, and the fragments it interpolates come with it")
    func interpolationThroughImports() throws {
        let (frontend, folder) = try collect([
            "src/graphql/fragments.ts": Self.fragments,
            "src/screens/Home.tsx": "import { CHILD_FIELDS as CF } from '../graphql/fragments';\nconst Q = gql`query Home { me { children { ...ChildFields } } } ${CF}`;\n",
        ])
        #expect(try appended(frontend, "Home") == ["src/graphql/fragments.ts:ChildFields", "src/graphql/fragments.ts:Size"])
        _ = folder
    }

    @Test("a fragment defined elsewhere but not interpolated is not seen, as Apollo would not send it")
    func notInterpolated() throws {
        let (frontend, folder) = try collect([
            "src/graphql/fragments.ts": Self.fragments,
            "src/screens/Home.tsx": "import { SIZE } from '../graphql/fragments';\nconst Q = gql`query Home { me { children { ...ChildFields } } } ${SIZE}`;\n",
        ])
        #expect(try appended(frontend, "Home").isEmpty)
        _ = folder
    }

    @Test("re-exports (named and export *), namespace imports and index files are followed")
    func reexports() throws {
        let (frontend, folder) = try collect([
            "src/graphql/fragments.ts": Self.fragments,
            "src/graphql/index.ts": "export { CHILD_FIELDS } from './fragments';\nexport * from './other';\n",
            "src/graphql/other.ts": "export const OTHER = gql`fragment Other on User { id }`;\n",
            "src/a.tsx": "import { CHILD_FIELDS } from './graphql';\nconst A = gql`query A { me { children { ...ChildFields } } } ${CHILD_FIELDS}`;\n",
            "src/b.tsx": "import * as F from './graphql/fragments';\nconst B = gql`query B { me { children { ...Size } } } ${F.SIZE}`;\n",
            "src/c.tsx": "import { OTHER } from './graphql/index';\nconst C = gql`query C { me { ...Other } } ${OTHER}`;\n",
        ])
        #expect(try appended(frontend, "A") == ["src/graphql/fragments.ts:ChildFields", "src/graphql/fragments.ts:Size"])
        #expect(try appended(frontend, "B") == ["src/graphql/fragments.ts:Size"])
        #expect(try appended(frontend, "C") == ["src/graphql/other.ts:Other"])
        _ = folder
    }

    @Test("an aliased import path is resolved by the binding's unique name; an ambiguous one falls back to names")
    func aliasedPaths() throws {
        let (frontend, folder) = try collect([
            "src/graphql/fragments.ts": Self.fragments,
            "src/a.tsx": "import { SIZE } from '@/graphql/fragments';\nconst A = gql`query A { me { children { ...Size } } } ${SIZE}`;\n",
            "src/b.tsx": "import { makeFragment } from 'lib';\nconst B = gql`query B { me { children { ...ChildFields } } } ${makeFragment()}`;\n",
        ])
        #expect(try appended(frontend, "A") == ["src/graphql/fragments.ts:Size"])
        #expect(try appended(frontend, "B") == ["src/graphql/fragments.ts:ChildFields", "src/graphql/fragments.ts:Size"])
        _ = folder
    }

    @Test("codegen's graphql() calls see every fragment by name; gql.tada's see the ones listed")
    func calls() throws {
        let (frontend, folder) = try collect([
            "src/fragments.ts": "export const ChildFields = graphql(`fragment ChildFields on Child { id }`);\nexport const Size = graphql(`fragment Size on Child { size }`);\n",
            "src/codegen.tsx": "const Q = graphql(/* GraphQL */ `\n  query Codegen { me { children { ...ChildFields } } }\n`);\n",
            "src/tada.tsx": "import { Size } from './fragments';\nconst T = graphql(`query Tada { me { children { ...ChildFields ...Size } } }`, [Size]);\n",
        ])
        #expect(try appended(frontend, "Codegen") == ["src/fragments.ts:ChildFields"])
        #expect(try appended(frontend, "Tada") == ["src/fragments.ts:Size"])
        _ = folder
    }

    @Test(".graphql files: #import gives the imported file's fragments; without imports, every fragment by name")
    func graphQLFiles() throws {
        let (frontend, folder) = try collect([
            "src/fragments.graphql": "fragment ChildFields on Child { id }\n",
            "src/more.graphql": "fragment Size on Child { size }\n",
            "src/home.graphql": "#import \"./fragments.graphql\"\nquery Home { me { children { ...ChildFields ...Size } } }\n",
            "src/plain.graphql": "query Plain { me { children { ...Size } } }\n",
        ])
        #expect(try appended(frontend, "Home") == ["src/fragments.graphql:ChildFields"])
        #expect(try appended(frontend, "Plain") == ["src/more.graphql:Size"])
        _ = folder
    }

    @Test("fragments no operation reaches are unused, also those only other unused fragments spread; duplicates are found")
    func unusedAndDuplicates() throws {
        let (frontend, folder) = try collect([
            "src/a.graphql": "query A { me { ...Used } }\nfragment Used on User { id }\nfragment Dead on User { ...AlsoDead }\nfragment AlsoDead on User { id }\n",
            "src/b.graphql": "fragment Used on User { name }\n",
        ])
        #expect(frontend.unusedFragments().map(\.fragment.name) == ["Dead", "AlsoDead"])
        let duplicates = frontend.duplicateFragments()
        #expect(duplicates.map { "\(frontend.documents[$0.document].file):\($0.fragment.name) after \(frontend.documents[$0.first].file)" }
                == ["src/b.graphql:Used after src/a.graphql"])
        _ = folder
    }

    @Test("the text an operation is sent as holds its fragments; its variables say which are required")
    func requestText() throws {
        let (frontend, folder) = try collect([
            "src/graphql/fragments.ts": Self.fragments,
            "src/dashboard.ts": "import { CHILD_FIELDS } from './graphql/fragments';\nexport const D = gql`\n  query GetAnalyticsDashboard($childId: ID!, $days: Int = 30, $after: String) {\n    child(id: $childId) { ...ChildFields }\n  }\n  ${CHILD_FIELDS}\n`;\n",
        ])
        let (text, operation, place) = try #require(frontend.requestText(forOperation: "GetAnalyticsDashboard"))
        #expect(place == "src/dashboard.ts:3:3")
        #expect(text.contains("query GetAnalyticsDashboard(") && text.contains("fragment ChildFields on Child { id ...Size }")
                && text.contains("fragment Size on Child { currentDiaperSize }"))
        #expect(operation.variables.map { "\($0.name):\($0.type):\($0.isRequired)" } == ["childId:ID!:true", "days:Int:false", "after:String:false"])
        _ = folder
    }
}
