import Foundation
@testable import QualityGates
import TestSupport
import Testing

/// The pack's analytics_performance gate end to end: the real binary signs in at the
/// GoTrue-compatible endpoint, asks the backend for the smoke account's child, and times the
/// frontend's own GetAnalyticsDashboard with that child on a real Strawberry backend (which
/// refuses analytics without a token signed with the JWT secret).
@Suite(.serialized, .enabled(if: TestDatabase.available && ProcessInfo.processInfo.environment["QG_TEST_PYTHON"] != nil,
                             "scripts/test starts PostgreSQL and makes the venv with Strawberry"))
struct AnalyticsPerformanceTests {
    /// The seeded child of the smoke account (scripts/lib/postgres.sh).
    static let child = "3d9b5a70-2c1e-4f8a-b6d4-7e2f1c0a9b81"

    private func runPack(_ switches: [String: String], gotrue: MisbehavingServer, environment extra: [String: String] = [:],
                         project: (TemporaryFolder) throws -> Void = { _ in }) throws -> (ProcessRunner.Result, TemporaryFolder) {
        let backend = try StrawberryServer(["NESTSYNC_JWT_SECRET": gotrue.gotrueEnvironment["SUPABASE_JWT_SECRET"]!,
                                            "DATABASE_URL": TestDatabase.appURL()].merging(switches) { $1 })
        let folder = try TemporaryFolder()
        try Binary.copyExample(into: folder)
        try project(folder)
        let environment = gotrue.gotrueEnvironment.merging(["GRAPHQL_URL": backend.url, "DATABASE_URL": TestDatabase.appURL(),
                                                            "DATA_REGION": "canada-central"]) { $1 }.merging(extra) { $1 }
        let result = try Binary.run(["run", "--config", "gates/nestsync.yml", "--project-root", "project", "--target", "staging",
                                     "--history", "none"], in: folder, environment: environment, timeout: 120)
        return (result, folder)
    }

    @Test("the signed-in dashboard query passes within 3 s: the frontend's operation, the token and the child handed over")
    func healthy() throws {
        let gotrue = try MisbehavingServer()
        let (result, folder) = try runPack([:], gotrue: gotrue)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = folder.read("reports/report.json")
        #expect(report.contains("GetAnalyticsDashboard answered: p95 ("), "\(report)")
        #expect(report.contains("ms) < 3000 ms over 10 samples"))
        // Eleven sign-ins (one whose token the backend checks used, ten timed): every session is
        // ended, the handed-on one after the checks that used it (which passed).
        #expect(try gotrue.openSessions() == 0)
        for secret in ["eyJ", "test-jwt-secret-7c2a", "Shazam11#", "test-anon-key-4d1e"] {
            for output in [result.stdout, result.stderr, report, folder.read("reports/junit.xml"), folder.read("reports/summary.md")] {
                #expect(!output.contains(secret), "\(secret) leaked")
            }
        }
    }

    @Test("analytics above 3 s fails analytics_performance with the measured p95, after the first slow answer")
    func slowAnalytics() throws {
        let gotrue = try MisbehavingServer()
        let (result, folder) = try runPack(["NESTSYNC_ANALYTICS_DELAY_MS": "3100"], gotrue: gotrue)
        #expect(result.status == 1)
        #expect(result.stdout.contains("P1 analytics_performance"), "\(result.stdout)")
        let report = folder.read("reports/report.json")
        // The measured p95 is the server's 3.1 s delay plus the request's own time, which a loaded
        // machine stretches (3,200 ms was seen in CI, with the pack's other checks beside it).
        let marker = "\"message\": \"p95 ("
        let measured = report.range(of: marker).flatMap { found in Double(report[found.upperBound...].prefix { $0 != " " }) }
        #expect(measured.map { $0 >= 3100 && $0 < 6000 } == true, "\(report)")
        #expect(report.contains("ms) < 3000 ms: at or over after 1 of 10 samples, whatever the other 9 measure"))
    }

    /// The example project as NestSync's own repository has it: the user has no children,
    /// myChildren is a Relay connection, and the dashboard answers a result payload. The exported
    /// schema is left out (its checks are optional): the frontend is checked against the live one.
    private static func connectionsLayout(_ folder: TemporaryFolder) throws {
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("project/NestSync-backend/schema.graphql"))
        try folder.write("project/NestSync-frontend/lib/graphql/queries.ts", """
            import { gql } from '@apollo/client';
            import { CHILD_FIELDS } from './fragments';

            export const ME_QUERY = gql`
              query Me { me { id email firstName } }
            `;

            export const MY_CHILDREN_QUERY = gql`
              query MyChildren($first: Int = 10, $after: String) {
                myChildren(first: $first, after: $after) {
                  edges { node { ...ChildFields } cursor }
                  pageInfo { hasNextPage endCursor }
                }
              }
              ${CHILD_FIELDS}
            `;

            export const ANALYTICS_DASHBOARD_QUERY = gql`
              query GetAnalyticsDashboard($childId: String) {
                getAnalyticsDashboard(childId: $childId) {
                  success
                  message
                  error
                  dashboard { childId totalChanges }
                }
              }
            `;

            export const NOTIFICATION_PREFERENCES_QUERY = gql`
              query GetNotificationPreferences {
                getNotificationPreferences { notificationsEnabled notificationConsentGranted }
              }
            `;

            """)
    }

    @Test("on a backend shaped as NestSync's own (children as a Relay connection, the dashboard a result payload), the pack finds the child and times the dashboard")
    func connectionsLayout() throws {
        let gotrue = try MisbehavingServer()
        let (result, folder) = try runPack(["NESTSYNC_LAYOUT": "connections"], gotrue: gotrue, project: Self.connectionsLayout)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = try JSONReporter.decode(Array(folder.read("reports/report.json").utf8))
        let analytics = try #require(report.gates.first { $0.id == "analytics_performance" })
        #expect(analytics.checks.map(\.outcome) == [.passed, .passed], "\(analytics.checks.map(\.message))")
        #expect(analytics.checks.first?.message == "QualityGatesChildren answered without errors")
        #expect(analytics.checks.last?.message.hasPrefix("GetAnalyticsDashboard answered: p95 (") == true)
        let live = report.allChecks.first { $0.name == "frontend operations match the live schema" }
        #expect(live?.outcome == .passed, "the test's frontend is valid against the live schema: \(live?.message ?? "absent")")
    }

    @Test("a dashboard that answers success: false as data fails analytics_performance with its error, after the first answer")
    func dashboardPayloadFailure() throws {
        let gotrue = try MisbehavingServer()
        let (result, folder) = try runPack(["NESTSYNC_LAYOUT": "connections", "NESTSYNC_ANALYTICS_FAILS": "1"], gotrue: gotrue,
                                           project: Self.connectionsLayout)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let report = try JSONReporter.decode(Array(folder.read("reports/report.json").utf8))
        #expect(report.gates.filter { $0.status == .failed }.map(\.id) == ["analytics_performance"])
        let dashboard = try #require(report.allChecks.first { $0.name == "dashboard p95 under 3 s" })
        #expect(dashboard.outcome == .failed)
        #expect(dashboard.message == "getAnalyticsDashboard answered success: false: analytics service unavailable (after 1 of 10 samples)")
        #expect(!dashboard.measurements.contains { $0.name.hasPrefix("latency_") }, "no latency verdict from answers that failed")
    }

    @Test("a frontend operation by name, with a variable handed on from the query it needs, reaches the server as the app sends it")
    func frontendOperationWithHandedOnVariable() throws {
        let gotrue = try MisbehavingServer()
        let backend = try StrawberryServer(["NESTSYNC_JWT_SECRET": "test-jwt-secret-7c2a", "DATABASE_URL": TestDatabase.appURL()])
        let folder = try TemporaryFolder()
        try FileManager.default.copyItem(at: Paths.packageRoot.appendingPathComponent("examples/nestsync"), to: folder.url.appendingPathComponent("project"))
        try folder.write("gates.yml", """
            gates:
              analytics:
                title: Analytics
                severity: P1
                checks:
                  - {name: sign in, kind: gotrue_auth, url: "${SUPABASE_URL}", apikey: "${SUPABASE_ANON_KEY}", email: parents@nestsync.com,
                     password: "${SMOKE_PASSWORD}", jwt_secret: "${SUPABASE_JWT_SECRET}"}
                  - name: children
                    kind: graphql_query
                    url: \(backend.url)
                    query: "{ myChildren { id } }"
                    use_token: true
                    expose: {childId: "[DATA].myChildren.0.id"}
                    needs: [sign in]
                  - name: dashboard
                    kind: graphql_query
                    url: \(backend.url)
                    documents: [NestSync-frontend]
                    operation: GetAnalyticsDashboard
                    variables: {periodDays: 7}
                    use_token: true
                    conditions: ["[DATA].getAnalyticsDashboard.childId == \(Self.child)", "[DATA].getAnalyticsDashboard.totalChanges > 0"]
                    needs: [children]

            """)
        let result = try Binary.run(["run", "--config", "gates.yml", "--project-root", "project", "--target", "staging", "--history", "none"],
                                    in: folder, environment: gotrue.gotrueEnvironment, timeout: 60)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = try JSONReporter.decode(Array(folder.read("reports/report.json").utf8))
        #expect(report.allChecks.last?.message == "GetAnalyticsDashboard answered: [DATA].getAnalyticsDashboard.childId (\(Self.child)) == \(Self.child), [DATA].getAnalyticsDashboard.totalChanges (42) > 0")
    }

    @Test("without the token the backend refuses analytics, and the check fails with its error")
    func withoutToken() throws {
        let backend = try StrawberryServer(["NESTSYNC_JWT_SECRET": "test-jwt-secret-7c2a"])
        let text = gateFile(checks: """
              - name: dashboard
                kind: graphql_query
                url: \(backend.url)
                query: "query GetAnalyticsDashboard { getAnalyticsDashboard(childId: \\"c1\\") { totalChanges } }"
                operation: GetAnalyticsDashboard
        """)
        let configured = try #require(try loadGates(text, target: .staging).get().gates.first?.checks.first)
        let result = configured.check.run(CheckContext(projectRoot: URL(fileURLWithPath: "/"), environment: Environment([:]), target: .staging, timeout: 10))
        #expect(result.outcome == .failed)
        #expect(result.message == "GetAnalyticsDashboard returned errors: not authenticated: no bearer token")
    }

    @Test("a failed sign-in skips what needs its token, down the chain, reported once in auth_health")
    func signInFails() throws {
        let gotrue = try MisbehavingServer()
        let (result, folder) = try runPack([:], gotrue: gotrue, environment: ["SMOKE_PASSWORD": "wrong"])
        #expect(result.status == 1)
        let report = try JSONReporter.decode(Array(folder.read("reports/report.json").utf8))
        #expect(report.gates.filter { $0.status == .failed }.map(\.id) == ["auth_health"])
        #expect(report.allChecks.contains { $0.message == "sign-in refused: Invalid login credentials (invalid_credentials, HTTP 400); check the account's email and password against this project's users" })
        let analytics = try #require(report.gates.first { $0.id == "analytics_performance" })
        #expect(analytics.checks.map(\.message) == ["needs 'auth_health/backend accepts the token', which was skipped",
                                                   "needs 'a child of the smoke account', which was skipped"])
    }
}
