import Foundation
import GraphQLDocuments
@testable import QualityGates
import TestSupport
import Testing

/// The deployed schema recorded by staging runs, and graphql_diff's `history:` baselines.
struct SchemaHistoryTests {
    static let python = ProcessInfo.processInfo.environment["QG_TEST_PYTHON"]

    @Test("an introspection result read back as SDL is the same schema: graphql-core introspects GitHub's schema with our query, and the diff against GitHub's SDL finds nothing breaking or dangerous",
          .enabled(if: python != nil, "scripts/test sets QG_TEST_PYTHON"))
    func introspectionRoundTrip() async throws {
        let schemaPath = Paths.sharedBench.appendingPathComponent("github-schema.graphql").path
        let folder = try TemporaryFolder(files: ["query.graphql": GraphQLDocumentsCheck.introspectionQuery])
        let script = """
            import json, sys
            from graphql import build_schema, graphql_sync, print_schema
            schema = build_schema(open(sys.argv[1]).read(), assume_valid_sdl=True)
            result = graphql_sync(schema, open(sys.argv[2]).read())
            assert not result.errors, result.errors
            open(sys.argv[3], "w").write(json.dumps({"data": result.data}))
            open(sys.argv[4], "w").write(print_schema(schema))
            """
        let python = Self.python!, query = folder.path("query.graphql"), json = folder.path("introspection.json"), sdl = folder.path("printed.graphql")
        let run = try await offPool { try ProcessRunner.run(python, ["-c", script, schemaPath, query, json, sdl], timeout: 120) }
        #expect(run.status == 0, "\(run.stderr)")
        let fromIntrospection = try IntrospectionSchema.sdl(fromJSON: Array(try Data(contentsOf: URL(fileURLWithPath: json))))
        let old = try SchemaDocument.parse(Array(try String(contentsOfFile: sdl, encoding: .utf8).utf8))
        let new = try SchemaDocument.parse(Array(fromIntrospection.utf8))
        let changes = SchemaDiff.changes(from: old, to: new).filter { $0.level != .safe }
        #expect(changes.isEmpty, "\(changes.prefix(5).map(\.message))")
        #expect(new.types.count > 1000)
        #expect(new.types["Repository"]?.fields.contains { $0.deprecated } == true, "deprecations come through")
    }

    @Test("a staging run that introspects records the schema when it changes; a build run's graphql_diff reads it as history:staging; quality-gates history says when it last changed",
          .enabled(if: TestDatabase.available, "scripts/test installs the venv the backend runs in"))
    func recordedAndRead() async throws {
        let healthy = try StrawberryServer()
        let renamed = try StrawberryServer(["NESTSYNC_RENAME_ANALYTICS": "1"])
        let folder = try TemporaryFolder()
        try FileManager.default.copyItem(at: Paths.packageRoot.appendingPathComponent("examples/nestsync"), to: folder.url.appendingPathComponent("project"))
        let exported = folder.read("project/NestSync-backend/schema.graphql")
        try folder.write("project/NestSync-backend/next.graphql", exported.replacingOccurrences(of: "getAnalyticsDashboard", with: "getAnalyticsOverview"))
        func gates(_ url: String) -> String {
            """
            gates:
              graphql_schema_health:
                title: GraphQL Schema Mismatch
                severity: P0
                checks:
                  - {name: live schema, kind: graphql_documents, url: "\(url)", documents: [NestSync-frontend], targets: [staging]}
                  - {name: against the deployed schema, kind: graphql_diff, sdl: NestSync-backend/next.graphql, baseline: "history:staging", targets: [build]}

            """
        }
        let history = folder.path("history.sqlite")
        func run(_ target: String, _ url: String) async throws -> ProcessRunner.Result {
            try folder.write("gates.yml", gates(url))
            return try await offPool { try Binary.run(["run", "--config", "gates.yml", "--project-root", "project", "--target", target, "--history", history], in: folder) }
        }
        let none = try await run("build", healthy.url)
        #expect(none.stdout.contains("baseline history:staging: no schema recorded yet"), "\(none.stdout)")
        let staging = try await run("staging", healthy.url)
        #expect(staging.status == 0, "\(staging.stdout)\(staging.stderr)")
        _ = try await run("staging", healthy.url)
        let store = try HistoryStore(path: history)
        #expect(try store.schemas(target: "staging").count == 1, "the same schema twice is recorded once")
        store.close()
        let build = try await run("build", healthy.url)
        #expect(build.status == 1, "\(build.stdout)")
        #expect(build.stdout.contains("BREAKING Query.getAnalyticsDashboard: field removed in NestSync-backend/next.graphql against the staging schema recorded in the history ("),
                "\(build.stdout)")
        // The backend changes: a new version is recorded, and the exported schema now matches it.
        _ = try await run("staging", renamed.url)
        let again = try HistoryStore(path: history)
        #expect(try again.schemas(target: "staging").count == 2)
        again.close()
        let matching = try await run("build", renamed.url)
        #expect(matching.status == 0, "\(matching.stdout)")
        let shown = try await offPool { try Binary.run(["history", "--target", "staging", "--history", history], in: folder) }
        #expect(shown.stdout.contains("The staging GraphQL schema (as introspected): last changed "), "\(shown.stdout)")
        #expect(shown.stdout.contains("2 versions recorded"))
    }

    @Test("graphql_diff reads this change's schema from a live endpoint (url) on staging: the renamed resolver breaks the frontend's GetAnalyticsDashboard",
          .enabled(if: TestDatabase.available, "scripts/test installs the venv the backend runs in"))
    func liveSchema() async throws {
        let renamed = try StrawberryServer(["NESTSYNC_RENAME_ANALYTICS": "1"])
        let folder = try TemporaryFolder(files: ["gates.yml": """
            gates:
              graphql_schema_health:
                title: GraphQL Schema Mismatch
                severity: P0
                checks:
                  - {name: live against exported, kind: graphql_diff, url: "\(renamed.url)", baseline: NestSync-backend/schema.graphql, documents: [NestSync-frontend]}

            """])
        try FileManager.default.copyItem(at: Paths.packageRoot.appendingPathComponent("examples/nestsync"), to: folder.url.appendingPathComponent("project"))
        let staging = try await offPool { try Binary.run(["run", "--config", "gates.yml", "--project-root", "project", "--target", "staging", "--history", "none"], in: folder) }
        #expect(staging.status == 1, "\(staging.stdout)\(staging.stderr)")
        #expect(staging.stdout.contains("BREAKING Query.getAnalyticsDashboard: field removed; GetAnalyticsDashboard at NestSync-frontend/"), "\(staging.stdout)")
        let build = try await offPool { try Binary.run(["run", "--config", "gates.yml", "--project-root", "project", "--target", "build", "--history", "none"], in: folder) }
        #expect(build.status == 0, "\(build.stdout)")
        #expect(folder.read("reports/report.json").contains("introspection runs on the staging target only"))
    }
}
