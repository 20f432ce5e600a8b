import Foundation
import TestSupport
import Testing
@testable import QualityGates

/// `graphql_schema` against a real Strawberry app serving the NestSync schema.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["QG_TEST_PYTHON"] != nil, "scripts/test makes the venv with Strawberry"))
struct GraphQLSchemaTests {
    private func check(_ url: String, target: Target = .staging) throws -> CheckResult {
        let text = gateFile(checks: """
              - name: critical resolvers
                kind: graphql_schema
                url: \(url)
                required: ["Query.getAnalyticsDashboard(childId: ID!, periodDays: Int!)", Query.getNotificationPreferences, Query.me]
        """)
        let configured = try #require(try loadGates(text, target: target).get().gates.first?.checks.first)
        return configured.check.run(CheckContext(projectRoot: URL(fileURLWithPath: "/"), environment: Environment([:]), target: target, timeout: 10))
    }

    @Test("the healthy backend passes, by introspection")
    func healthy() async throws {
        // The backend's start and the check's requests wait off the test pool.
        let server = try await offPoolAwaited { try StrawberryServer() }
        let result = try await offPoolAwaited { try check(server.url) }
        #expect(result.outcome == .passed, "\(result.message)")
    }

    @Test("an endpoint that answers nobody without a token: introspection with use_token sends the sign-in's token, for the schema and the frontend's operations; without it, the 401 is the error")
    func tokenForIntrospection() async throws {
        let gotrue = try MisbehavingServer()
        let server = try await offPoolAwaited {
            try StrawberryServer(["NESTSYNC_AUTH_EVERYTHING": "1", "NESTSYNC_JWT_SECRET": gotrue.gotrueEnvironment["SUPABASE_JWT_SECRET"]!])
        }
        let gates = """
            gates:
              auth:
                title: Auth
                severity: P0
                checks:
                  - {name: sign-in, kind: gotrue_auth, url: "${SUPABASE_URL}", apikey: "${SUPABASE_ANON_KEY}", email: parents@nestsync.com, password: "${SMOKE_PASSWORD}", jwt_secret: "${SUPABASE_JWT_SECRET}"}
              schema:
                title: Schema
                severity: P0
                checks:
                  - {name: with the token, kind: graphql_schema, url: "\(server.url)", use_token: true, required: [Query.me], needs: [auth/sign-in]}
                  - {name: operations with the token, kind: graphql_documents, url: "\(server.url)", use_token: true, documents: [app], needs: [auth/sign-in]}
                  - {name: anonymous, kind: graphql_schema, url: "\(server.url)", required: [Query.me]}

            """
        let folder = try TemporaryFolder(files: ["gates.yml": gates, "project/app/me.ts": "const Q = gql`\n  query Me { me { id } }\n`;\n"])
        let result = try await offPoolAwaited {
            try Binary.run(["run", "--config", "gates.yml", "--project-root", "project", "--target", "staging", "--history", "none"],
                           in: folder, environment: gotrue.gotrueEnvironment)
        }
        let report = try JSONReporter.decode(Array(folder.read("reports/report.json").utf8))
        let outcomes = Dictionary(uniqueKeysWithValues: report.allChecks.map { ($0.name, $0) })
        #expect(outcomes["with the token"]?.outcome == .passed, "\(outcomes["with the token"]?.message ?? "")")
        #expect(outcomes["operations with the token"]?.outcome == .passed, "\(outcomes["operations with the token"]?.message ?? "")")
        #expect(outcomes["anonymous"]?.outcome == .errored)
        #expect(outcomes["anonymous"]?.message == "\(server.url) answered introspection with HTTP 401", "\(outcomes["anonymous"]?.message ?? "")")
        #expect(result.status == 1)
        #expect(!result.stdout.contains("eyJ") && !folder.read("reports/report.json").contains("eyJ"), "a token leaked")
        let refused = try loadGates(gateFile(checks: "      - {name: s, kind: graphql_schema, sdl: schema.graphql, use_token: true, required: [Query.me]}"), target: .build)
        #expect(throws: (any Error).self) { try refused.get() }
    }

    @Test("a renamed resolver names the closest field")
    func renamed() async throws {
        let server = try await offPoolAwaited { try StrawberryServer(["NESTSYNC_RENAME_ANALYTICS": "1"]) }
        let result = try await offPoolAwaited { try check(server.url) }
        #expect(result.outcome == .failed)
        #expect(result.message.contains("Query.getAnalyticsDashboard is missing from http://127.0.0.1:\(server.port)/graphql; closest: getAnalyticsOverview"),
                "\(result.message)")
    }

    @Test("a backend with Strawberry's auto camel case turned off shows its snake_case names")
    func snakeCase() async throws {
        let server = try await offPoolAwaited { try StrawberryServer(["NESTSYNC_AUTO_CAMEL_CASE": "0"]) }
        let result = try await offPoolAwaited { try check(server.url) }
        #expect(result.outcome == .failed)
        #expect(result.message.contains("closest: get_analytics_dashboard"), "\(result.message)")
        #expect(result.message.contains("Query.getNotificationPreferences is missing"), "\(result.message)")
    }

    @Test("introspection disabled is an error that says so")
    func introspectionDisabled() async throws {
        let server = try await offPoolAwaited { try StrawberryServer(["NESTSYNC_DISABLE_INTROSPECTION": "1"]) }
        let result = try await offPoolAwaited { try check(server.url) }
        #expect(result.outcome == .errored)
        #expect(result.message.hasPrefix("introspection is disabled at http://127.0.0.1:\(server.port)/graphql"), "\(result.message)")
    }

    @Test("introspection disabled, without_introspection: probe: the required names are asked by validation; present passes, a renamed resolver and a wrong argument fail in the server's words")
    func probedWithoutIntrospection() async throws {
        let healthy = try await offPoolAwaited { try StrawberryServer(["NESTSYNC_DISABLE_INTROSPECTION": "1"]) }
        let renamed = try await offPoolAwaited { try StrawberryServer(["NESTSYNC_DISABLE_INTROSPECTION": "1", "NESTSYNC_RENAME_ANALYTICS": "1"]) }
        func probe(_ url: String, _ required: String) throws -> CheckResult {
            let text = gateFile(checks: "      - {name: s, kind: graphql_schema, url: \"\(url)\", without_introspection: probe, required: \(required)}")
            let configured = try #require(try loadGates(text, target: .staging).get().gates.first?.checks.first)
            return configured.check.run(CheckContext(projectRoot: URL(fileURLWithPath: "/"), environment: Environment([:]), target: .staging, timeout: 10))
        }
        let all = "[\"Query.getAnalyticsDashboard(childId: ID!, periodDays:)\", Query.me, Query.getNotificationPreferences, Mutation.logDiaperChange, User.id]"
        let passed = try await offPoolAwaited { try probe(healthy.url, all) }
        #expect(passed.outcome == .passed, "\(passed.message)")
        #expect(passed.message.hasSuffix("(introspection is turned off there: asked by validation probes; argument types not checked)"), "\(passed.message)")
        let failed = try await offPoolAwaited { try probe(renamed.url, "[Query.getAnalyticsDashboard, Query.me]") }
        #expect(failed.outcome == .failed)
        #expect(failed.message.hasPrefix("Query.getAnalyticsDashboard is missing from \(renamed.url) (Cannot query field 'getAnalyticsDashboard' on type 'Query'. Did you mean 'getAnalyticsOverview'?)"),
                "\(failed.message)")
        let wrong = try await offPoolAwaited { try probe(healthy.url, "[\"Query.getAnalyticsDashboard(child_id:)\", Kid]") }
        #expect(wrong.message.contains("Query.getAnalyticsDashboard(child_id:) is missing from \(healthy.url) (Unknown argument 'child_id' on field 'Query.getAnalyticsDashboard'."),
                "\(wrong.message)")
        #expect(wrong.message.contains("Kid is missing from \(healthy.url) (Unknown type 'Kid'."), "\(wrong.message)")
    }

    @Test("on the build target, introspection is skipped: no network")
    func buildTarget() throws {
        let result = try check("http://127.0.0.1:1/graphql", target: .build)
        #expect(result.outcome == .skipped)
        #expect(result.message == "introspection runs on the staging target only")
    }

    @Test("garbage answers are errors or failures, each with its own message")
    func garbage() throws {
        let server = try MisbehavingServer()
        let base = "http://127.0.0.1:\(server.port)"
        #expect(try check(server.url("/500")).message == "\(base)/500 answered introspection with HTTP 500")
        #expect(try check(server.url("/invalid-json")).message
                == "\(base)/invalid-json answered introspection with something that is not JSON (application/json)")
        let errors = try check(server.url("/graphql-errors"))
        #expect(errors.outcome == .failed)
        #expect(errors.message == "introspection at \(base)/graphql-errors returned errors: boom")
        #expect(try check(server.url("/echo")).message == "\(base)/echo answered introspection without a __schema")
        // Apollo Server refuses introspection in production with HTTP 400 and its own wording.
        let apollo = try check(server.url("/graphql-apollo-no-introspection"))
        #expect(apollo.outcome == .errored)
        #expect(apollo.message.hasPrefix("introspection is disabled at \(base)/graphql-apollo-no-introspection (GraphQL introspection is not allowed by Apollo Server"),
                "\(apollo.message)")
        #expect(try check("http://127.0.0.1:1/graphql").message.hasPrefix("cannot connect to http://127.0.0.1:1/graphql"))
        #expect(try check(server.url("/hang")).outcome == .errored)
    }
}
