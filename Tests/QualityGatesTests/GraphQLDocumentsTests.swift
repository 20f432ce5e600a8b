import Foundation
import GraphQLDocuments
@testable import QualityGates
import TestSupport
import Testing

/// `graphql_documents` on the example project's frontend: against its exported SDL (build) and
/// against a real Strawberry app by introspection (staging).
@Suite(.serialized)
struct GraphQLDocumentsTests {
    static let example = Paths.packageRoot.appendingPathComponent("examples/nestsync")

    private func check(_ schema: String, root: URL = example, target: Target = .build) throws -> CheckResult {
        let text = gateFile(checks: """
              - name: frontend operations
                kind: graphql_documents
                \(schema)
                documents: [NestSync-frontend]
        """)
        let configured = try #require(try loadGates(text, target: target).get().gates.first?.checks.first)
        return configured.check.run(CheckContext(projectRoot: root, environment: Environment([:]), target: target, timeout: 20))
    }

    /// A copy of the example project with one frontend file changed.
    private func plant(_ file: String, _ change: (String) -> String) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try FileManager.default.removeItem(at: folder.url)
        try FileManager.default.copyItem(at: Self.example, to: folder.url)
        let path = folder.path(file)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let changed = change(text)
        #expect(changed != text, "the planted fault changed nothing")
        try folder.write(file, changed)
        return folder
    }

    @Test("the example frontend is valid against the exported SDL")
    func healthyBuild() throws {
        let result = try check("sdl: NestSync-backend/schema.graphql")
        #expect(result.outcome == .passed, "\(result.message)")
        #expect(result.message.hasPrefix("5 operations and 1 fragment in 4 files are valid against NestSync-backend/schema.graphql"), "\(result.message)")
    }

    @Test("a frontend asking child_id gets the camelCase hint at the exact file:line:column, from the SDL alone")
    func childIdBuild() throws {
        let folder = try plant("NestSync-frontend/lib/graphql/queries.ts") {
            $0.replacingOccurrences(of: "      childId\n      totalChanges", with: "      child_id\n      totalChanges")
        }
        let result = try check("sdl: NestSync-backend/schema.graphql", root: folder.url)
        #expect(result.outcome == .failed)
        #expect(result.message == #"NestSync-frontend/lib/graphql/queries.ts:22:7: Cannot query field "child_id" on type "AnalyticsDashboard"; the schema names it "childId" (camelCase)"#)
        #expect(result.findings == [Finding(file: "NestSync-frontend/lib/graphql/queries.ts", line: 22, column: 7,
                                            message: #"Cannot query field "child_id" on type "AnalyticsDashboard"; the schema names it "childId" (camelCase)"#)])
    }

    @Test("a renamed resolver in the exported SDL fails the operations that use it")
    func renamedBuild() throws {
        let folder = try plant("NestSync-backend/schema.graphql") { $0.replacingOccurrences(of: "getAnalyticsDashboard", with: "getAnalyticsOverview") }
        let result = try check("sdl: NestSync-backend/schema.graphql", root: folder.url)
        #expect(result.outcome == .failed)
        #expect(result.message.contains(#"NestSync-frontend/lib/graphql/queries.ts:21:5: Cannot query field "getAnalyticsDashboard" on type "Query". Did you mean "getAnalyticsOverview"?"#),
                "\(result.message)")
    }
}

/// The schema as a frontend's codegen saves it: an introspection result in JSON, made here by
/// graphql-core from the example's SDL.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["QG_TEST_PYTHON"] != nil, "scripts/test makes the venv with graphql-core"))
struct GraphQLIntrospectionFileTests {
    /// A copy of the example whose only schema is `NestSync-frontend/graphql.schema.json`, made
    /// from the SDL after `change`.
    private func project(_ change: (String) -> String = { $0 }) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try FileManager.default.removeItem(at: folder.url)
        try FileManager.default.copyItem(at: GraphQLDocumentsTests.example, to: folder.url)
        let sdl = change(folder.read("NestSync-backend/schema.graphql"))
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("NestSync-backend/schema.graphql"))
        try folder.write("schema.sdl", sdl)
        let python = try #require(ProcessInfo.processInfo.environment["QG_TEST_PYTHON"])
        let script = "import json, sys; from graphql import build_schema, introspection_from_schema; "
            + "json.dump({'data': introspection_from_schema(build_schema(open(sys.argv[1]).read()))}, open(sys.argv[2], 'w'), indent=2)"
        let made = try ProcessRunner.run(python, ["-c", script, folder.path("schema.sdl"), folder.path("NestSync-frontend/graphql.schema.json")],
                                         environment: ProcessInfo.processInfo.environment, directory: folder.url, timeout: 60)
        #expect(made.status == 0, "\(made.stderr)")
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("schema.sdl"))
        return folder
    }

    private func run(_ check: String, in folder: TemporaryFolder) throws -> CheckResult {
        let text = gateFile(checks: "      - {name: c, \(check)}")
        let configured = try #require(try loadGates(text, target: .build).get().gates.first?.checks.first)
        return configured.check.run(CheckContext(projectRoot: folder.url, environment: Environment([:]), target: .build, timeout: 20))
    }

    @Test("an introspection result in JSON is read as the schema: the frontend valid, the resolvers found, a rename caught")
    func introspectionFile() throws {
        let sdl = #"sdl: ["**/schema.graphql", "**/graphql.schema.json"]"#
        let healthy = try project()
        let documents = try run("kind: graphql_documents, \(sdl), documents: [NestSync-frontend]", in: healthy)
        #expect(documents.outcome == .passed, "\(documents.message)")
        #expect(documents.message.contains("valid against NestSync-frontend/graphql.schema.json"), "\(documents.message)")
        let resolvers = try run("kind: graphql_schema, \(sdl), required: [Query.getAnalyticsDashboard, Query.me]", in: healthy)
        #expect(resolvers.outcome == .passed, "\(resolvers.message)")

        let renamed = try project { $0.replacingOccurrences(of: "getAnalyticsDashboard", with: "getAnalyticsOverview") }
        let broken = try run("kind: graphql_documents, \(sdl), documents: [NestSync-frontend]", in: renamed)
        #expect(broken.outcome == .failed)
        #expect(broken.message.contains(#"Cannot query field "getAnalyticsDashboard" on type "Query". Did you mean "getAnalyticsOverview"?"#), "\(broken.message)")
        let missing = try run("kind: graphql_schema, \(sdl), required: [Query.getAnalyticsDashboard]", in: renamed)
        #expect(missing.outcome == .failed, "\(missing.message)")
    }

    @Test("a JSON file that is not an introspection result is an error that says so")
    func notIntrospection() throws {
        let folder = try TemporaryFolder(files: ["graphql.schema.json": #"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}"#])
        let result = try run("kind: graphql_schema, sdl: graphql.schema.json, required: [Query.me]", in: folder)
        #expect(result.outcome == .errored)
        #expect(result.message == "graphql.schema.json is JSON, but not a GraphQL introspection result (the introspection response has no __schema.types); give the schema in SDL, or an introspection query's answer")
    }
}

/// The same against a live Strawberry backend.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["QG_TEST_PYTHON"] != nil, "scripts/test makes the venv with Strawberry"))
struct GraphQLDocumentsLiveTests {
    private func check(_ url: String) throws -> CheckResult {
        let text = gateFile(checks: """
              - name: frontend operations
                kind: graphql_documents
                url: \(url)
                documents: [NestSync-frontend]
        """)
        let configured = try #require(try loadGates(text, target: .staging).get().gates.first?.checks.first)
        return configured.check.run(CheckContext(projectRoot: GraphQLDocumentsTests.example, environment: Environment([:]), target: .staging, timeout: 20))
    }

    @Test("the frontend is valid against the healthy backend's introspection")
    func healthy() async throws {
        // The backend's start and the check's requests wait off the test pool.
        let server = try await offPoolAwaited { try StrawberryServer() }
        let result = try await offPoolAwaited { try check(server.url) }
        #expect(result.outcome == .passed, "\(result.message)")
    }

    @Test("a renamed resolver is caught in staging, with the new name suggested")
    func renamed() async throws {
        let server = try await offPoolAwaited { try StrawberryServer(["NESTSYNC_RENAME_ANALYTICS": "1"]) }
        let result = try await offPoolAwaited { try check(server.url) }
        #expect(result.outcome == .failed)
        #expect(result.message.contains(#"queries.ts:21:5: Cannot query field "getAnalyticsDashboard" on type "Query". Did you mean "getAnalyticsOverview"?"#),
                "\(result.message)")
    }

    @Test("a backend with auto camel case off gets the snake_case hint for every camelCase name")
    func snakeCaseBackend() async throws {
        let server = try await offPoolAwaited { try StrawberryServer(["NESTSYNC_AUTO_CAMEL_CASE": "0"]) }
        let result = try await offPoolAwaited { try check(server.url) }
        #expect(result.outcome == .failed)
        #expect(result.findings.contains {
            $0.file == "NestSync-frontend/lib/graphql/fragments.ts" && $0.line == 6
                && $0.message == #"Cannot query field "childId" on type "Child"; the schema names it "child_id" (snake_case)"#
        }, "\(result.details)")
        #expect(result.findings.contains { $0.message.contains(#"the schema names it "get_analytics_dashboard" (snake_case)"#) })
    }

    @Test("introspection disabled, without_introspection: probe: the server validates each document; the healthy frontend passes, a wrong argument and a broken fragment are placed at file:line:column once, in the server's words")
    func validatedByTheServer() async throws {
        let server = try await offPoolAwaited { try StrawberryServer(["NESTSYNC_DISABLE_INTROSPECTION": "1"]) }
        func run(_ edit: (TemporaryFolder) throws -> Void) throws -> CheckResult {
            let folder = try TemporaryFolder()
            try FileManager.default.copyItem(at: GraphQLDocumentsTests.example.appendingPathComponent("NestSync-frontend"),
                                             to: folder.url.appendingPathComponent("NestSync-frontend"))
            try edit(folder)
            let text = gateFile(checks: "      - {name: f, kind: graphql_documents, url: \"\(server.url)\", without_introspection: probe, documents: [NestSync-frontend]}")
            let configured = try #require(try loadGates(text, target: .staging).get().gates.first?.checks.first)
            return configured.check.run(CheckContext(projectRoot: folder.url, environment: Environment([:]), target: .staging, timeout: 20))
        }
        let healthy = try await offPoolAwaited { try run { _ in } }
        #expect(healthy.outcome == .passed, "\(healthy.message)")
        #expect(healthy.message.contains("introspection is turned off there: validated by the server"), "\(healthy.message)")
        let wrong = try await offPoolAwaited {
            try run { folder in
                let path = "NestSync-frontend/lib/graphql/queries.ts"
                try folder.write(path, folder.read(path).replacingOccurrences(of: "getAnalyticsDashboard(childId:", with: "getAnalyticsDashboard(child_id:"))
            }
        }
        #expect(wrong.outcome == .failed)
        #expect(wrong.findings.contains { $0.file == "NestSync-frontend/lib/graphql/queries.ts" && $0.line == 21 && $0.column == 27
            && $0.message.hasPrefix("Unknown argument 'child_id' on field 'Query.getAnalyticsDashboard'.") }, "\(wrong.details)")
        let fragment = try await offPoolAwaited {
            try run { folder in
                let path = "NestSync-frontend/lib/graphql/fragments.ts"
                try folder.write(path, folder.read(path).replacingOccurrences(of: "    dateOfBirth\n", with: "    dateOfBirthday\n"))
            }
        }
        #expect(fragment.outcome == .failed)
        let placed = fragment.findings.filter { $0.file == "NestSync-frontend/lib/graphql/fragments.ts" && $0.message.contains("dateOfBirthday") }
        #expect(placed.count == 1 && placed.first?.line == 8, "\(fragment.details)")
    }

    @Test("introspection disabled is an error that says so")
    func introspectionDisabled() async throws {
        let server = try await offPoolAwaited { try StrawberryServer(["NESTSYNC_DISABLE_INTROSPECTION": "1"]) }
        let result = try await offPoolAwaited { try check(server.url) }
        #expect(result.outcome == .errored)
        #expect(result.message.hasPrefix("introspection is disabled at"), "\(result.message)")
    }
}

/// The helper process misbehaving: the check errors with its own message and never hangs.
struct GraphQLHelperTests {
    /// The check on a small frontend of `files` against `schema`.
    private func small(_ files: [String: String], schema: String = "type Query { me: User child(id: ID!): User }\ntype User { id: ID email: String }\n") throws -> CheckResult {
        var all = files
        all["schema.graphql"] = schema
        let folder = try TemporaryFolder(files: all)
        let text = gateFile(checks: "      - {name: docs, kind: graphql_documents, sdl: schema.graphql, documents: [app]}")
        let configured = try #require(try loadGates(text, target: .build).get().gates.first?.checks.first)
        return configured.check.run(CheckContext(projectRoot: folder.url, environment: Environment([:]), target: .build, timeout: 20))
    }

    @Test("the defects the issue found, by name: a variable a fragment from another template uses, fragments only unused fragments spread, a broken operation's fragments, schema errors' places")
    func regressions() throws {
        let undefined = try small([
            "app/frag.ts": "export const CHILD = gql`\n  fragment ChildBits on Query { child(id: $childId) { id } }\n`;\n",
            "app/q.ts": "import { CHILD } from './frag';\nconst Q = gql`\n  query Kid { me { id } ...ChildBits }\n  ${CHILD}\n`;\n",
        ])
        #expect(undefined.outcome == .failed)
        #expect(undefined.message.contains("app/frag.ts:2:43: Variable \"$childId\" is not defined by operation \"Kid\""), "\(undefined.message)")
        let dead = try small(["app/a.ts": """
            const A = gql`fragment Unused on User { id ...OnlyViaUnused }`;
            const B = gql`fragment OnlyViaUnused on User { email }`;
            const C = gql`query Me { me { id ...OnlyViaUnused } }`;
            const D = gql`fragment Really on User { id ...Chained }`;
            const E = gql`fragment Chained on User { email }`;
            """])
        let deadFindings = dead.findings.map(\.message).filter { $0.contains("never used") }
        #expect(deadFindings.count == 3, "Unused, Really and Chained, which only Really spreads: \(deadFindings)")
        let broken = try small(["app/a.ts": "const Q = gql`\n  query Broken { me { ...UsedByBroken }\n`;\nconst F = gql`fragment UsedByBroken on User { id }`;\n"])
        #expect(broken.message.contains("Syntax Error"))
        #expect(!broken.findings.contains { $0.message.contains("UsedByBroken\" is never used") }, "a broken operation's fragments are not dead")
        let sdl = try small(["app/a.ts": "const Q = gql`query { me { id } }`;\n"], schema: "type Query { me: User }\ntype User { id: ID\n  friend: Usr }\n")
        #expect(sdl.outcome == .errored)
        #expect(sdl.message.hasPrefix("schema.graphql:3:11: Unknown type \"Usr\""), "\(sdl.message)")
    }

    @Test("the verdict cache: the same inputs read the kept verdict; any change to the schema, a document, the rules or the version validates again")
    func verdictCache() throws {
        let folder = try TemporaryFolder(files: ["schema.graphql": "type Query { me: User }\ntype User { id: ID email: String }\n",
                                                 "app/q.ts": "const Q = gql`query Me { me { id } }`;\n"])
        let cache = try TemporaryFolder()
        func run(rules: String = "", tool: String = "quality-gates 1") throws -> CheckResult {
            let text = gateFile(checks: "      - {name: docs, kind: graphql_documents, sdl: schema.graphql, documents: [app]\(rules)}")
            let configured = try #require(try loadGates(text, target: .build).get().gates.first?.checks.first)
            var context = CheckContext(projectRoot: folder.url, environment: Environment([:]), target: .build, timeout: 20)
            context.cacheFolder = cache.url.path
            context.tool = tool
            return configured.check.run(context)
        }
        func cached(_ result: CheckResult) -> Bool {
            (result.details.last ?? result.message).contains("verdict from the cache")
        }
        let first = try run()
        #expect(first.outcome == .passed && !cached(first))
        #expect(cached(try run()), "nothing changed: the kept verdict")
        try folder.write("schema.graphql", "type Query { me: User }\ntype User { uid: ID email: String }\n")
        let renamed = try run()
        #expect(renamed.outcome == .failed && !cached(renamed), "a schema change validates again")
        try folder.write("app/q.ts", "const Q = gql`query Me { me { uid } }`;\n")
        let fixed = try run()
        #expect(fixed.outcome == .passed && !cached(fixed), "a document change validates again")
        #expect(cached(try run()))
        #expect(!cached(try run(rules: ", rules: {ScalarLeafs: warn}")), "a rules change validates again")
        #expect(!cached(try run(tool: "quality-gates 2")), "another version validates again")
    }

    private func script(_ body: String) throws -> (TemporaryFolder, String) {
        let folder = try TemporaryFolder(files: ["helper": "#!/bin/sh\n" + body + "\n"])
        chmod(folder.path("helper"), 0o755)
        return (folder, folder.path("helper"))
    }

    private func problem(_ helper: String, timeout: Double = 10) -> HelperProcessError? {
        let request = ValidationRequest(schema: .init(name: "s", sdl: "type Query { a: Int }"), documents: [])
        do {
            _ = try ValidatorHelper.validate(request, timeout: timeout, helper: helper)
            return nil
        } catch {
            return error
        }
    }

    @Test("missing, hanging, crashing, failing and garbage-answering helpers: each a typed error")
    func misbehaving() throws {
        let program = ValidatorHelper.program
        guard case .missing(program, let hint)? = problem("/nonexistent/quality-gates-graphql") else { Issue.record("not missing"); return }
        #expect(hint.hasPrefix("no /nonexistent/quality-gates-graphql"))
        let (hangFolder, hang) = try script("exec sleep 30")
        let clock = ContinuousClock()
        let started = clock.now
        let hung = problem(hang, timeout: 0.5)
        #expect(hung == .timedOut(program: program, seconds: 0.5, hint: "raise the check's timeout"))
        #expect(hung?.message == "the GraphQL validator did not finish within 0.5 s; raise the check's timeout")
        #expect(clock.now - started < .seconds(10))
        let (crashFolder, crash) = try script("cat >/dev/null; echo 'Fatal error: oops' >&2; kill -SEGV $$")
        #expect(problem(crash) == .crashed(program: program, signal: 11, stderr: "Fatal error: oops"))
        let (failFolder, fail) = try script("cat >/dev/null; echo 'bad request' >&2; exit 2")
        #expect(problem(fail) == .failed(program: program, status: 2, stderr: "bad request"))
        let (garbageFolder, garbage) = try script("cat >/dev/null; echo '<html>'")
        #expect(problem(garbage) == .noAnswer(program: program, expected: "validation answer", stderr: ""))
        // A helper that never reads its input must not block the writer.
        let (deafFolder, deaf) = try script("exit 3")
        #expect(problem(deaf) == .failed(program: program, status: 3, stderr: ""))
        _ = (hangFolder, crashFolder, failFolder, garbageFolder, deafFolder)
    }
}
