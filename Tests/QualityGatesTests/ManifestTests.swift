import Foundation
@testable import QualityGates
import TestSupport
import Testing

/// Shipped app versions' operations in the run history, and graphql_diff counting them.
struct ManifestTests {
    static func roundTrip(_ store: HistoryStore) throws {
        let first = [HistoryStore.ManifestOperation(name: "Me", document: "query Me { me { id } }", hash: "h1")]
        try store.recordManifest(app: "mobile", version: "2.1.0", operations: first, at: 100)
        try store.recordManifest(app: "web", version: "7", operations: first, at: 200)
        var manifests = try store.manifests()
        #expect(manifests.map { "\($0.app)@\($0.version)" } == ["web@7", "mobile@2.1.0"], "newest first")
        #expect(manifests.last?.operations == first)
        // Recording a version again replaces its operations.
        let second = [HistoryStore.ManifestOperation(name: "A", document: "query A { a }", hash: "h2"),
                      HistoryStore.ManifestOperation(name: "B", document: "query B { b }", hash: "h3")]
        try store.recordManifest(app: "mobile", version: "2.1.0", operations: second, at: 300)
        manifests = try store.manifests()
        #expect(manifests.first.map { "\($0.app)@\($0.version)" } == "mobile@2.1.0")
        #expect(manifests.first?.operations == second)
        #expect(try store.retireManifest(app: "mobile", version: "2.1.0", at: 400))
        #expect(!(try store.retireManifest(app: "mobile", version: "2.1.0", at: 400)), "already retired")
        #expect(try store.manifests().map(\.app) == ["web"])
        #expect(try store.manifests(includeRetired: true).first { $0.app == "mobile" }?.retired == true)
        // Recording a retired version brings it back.
        try store.recordManifest(app: "mobile", version: "2.1.0", operations: second, at: 500)
        #expect(try store.manifests().map(\.app) == ["mobile", "web"])
    }

    @Test("manifests recorded, replaced, retired and read back from a SQLite history")
    func sqlite() throws {
        let folder = try TemporaryFolder()
        let store = try HistoryStore(path: folder.path("history.sqlite"))
        defer { store.close() }
        try Self.roundTrip(store)
    }

    static let baseline = "type Query {\n  me: User\n  getAnalyticsDashboard(childId: ID!): Int\n  getAnalyticsOverview(childId: ID!): Int\n}\ntype User { id: ID! }\n"

    @Test("a field only an older app version still selects: the frontend stopped, the manifest of mobile@2.1.0 fails the gate; retired, it warns; max_age leaves old versions out")
    func shippedVersionStillUsesIt() async throws {
        let gates = """
            gates:
              schema_compat:
                title: Schema compatibility
                severity: P0
                checks:
                  - {name: shipped apps keep working, kind: graphql_diff, sdl: api/schema.graphql, baseline: api/deployed.graphql, documents: [app], manifests: [mobile]}

            """
        let folder = try TemporaryFolder(files: [
            "gates.yml": gates, "project/api/deployed.graphql": Self.baseline,
            "project/api/schema.graphql": Self.baseline.replacingOccurrences(of: "  getAnalyticsDashboard(childId: ID!): Int\n", with: ""),
            "project/app/analytics.ts": "export const Q = gql`\n  query GetAnalyticsDashboard($childId: ID!) { getAnalyticsDashboard(childId: $childId) }\n`;\n",
        ])
        let history = folder.path("reports/history.sqlite")
        func binary(_ arguments: [String]) async throws -> ProcessRunner.Result {
            try await offPool { try Binary.run(arguments, in: folder) }
        }
        let recorded = try await binary(["manifest", "record", "--app", "mobile", "--version", "2.1.0", "--documents", "app",
                                         "--project-root", "project", "--history", history])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.stdout.contains("recorded mobile@2.1.0: 1 operation"))
        // The frontend moves to the new field.
        try folder.write("project/app/analytics.ts", "export const Q = gql`\n  query GetAnalyticsOverview($childId: ID!) { getAnalyticsOverview(childId: $childId) }\n`;\n")
        let run = try await binary(["run", "--config", "gates.yml", "--project-root", "project", "--history", history])
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("BREAKING Query.getAnalyticsDashboard: field removed; mobile@2.1.0's GetAnalyticsDashboard selects Query.getAnalyticsDashboard (a shipped version)"),
                "\(run.stdout)")
        let listed = try await binary(["manifest", "list", "--history", history])
        #expect(listed.stdout.hasPrefix("mobile@2.1.0, recorded "), "\(listed.stdout)")
        let retired = try await binary(["manifest", "retire", "--app", "mobile", "--version", "2.1.0", "--history", history])
        #expect(retired.status == 0, "\(retired.stderr)")
        let after = try await binary(["run", "--config", "gates.yml", "--project-root", "project", "--history", history])
        #expect(after.status == 0, "\(after.stdout)")
        #expect(after.stdout.contains("1 breaking change, used by none of the frontend's 1 operation and of 0 shipped versions"), "\(after.stdout)")

        // An old recording falls outside max_age.
        let store = try HistoryStore(path: history)
        try store.recordManifest(app: "mobile", version: "1.9.0",
                                 operations: [.init(name: "Old", document: "query Old { getAnalyticsDashboard(childId: 1) }", hash: "x")],
                                 at: Date().timeIntervalSince1970 - 400 * 86_400)
        store.close()
        let counted = try await binary(["run", "--config", "gates.yml", "--project-root", "project", "--history", history])
        #expect(counted.status == 1, "a 400-day-old version counts without max_age: \(counted.stdout)")
        try folder.write("gates.yml", gates.replacingOccurrences(of: "manifests: [mobile]}", with: "manifests: [mobile], max_age: 180d}"))
        let aged = try await binary(["run", "--config", "gates.yml", "--project-root", "project", "--history", history])
        #expect(aged.status == 0, "\(aged.stdout)")
        let none = try await binary(["run", "--config", "gates.yml", "--project-root", "project", "--history", "none"])
        #expect(none.stdout.contains("manifests are kept in the run history, and this run has none"), "\(none.stdout)")
    }
}

extension DatabaseGateTests {
    @Test("manifests recorded, replaced, retired and read back from a PostgreSQL history")
    func postgresManifests() throws {
        let database = try HistoryDatabase()
        let store = try HistoryStore(location: database.url)
        defer { store.close() }
        try ManifestTests.roundTrip(store)
    }
}
