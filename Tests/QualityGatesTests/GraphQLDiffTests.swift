import Foundation
import GraphQLDocuments
import TestSupport
import Testing

/// The schema comparison behind graphql_diff, against graphql-core's find_breaking_changes and
/// find_dangerous_changes on the pairs Fixtures/schema_pairs.py generates (every change type
/// graphql-core knows, and pairs made from GitHub's public schema).
struct GraphQLDiffTests {
    static let python = ProcessInfo.processInfo.environment["QG_TEST_PYTHON"]

    @Test("graphql-core's classification, change for change, on 250 schema pairs: the same breaking and dangerous changes, described alike",
          .enabled(if: python != nil, "scripts/test sets QG_TEST_PYTHON"))
    func agreesWithGraphQLCore() async throws {
        let script = Paths.fixtures.appendingPathComponent("schema_pairs.py").path
        let python = Self.python!
        // Half a minute of Python: on a thread of its own, not one of the two the runner's tests time.
        let run = try await offPool {
            try ProcessRunner.run(python, [script, Paths.sharedBench.appendingPathComponent("github-schema.graphql").path], timeout: 300)
        }
        let pairs = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]], "\(run.stderr)")
        #expect(pairs.count >= 200)
        let output = run.stdout
        // Parsing 500 schemas, two dozen of them GitHub's, is seconds of work: off the pool too.
        let (differences, seenTypes, compared) = try await offPool { () throws -> ([String], Set<String>, Int) in
            let pairs = (try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]]) ?? []
            var differences: [String] = []
            var seenTypes: Set<String> = []
            var compared = 0
            for pair in pairs {
                let name = pair["name"] as? String ?? "?"
                let old = try SchemaDocument.parse(Array((pair["old"] as? String ?? "").utf8))
                let new = try SchemaDocument.parse(Array((pair["new"] as? String ?? "").utf8))
                let ours = SchemaDiff.changes(from: old, to: new)
                for level in [SchemaChange.Level.breaking, .dangerous] {
                    let truth = ((pair[level == .breaking ? "breaking" : "dangerous"] as? [[String]]) ?? []).map { "\($0[0]): \($0[1])" }.sorted()
                    truth.forEach { seenTypes.insert(String($0.prefix { $0 != ":" })) }
                    compared += truth.count
                    let mine = ours.filter { $0.level == level }.map { "\($0.type): \($0.reference)" }.sorted()
                    if truth != mine { differences.append("\(name) \(level.rawValue): graphql-core \(truth), here \(mine)") }
                }
            }
            return (differences, seenTypes, compared)
        }
        print("graphql_diff corpus: \(pairs.count) pairs, \(compared) graphql-core changes, \(differences.count) differences")
        for difference in differences.prefix(20) { print("difference: \(difference)") }
        #expect(differences.isEmpty)
        let every: Set<String> = ["TYPE_REMOVED", "TYPE_CHANGED_KIND", "TYPE_REMOVED_FROM_UNION", "VALUE_REMOVED_FROM_ENUM",
                                  "REQUIRED_INPUT_FIELD_ADDED", "IMPLEMENTED_INTERFACE_REMOVED", "FIELD_REMOVED", "FIELD_CHANGED_KIND",
                                  "REQUIRED_ARG_ADDED", "ARG_REMOVED", "ARG_CHANGED_KIND", "DIRECTIVE_REMOVED", "DIRECTIVE_ARG_REMOVED",
                                  "REQUIRED_DIRECTIVE_ARG_ADDED", "DIRECTIVE_REPEATABLE_REMOVED", "DIRECTIVE_LOCATION_REMOVED",
                                  "VALUE_ADDED_TO_ENUM", "TYPE_ADDED_TO_UNION", "OPTIONAL_INPUT_FIELD_ADDED", "OPTIONAL_ARG_ADDED",
                                  "IMPLEMENTED_INTERFACE_ADDED", "ARG_DEFAULT_VALUE_CHANGE"]
        #expect(every.subtracting(seenTypes).isEmpty, "the corpus covers every change type: missing \(every.subtracting(seenTypes))")
    }

    @Test("the issue's examples read as it writes them; safe changes are listed too")
    func messages() throws {
        let old = try SchemaDocument.parse(Array("""
            type Query { getAnalyticsDashboard(childId: ID!): String  user(id: ID): User  me: User }
            type User { id: ID! name: String }
            enum Role { ADMIN }
            """.utf8))
        let new = try SchemaDocument.parse(Array("""
            type Query { getAnalyticsOverview(childId: ID!): String  user(id: ID!): User  me: User @deprecated(reason: "use viewer") }
            type User { id: ID! name: String email: String }
            enum Role { ADMIN GUEST }
            """.utf8))
        let messages = SchemaDiff.changes(from: old, to: new).map(\.message)
        #expect(messages.contains("BREAKING Query.getAnalyticsDashboard: field removed"))
        #expect(messages.contains("DANGEROUS Role.GUEST: enum value added"))
        #expect(messages.contains("BREAKING Query.user(id:): argument type changed from ID to ID!"))
        #expect(messages.contains("SAFE Query.me: field deprecated"))
        #expect(messages.contains("SAFE User.email: field added"))
        #expect(messages.contains("SAFE Query.getAnalyticsOverview: field added"))
    }

    @Test("a broken SDL is an error at its line and column")
    func syntaxError() {
        #expect(throws: SDLError.self) { try SchemaDocument.parse(Array("type Query {\n  me: User\n".utf8)) }
        do {
            _ = try SchemaDocument.parse(Array("type Query {\n  me User\n}".utf8))
        } catch {
            #expect(error.line == 2 && error.column == 6, "\(error)")
        }
    }

    @Test("usage across a frontend laid out otherwise: a field removed that only a fragment in another file selects fails at the fragment's place, named by the operation that spreads it; an input type's new required field hits the operation that sends it in a variable; the gate passes when nothing used breaks")
    func usageAcrossFiles() async throws {
        let baseline = """
            type Query { viewer: Account  accounts(filter: AccountFilter): [Account!]! }
            type Account { id: ID!  email: String  plan: Plan }
            enum Plan { FREE PRO }
            input AccountFilter { plan: Plan }

            """
        let gates = """
            gates:
              schema_compat:
                title: Schema compatibility
                severity: P0
                checks:
                  - name: no breaking change the app uses
                    kind: graphql_diff
                    sdl: api/exported/schema.graphqls
                    baseline: api/deployed/schema.graphqls
                    documents: [web/src]
                    exclude: ["*.test.ts"]

            """
        let fragment = "import { gql } from '@apollo/client';\nexport const ACCOUNT = gql`\n  fragment AccountFields on Account {\n    id\n    email\n  }\n`;\n"
        let screen = "import { ACCOUNT } from '../graphql/fragments';\nexport const Q = gql`\n  query Viewer { viewer { ...AccountFields } }\n  ${ACCOUNT}\n`;\n"
        let search = "export const S = gql`\n  query Accounts($filter: AccountFilter) { accounts(filter: $filter) { id } }\n`;\n"
        let folder = try TemporaryFolder(files: [
            "gates.yml": gates, "project/api/deployed/schema.graphqls": baseline,
            "project/api/exported/schema.graphqls": baseline.replacingOccurrences(of: "email: String", with: ""),
            "project/web/src/graphql/fragments.ts": fragment, "project/web/src/screens/Viewer.tsx": screen,
            "project/web/src/screens/Search.ts": search,
            "project/web/src/screens/Viewer.test.ts": "const T = gql`query Old { viewer { plan } }`;\n",
        ])
        let run = try await offPool { try Binary.run(["run", "--config", "gates.yml", "--project-root", "project", "--history", "none"], in: folder) }
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("BREAKING Account.email: field removed; Viewer at web/src/graphql/fragments.ts:5:5 selects Account.email"), "\(run.stdout)")

        try folder.write("project/api/exported/schema.graphqls", baseline.replacingOccurrences(of: "input AccountFilter { plan: Plan }", with: "input AccountFilter { plan: Plan  region: String! }"))
        let input = try await offPool { try Binary.run(["run", "--config", "gates.yml", "--project-root", "project", "--history", "none"], in: folder) }
        #expect(input.status == 1)
        #expect(input.stdout.contains("BREAKING AccountFilter.region: required input field added; Accounts at web/src/screens/Search.ts:2:18 uses AccountFilter"), "\(input.stdout)")

        // Plan.PRO removed: only the excluded test file selects plan, so nothing the app uses breaks.
        try folder.write("project/api/exported/schema.graphqls", baseline.replacingOccurrences(of: "FREE PRO", with: "FREE"))
        let unused = try await offPool { try Binary.run(["run", "--config", "gates.yml", "--project-root", "project", "--history", "none"], in: folder) }
        #expect(unused.status == 0, "\(unused.stdout)")
        #expect(unused.stdout.contains("1 breaking change, used by none of the frontend's 2 operations: BREAKING Plan.PRO: enum value removed"), "\(unused.stdout)")
    }
}
