import Foundation
import Alembic
import ConfigFiles
@testable import GraphQLDocuments
@testable import HTTPClient
import JSON
@testable import Postgres
@testable import PythonRequirements
@testable import QualityGates
import TestSupport
import Testing

/// Every kind's `judge`, from observations made by hand: no server, no database, no helper
/// process. The registry test keeps the list of kinds here equal to the registry's.
struct JudgeTests {
    /// One kind's judge, with what it must decide.
    struct Case: CustomTestStringConvertible, Sendable {
        let kind: String
        /// Each judgement, with the outcome it must have and a part of its message.
        let judgements: @Sendable () throws -> [(CheckResult, Outcome, String)]
        var testDescription: String { kind }
    }

    /// The check a gate file with `body` (a flow mapping's keys) configures.
    static func check<T: Check>(_ body: String, as type: T.Type, target: Target = .staging) throws -> T {
        let text = gateFile(checks: "      - {name: c, \(body)}")
        let configured = try loadGates(text, environment: ["DATABASE_URL": "postgresql://u@127.0.0.1:1/db"], target: target).get()
        return try #require(configured.gates.first?.checks.first?.check as? T)
    }

    static func response(_ status: Int, _ body: String, milliseconds: Double = 10) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("content-type", "application/json")], body: Array(body.utf8),
                     timings: HTTPTimings(dns: 0, connect: 0, tls: 0, firstByte: milliseconds, total: milliseconds), finalURL: "")
    }

    static func revision(_ id: String, _ down: [String] = []) -> AlembicRevision {
        AlembicRevision(id: id, downRevisions: down, branchLabels: [], dependsOn: [], file: "versions/\(id).py", line: 1)
    }

    static let cases: [Case] = [
        Case(kind: "env") {
            let check = try JudgeTests.check("kind: env, variable: DATA_REGION, one_of: [canada-central]", as: EnvCheck.self)
            return [(check.judge(.init(value: "us-east-1", source: ".env.example", line: 3)), .failed, "us-east-1"),
                    (check.judge(.init(value: "canada-central", source: "the environment", line: nil)), .passed, "canada-central"),
                    (check.judge(.init(value: nil, source: "the environment", line: nil)), .failed, "not set")]
        },
        Case(kind: "file") {
            let check = try JudgeTests.check("kind: file, path: requirements.txt, contains: gotrue", as: FileCheck.self)
            return [(check.judge(.init(files: [("requirements.txt", "gotrue==2.5.4\n")])), .passed, "contains /gotrue/"),
                    (check.judge(.init(files: [("requirements.txt", "flask\n")])), .failed, "does not contain /gotrue/"),
                    (check.judge(.init(files: [])), .failed, "requirements.txt does not exist")]
        },
        Case(kind: "requirements_pin") {
            let check = try JudgeTests.check("kind: requirements_pin, file: requirements.txt, package: gotrue, version: 2.5.4", as: RequirementsPinCheck.self)
            func tree(_ line: String) throws -> RequirementsPinCheck.Tree {
                let requirement = try RequirementParser.parse(line, location: RequirementLocation(file: "requirements.txt", line: 1), isConstraint: false).get()
                return .init(file: "requirements.txt", entries: [requirement], filesRead: ["requirements.txt"])
            }
            return [(check.judge([try tree("gotrue==2.5.4")]), .passed, "2.5.4"),
                    (check.judge([try tree("gotrue>=2.5")]), .failed, "gotrue>=2.5 at requirements.txt:1, expected ==2.5.4")]
        },
        Case(kind: "alembic_heads") {
            let check = try JudgeTests.check("kind: alembic_heads, versions: versions", as: AlembicHeadsCheck.self)
            let one = VersionsFolder(folder: "versions", graph: RevisionGraph([revision("a"), revision("b", ["a"])]))
            let two = VersionsFolder(folder: "versions", graph: RevisionGraph([revision("a"), revision("b", ["a"]), revision("c", ["a"])]))
            return [(check.judge(one), .passed, "single head b"), (check.judge(two), .failed, "2 heads")]
        },
        Case(kind: "alembic_current") {
            let check = try JudgeTests.check("kind: alembic_current, url: \"${DATABASE_URL}\", versions: versions", as: AlembicCurrentCheck.self)
            let versions = VersionsFolder(folder: "versions", graph: RevisionGraph([revision("a"), revision("b", ["a"])]))
            return [(check.judge(.init(versions: versions, current: ["b"])), .passed, "at head b"),
                    (check.judge(.init(versions: versions, current: ["a"])), .failed, "1 revision pending"),
                    (check.judge(.init(versions: versions, current: ["zz"])), .failed, "revision zz, which no file"),
                    (check.judge(.init(versions: versions, current: nil)), .failed, "never migrated")]
        },
        Case(kind: "postgres") {
            let check = try JudgeTests.check("kind: postgres, url: \"${DATABASE_URL}\", query: \"SELECT count(*) AS count FROM users\", conditions: [\"[ROW].count >= 2\"]", as: PostgresCheck.self)
            func observed(_ count: Int64) -> PostgresCheck.Observation {
                .init(connectMilliseconds: 3, result: PostgresResult(columns: ["count"], rows: [[.integer(count)]]), queryMilliseconds: 1)
            }
            return [(check.judge(observed(5)), .passed, "[ROW].count (5) >= 2"), (check.judge(observed(1)), .failed, "[ROW].count (1) >= 2")]
        },
        Case(kind: "postgres_tables") {
            let check = try JudgeTests.check("kind: postgres_tables, url: \"${DATABASE_URL}\", tables: [users, children]", as: PostgresTablesCheck.self)
            return [(check.judge(["public.users", "public.children", "public.other"]), .passed, "all 2 tables"),
                    (check.judge(["public.users"]), .failed, "missing table: public.children (1 of 2 present)")]
        },
        Case(kind: "postgres_columns") {
            let check = try JudgeTests.check("kind: postgres_columns, url: \"${DATABASE_URL}\", table: users, columns: [{name: email, type: text}]", as: PostgresColumnsCheck.self)
            return [(check.judge([.init(name: "email", type: "text", nullable: false, defaultValue: nil)]), .passed, "users has email"),
                    (check.judge([.init(name: "email", type: "integer", nullable: false, defaultValue: nil)]), .failed, "email is integer, expected text"),
                    (check.judge(nil), .failed, "table public.users does not exist")]
        },
        Case(kind: "postgres_connections") {
            let check = try JudgeTests.check("kind: postgres_connections, url: \"${DATABASE_URL}\", max_utilisation: 80", as: PostgresConnectionsCheck.self)
            return [(check.judge(.init(inUse: 10, usable: 100)), .passed, "10 of 100"), (check.judge(.init(inUse: 90, usable: 100)), .failed, "(90.0 %) > 80 %")]
        },
        Case(kind: "http") {
            let check = try JudgeTests.check("kind: http, url: \"http://x/health\", conditions: [\"[STATUS] == 200\", \"[BODY].ok == true\"]", as: HTTPCheck.self)
            return [(check.judge(.init(response: response(200, #"{"ok": true}"#), samples: [10])), .passed, "[STATUS] (200) == 200"),
                    (check.judge(.init(response: response(503, #"{"ok": false}"#), samples: [10])), .failed, "[STATUS] (503) == 200")]
        },
        Case(kind: "graphql_query") {
            let check = try JudgeTests.check("kind: graphql_query, url: \"http://x/graphql\", query: \"{ me { id } }\", conditions: [\"[DATA].me.id == u1\"]", as: GraphQLQueryCheck.self)
            let good = try #require(JSONDocument.parse(Array(#"{"me": {"id": "u1"}}"#.utf8)))
            let bad = try #require(JSONDocument.parse(Array(#"{"me": {"id": "u2"}}"#.utf8)))
            // A child id exposed from whichever shape the backend answers; a result payload's
            // `success: false` fails however fast it came.
            let shapes = try JudgeTests.check("kind: graphql_query, url: \"http://x/graphql\", query: \"{ me { id } }\", payload_errors: true, expose: {childId: [\"[DATA].me.children.0.id\", \"[DATA].myChildren.edges.0.node.id\"]}", as: GraphQLQueryCheck.self)
            let relay = try #require(JSONDocument.parse(Array(#"{"myChildren": {"edges": [{"node": {"id": "c7"}}]}}"#.utf8)))
            let list = try #require(JSONDocument.parse(Array(#"{"me": {"children": [{"id": "c1"}]}, "myChildren": {"edges": [{"node": {"id": "c7"}}]}}"#.utf8)))
            let neither = try #require(JSONDocument.parse(Array(#"{"me": {"children": []}}"#.utf8)))
            let payload = try #require(JSONDocument.parse(Array(#"{"me": {"children": [{"id": "c1"}]}, "getAnalyticsDashboard": {"success": false, "message": "no data yet"}}"#.utf8)))
            let succeeded = try #require(JSONDocument.parse(Array(#"{"me": {"children": [{"id": "c1"}]}, "getAnalyticsDashboard": {"success": true, "error": null}}"#.utf8)))
            let fromRelay = shapes.judge(.init(response: response(200, "{}"), data: relay, timings: [10], operation: "q"))
            let fromList = shapes.judge(.init(response: response(200, "{}"), data: list, timings: [10], operation: "q"))
            #expect(fromRelay.handoff == ["childId": "c7"])
            #expect(fromList.handoff == ["childId": "c1"], "the first path that holds a value")
            return [(check.judge(.init(response: response(200, "{}"), data: good, timings: [10], operation: "the query")), .passed, "[DATA].me.id (u1) == u1"),
                    (check.judge(.init(response: response(200, "{}"), data: bad, timings: [10], operation: "the query")), .failed, "(u2)"),
                    (fromRelay, .passed, "q answered"),
                    (shapes.judge(.init(response: response(200, "{}"), data: neither, timings: [10], operation: "q")), .failed,
                     "nothing at [DATA].me.children.0.id or [DATA].myChildren.edges.0.node.id to expose as childId"),
                    (shapes.judge(.init(response: response(200, "{}"), data: payload, timings: [10], operation: "q")), .failed,
                     "getAnalyticsDashboard answered success: false: no data yet"),
                    (shapes.judge(.init(response: response(200, "{}"), data: succeeded, timings: [10], operation: "q")), .passed, "q answered")]
        },
        Case(kind: "graphql_schema") {
            let check = try JudgeTests.check("kind: graphql_schema, sdl: schema.graphql, required: [\"Query.me\", \"Query.dashboard(childId:)\"]", as: GraphQLSchemaCheck.self, target: .build)
            let good = try SchemaFields(sdl: Array("type Query { me: ID dashboard(childId: ID!): Int }".utf8))
            let renamed = try SchemaFields(sdl: Array("type Query { me: ID dashboard(child_id: ID!): Int }".utf8))
            return [(check.judge(.init(schema: good, name: "schema.graphql")), .passed, "schema.graphql has"),
                    (check.judge(.init(schema: renamed, name: "schema.graphql")), .failed, "has no argument childId (it has child_id)")]
        },
        Case(kind: "graphql_diff") {
            let check = try JudgeTests.check("kind: graphql_diff, sdl: schema.graphql, baseline: deployed.graphql", as: GraphQLDiffCheck.self, target: .build)
            let old = try SchemaDocument.parse(Array("type Query { me: ID user(id: ID): ID }".utf8))
            let same = try SchemaDocument.parse(Array("type Query { me: ID user(id: ID): ID extra: Int }".utf8))
            let stricter = try SchemaDocument.parse(Array("type Query {\n  me: ID\n  user(id: ID!): ID\n}".utf8))
            func observed(_ new: SchemaDocument) -> GraphQLDiffCheck.Observation {
                .init(old: old, new: new, baselineName: "deployed.graphql", newName: "schema.graphql", frontend: nil)
            }
            let failed = check.judge(observed(stricter))
            #expect(failed.findings.first.map { "\($0.file):\($0.line)" } == "schema.graphql:3", "the change is placed at its field in the new schema")
            return [(check.judge(observed(same)), .passed, "no breaking or dangerous change in schema.graphql against deployed.graphql (1 safe change)"),
                    (failed, .failed, "1 breaking change: BREAKING Query.user(id:): argument type changed from ID to ID!")]
        },
        Case(kind: "graphql_documents") {
            let check = try JudgeTests.check("kind: graphql_documents, sdl: schema.graphql, documents: [app]", as: GraphQLDocumentsCheck.self, target: .build)
            let folder = try TemporaryFolder(files: ["app/q.ts": "const Q = gql`\n  query Me { me { idd } }\n`;\n"])
            let frontend = try FrontendDocuments.collect(["app"], root: folder.url.path)
            let problem = ValidationResponse.Problem(document: 0, line: 2, column: 16, message: "Cannot query field \"idd\" on type \"User\".")
            func observed(_ answer: ValidationResponse) -> GraphQLDocumentsCheck.Observation {
                .init(frontend: frontend, validated: [0], answer: answer, schemaName: "schema.graphql", missingOperations: [])
            }
            return [(check.judge(observed(ValidationResponse(operations: 1))), .passed, "1 operation"),
                    (check.judge(observed(ValidationResponse(problems: [problem], operations: 1))), .failed, "Cannot query field \"idd\"")]
        },
        Case(kind: "gotrue_auth") {
            let check = try GoTrueAuthCheck.make(url: "https://project.supabase.test")
            // Older GoTrue's shape, current GoTrue's, and Supabase's gateway on a bad apikey.
            let refused = response(400, #"{"error": "invalid_grant", "error_description": "Invalid login credentials"}"#)
            let unconfirmed = response(400, #"{"code": 400, "error_code": "email_not_confirmed", "msg": "Email not confirmed"}"#)
            let badKey = response(401, #"{"message": "Invalid API key"}"#)
            return [(check.judge(.init(response: refused, timings: [10], now: 0, keySet: nil)), .failed,
                     "sign-in refused: Invalid login credentials (invalid_grant, HTTP 400); check the account's email and password"),
                    (check.judge(.init(response: unconfirmed, timings: [10], now: 0, keySet: nil)), .failed,
                     "sign-in refused: Email not confirmed (email_not_confirmed, HTTP 400); confirm the account's email"),
                    (check.judge(.init(response: badKey, timings: [10], now: 0, keySet: nil)), .failed,
                     "sign-in refused: Invalid API key (HTTP 401); the apikey is not this project's anon key")]
        },
        Case(kind: "config") {
            let check = try JudgeTests.check("kind: config, file: railway.toml, key: env.DATA_REGION, one_of: [canada-central, ca-central-1]", as: ConfigCheck.self, target: .build)
            func declared(_ value: String) -> ConfigCheck.Observation {
                .init(declarations: [.init(file: "railway.toml", key: "env.DATA_REGION",
                                           node: ConfigNode(.scalar(ConfigScalar(value, kind: .string)), line: 4, column: 15))],
                      filesRead: ["railway.toml"])
            }
            return [(check.judge(declared("ca-central-1")), .passed, "DATA_REGION = ca-central-1 at railway.toml:4"),
                    (check.judge(declared("us-east-1")), .failed, "DATA_REGION = us-east-1 at railway.toml:4")]
        },
        Case(kind: "python_package") {
            let check = try JudgeTests.check("kind: python_package, environment: .venv, package: gotrue, version: 2.5.4, renamed_to: [supabase-auth]", as: PythonPackageCheck.self, target: .build)
            func installed(_ name: String, _ version: String) -> InstalledDistributions {
                InstalledDistributions(sitePackages: ".venv/lib/python3.11/site-packages",
                                       byName: [name: .init(name: name, version: version, location: ".venv/\(name)-\(version).dist-info")])
            }
            return [(check.judge(installed("gotrue", "2.5.4")), .passed, "gotrue 2.5.4 is installed"),
                    (check.judge(installed("gotrue", "2.6.0")), .failed, "expected 2.5.4"),
                    (check.judge(installed("supabase-auth", "2.9.0")), .failed, "the package was renamed")]
        },
        Case(kind: "error_rate") {
            let check = try JudgeTests.check("kind: error_rate, window: 5, max_rate: 20%", as: ErrorRateCheck.self)
            let healthy = Array(repeating: ["a": Outcome.passed, "b": .passed], count: 5)
            let failing = Array(repeating: ["a": Outcome.failed, "b": .passed], count: 5)
            return [(check.judge(healthy), .passed, "0 of 10"), (check.judge(failing), .failed, "5 of 10 gate results")]
        },
        Case(kind: "latency_trend") {
            let check = try JudgeTests.check("kind: latency_trend, gate: auth_performance, window: 5, min_increase: 20%", as: LatencyTrendCheck.self)
            let key = HistoryStore.SeriesKey(check: "sign-in", measurement: "response_time")
            return [(check.judge([key: [100, 101, 99, 100, 100]]), .passed, "no rising latency in auth_performance"),
                    (check.judge([key: [100, 115, 130, 145, 160]]), .failed, "sign-in response_time rises: 100 → 160 ms over 5 runs")]
        },
    ]

    @Test("a GraphQL server's refusal of a document (no data, errors without a path) is told from errors raised while running it")
    func graphQLRefusal() {
        // Strawberry and graphql-core: HTTP 200, data null; Apollo Server: HTTP 400, no data.
        #expect(GraphQLQueryCheck.refusal(Self.response(200, #"{"data": null, "errors": [{"message": "Cannot query field 'children' on type 'UserProfile'.", "locations": [{"line": 1, "column": 6}]}]}"#))
                == "Cannot query field 'children' on type 'UserProfile'.")
        #expect(GraphQLQueryCheck.refusal(Self.response(400, #"{"errors": [{"message": "a", "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}, {"message": "b"}]}"#)) == "a; b")
        // A resolver's error has a path, and a nullable field still answers data: the query ran.
        #expect(GraphQLQueryCheck.refusal(Self.response(200, #"{"data": {"me": null}, "errors": [{"message": "not authenticated", "path": ["me"]}]}"#)) == nil)
        #expect(GraphQLQueryCheck.refusal(Self.response(200, #"{"data": null, "errors": [{"message": "not authenticated", "path": ["me"]}]}"#)) == nil)
        #expect(GraphQLQueryCheck.refusal(Self.response(200, #"{"data": {"me": {"id": "u1"}}}"#)) == nil)
        #expect(GraphQLQueryCheck.refusal(Self.response(500, #"{"errors": [{"message": "boom"}]}"#)) == nil)
        #expect(GraphQLQueryCheck.refusal(Self.response(200, "<html>")) == nil)
    }

    @Test("each kind's judge decides from a hand-made observation", arguments: cases)
    func judges(_ testCase: Case) throws {
        for (result, outcome, text) in try testCase.judgements() {
            #expect(result.outcome == outcome, "\(testCase.kind): \(result.message)")
            #expect(result.message.contains(text), "\(testCase.kind): \(result.message)")
        }
    }
}
