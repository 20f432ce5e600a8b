import Foundation
import Postgres
@testable import QualityGates
import TestSupport
import Testing

/// The unmodified NestSync pack (the copy compiled into the binary), on both example layouts, on
/// both targets: healthy, every gate passes and no check errors; each runbook fault planted makes
/// exactly its gate fail and no other. The servers are real: PostgreSQL, the Strawberry backend,
/// the GoTrue double.
@Suite(.serialized, .enabled(if: TestDatabase.available && ProcessInfo.processInfo.environment["QG_TEST_PYTHON"] != nil,
                             "scripts/test starts PostgreSQL and makes the venv with Strawberry"))
struct PackFaultTests {
    /// The two example repositories and where each keeps what the faults change.
    enum Layout: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case nestsync, railway

        var testDescription: String { "examples/\(self == .nestsync ? "nestsync" : "nestsync-railway")" }
        var example: String { self == .nestsync ? "examples/nestsync" : "examples/nestsync-railway" }
        var database: String { self == .nestsync ? "nestsync" : "nestsync_railway" }
        var requirements: String { self == .nestsync ? "NestSync-backend/requirements.txt" : "backend/requirements/base.txt" }
        var otherRequirements: String { self == .nestsync ? "NestSync-backend/requirements-dev.txt" : "backend/requirements-dev.txt" }
        var regionFile: String { self == .nestsync ? ".env.example" : "backend/railway.toml" }
        var regionLine: (String, String) {
            self == .nestsync ? ("DATA_REGION=canada-central", "DATA_REGION=us-east-1") : ("DATA_REGION = \"ca-central-1\"", "DATA_REGION = \"us-east-1\"")
        }
        var versions: String { self == .nestsync ? "NestSync-backend/alembic/versions" : "backend/migrations/versions" }
        var previousRevision: String { self == .nestsync ? "002" : "a83d44c7e902" }
        var parentOfHead: String { self == .nestsync ? "003" : "c1f0b9d2e4a7" }
        var schema: String { self == .nestsync ? "NestSync-backend/schema.graphql" : "backend/docs/schema.graphql" }
        var dashboardQuery: String { self == .nestsync ? "NestSync-frontend/lib/graphql/queries.ts" : "mobile/hooks/useAnalytics.ts" }
        var settingsCode: String { self == .nestsync ? "NestSync-backend/app/config/settings.py" : "backend/app/core/config.py" }
    }

    /// One planted fault: what it changes, on which target, and the gate that must fail (nil: none).
    struct Fault: Sendable {
        var name: String
        var target: Target
        var gate: String?
        var files: @Sendable (Layout, TemporaryFolder) throws -> Void = { _, _ in }
        var database: (@Sendable (TestDatabase.Copy) throws -> Void)?
        var backend: [String: String] = [:]
        /// The run's environment; the folder holds the project (as `project`) and may hold more.
        var environment: @Sendable (inout [String: String], MisbehavingServer, URL) -> Void = { _, _, _ in }
    }

    static func replace(_ path: String, _ old: String, _ new: String, in project: TemporaryFolder) throws {
        let text = project.read(path)
        #expect(text.contains(old), "\(path) lacks \(old)")
        try project.write(path, text.replacingOccurrences(of: old, with: new))
    }

    static func windowsLineEnds(_ path: String, in project: TemporaryFolder) throws {
        try project.write(path, project.read(path).replacingOccurrences(of: "\n", with: "\r\n"))
    }

    /// A Python prefix as actions/setup-python installs one (`…/hostedtoolcache/Python/3.11.9/x64`)
    /// with gotrue at `gotrue` in its site-packages, beside the project; its absolute path.
    static func setupPython(in folder: URL, gotrue: String) throws -> String {
        let prefix = folder.appendingPathComponent("hostedtoolcache/Python/3.11.9/x64")
        let metadata = prefix.appendingPathComponent("lib/python3.11/site-packages/gotrue-\(gotrue).dist-info/METADATA")
        try FileManager.default.createDirectory(at: metadata.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("Metadata-Version: 2.1\nName: gotrue\nVersion: \(gotrue)\n".utf8).write(to: metadata)
        return prefix.path
    }

    /// A pydantic settings class as NestSync's backend has one.
    static func settingsCode(region: String) -> String {
        """
        from pydantic import Field
        from pydantic_settings import BaseSettings


        class Settings(BaseSettings):
            database_url: str = Field(..., env="DATABASE_URL")
            data_region: str = Field(default="\(region)", env="DATA_REGION")
            timezone: str = Field(default="America/Toronto", env="TZ")
            data_retention_days: int = Field(default=2555, env="DATA_RETENTION_DAYS")  # 7 years

            class Config:
                env_file = [".env.local", ".env"]

        """
    }

    /// A compose file with Supabase's self-hosted studio and auth beside the application's backend.
    static func supabaseStack(backendSecret: Bool) -> String {
        """
        services:
          supabase-auth:
            image: supabase/gotrue:v2.99.0
            environment:
              GOTRUE_JWT_SECRET: super-secret-jwt-token-with-at-least-32-characters-long
          supabase-studio:
            image: supabase/studio:20231123-64a766a
            environment:
              SUPABASE_URL: http://supabase-kong:8000
              SUPABASE_PUBLIC_URL: http://localhost:8000
          backend:
            build:
              context: ../NestSync-backend
            environment:
              DATABASE_URL: postgresql+asyncpg://postgres:password@supabase-db:5432/postgres
              SUPABASE_URL: https://nestsync-dev.supabase.co
        \(backendSecret ? "      SUPABASE_JWT_SECRET: ${SUPABASE_JWT_SECRET}\n" : "")      TZ: America/Toronto

        """
    }

    static let faults: [Fault] = [
        Fault(name: "healthy", target: .build, gate: nil),
        Fault(name: "healthy", target: .staging, gate: nil),
        Fault(name: "gotrue ranged", target: .build, gate: "auth_health", files: { layout, project in
            try replace(layout.requirements, "gotrue==2.5.4", "gotrue>=2.5", in: project)
        }),
        Fault(name: "gotrue at another version in another requirements file", target: .build, gate: "auth_health", files: { layout, project in
            try project.write(layout.otherRequirements, project.read(layout.otherRequirements) + "gotrue==2.6.0\n")
        }),
        // A backend that declares its dependencies in pyproject.toml (Poetry) rather than in
        // requirements files: a caret constraint lets the next minor release in.
        Fault(name: "gotrue as Poetry's ^2.5.4 in the backend's pyproject.toml", target: .build, gate: "auth_health", files: { layout, project in
            let backend = layout == .nestsync ? "NestSync-backend" : "backend"
            try project.write("\(backend)/pyproject.toml", "[tool.poetry]\nname = \"nestsync-api\"\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\ngotrue = \"^2.5.4\"\n")
        }),
        // supabase pulls gotrue in: only the lock file says which version came.
        Fault(name: "gotrue 2.9.1 pulled in by supabase, in the backend's poetry.lock", target: .build, gate: "auth_health", files: { layout, project in
            let backend = layout == .nestsync ? "NestSync-backend" : "backend"
            try project.write("\(backend)/poetry.lock", "[[package]]\nname = \"gotrue\"\nversion = \"2.9.1\"\n\n[[package]]\nname = \"supabase\"\nversion = \"2.3.4\"\n")
        }),
        Fault(name: "healthy, a pyproject.toml pinning gotrue as Poetry does", target: .build, gate: nil, files: { layout, project in
            let backend = layout == .nestsync ? "NestSync-backend" : "backend"
            try project.write("\(backend)/pyproject.toml", "[tool.poetry.dependencies]\npython = \"^3.11\"\ngotrue = \"2.5.4\"\n\n[tool.ruff]\nline-length = 120\n")
        }),
        // A CI job with no virtualenv: pip installed into the Python that actions/setup-python set
        // up, outside the project, which that action names in pythonLocation.
        Fault(name: "gotrue 2.6.0 installed into setup-python's Python, no virtualenv", target: .build, gate: "auth_health", environment: { environment, _, folder in
            environment["pythonLocation"] = try? setupPython(in: folder, gotrue: "2.6.0")
        }),
        Fault(name: "healthy, gotrue 2.5.4 installed into setup-python's Python", target: .build, gate: nil, environment: { environment, _, folder in
            environment["pythonLocation"] = try? setupPython(in: folder, gotrue: "2.5.4")
        }),
        Fault(name: "region us-east-1", target: .build, gate: "data_residency_compliance", files: { layout, project in
            try replace(layout.regionFile, layout.regionLine.0, layout.regionLine.1, in: project)
        }),
        // A file checked out with Windows line ends (core.autocrlf) reads as it does with LF: a
        // dotenv file's variables were once taken for one line, and the region check skipped.
        Fault(name: "region us-east-1 in a file with Windows line ends", target: .build, gate: "data_residency_compliance", files: { layout, project in
            try replace(layout.regionFile, layout.regionLine.0, layout.regionLine.1, in: project)
            try windowsLineEnds(layout.regionFile, in: project)
        }),
        Fault(name: "healthy, every text file with Windows line ends", target: .build, gate: nil, files: { _, project in
            let files = FileManager.default.enumerator(atPath: project.path("."))?.compactMap { $0 as? String } ?? []
            for file in files where (try? String(contentsOfFile: project.path(file), encoding: .utf8))?.contains("\n") == true {
                try windowsLineEnds(file, in: project)
            }
        }),
        // NestSync's own docker/docker-compose.yml runs Supabase's stack beside the backend; its
        // studio declares SUPABASE_URL for itself, which says nothing of the backend's settings.
        Fault(name: "healthy, Supabase's self-hosted stack in docker/docker-compose.yml", target: .build, gate: nil, files: { _, project in
            try project.write("docker/docker-compose.yml", supabaseStack(backendSecret: true))
        }),
        Fault(name: "the backend's compose service without the jwt secret", target: .build, gate: "auth_health", files: { _, project in
            try project.write("docker/docker-compose.yml", supabaseStack(backendSecret: false))
        }),
        // Beside the code, as NestSync's repository has them: a playground file of queries gone
        // stale and ad-hoc test scripts (not the app's operations), and schema contracts in SDL.
        Fault(name: "healthy, with stale scratch queries, test scripts and SDL contracts beside the code", target: .build, gate: nil, files: { layout, project in
            let backend = layout == .nestsync ? "NestSync-backend" : "backend"
            try project.write("\(backend)/test_notifications.graphql", "# For the GraphQL playground\nquery GetNotificationPreferences {\n  getNotificationPreferences { expiredWarningEnabled }\n}\n")
            try project.write("test-archives/test-e2e-auth.js", "const ME = gql`query Me { me { fullName } }`;\n")
            try project.write("specs/001-premium/contracts/trial.graphql", "\"\"\"Trial progress.\"\"\"\ntype TrialProgress { id: ID! }\n\nextend type Query {\n  trialProgress: TrialProgress\n}\n\n# NOTES\n\"\"\"\nValue score algorithm.\n\"\"\"\n")
        }),
        // Compose services often take their variables from a file named in env_file:.
        Fault(name: "region us-east-1 in the env_file a compose service names", target: .build, gate: "data_residency_compliance", files: { layout, project in
            let backend = layout == .nestsync ? "NestSync-backend" : "backend"
            try project.write("docker/docker-compose.yml", "services:\n  backend:\n    build: ../\(backend)\n    env_file: [../\(backend)/docker.env, ../\(backend)/.env]\n")
            try project.write("\(backend)/docker.env", "DATA_REGION=us-east-1\n")
        }),
        Fault(name: "region us-east-1 in a committed .env.production", target: .build, gate: "data_residency_compliance", files: { layout, project in
            let backend = layout == .nestsync ? "NestSync-backend" : "backend"
            try project.write("\(backend)/.env.production", "SUPABASE_URL=https://nestsync.supabase.co\nSUPABASE_JWT_SECRET=\nDATA_REGION=us-east-1\n")
        }),
        // The backend's settings code, as NestSync's app/config/settings.py declares its region.
        Fault(name: "healthy, the settings code defaulting to a Canadian region", target: .build, gate: nil, files: { layout, project in
            try project.write(layout.settingsCode, settingsCode(region: "canada-central"))
        }),
        Fault(name: "region us-east-1 as the settings code's default", target: .build, gate: "data_residency_compliance", files: { layout, project in
            try project.write(layout.settingsCode, settingsCode(region: "us-east-1"))
        }),
        // The URL the application's SQLAlchemy driver takes, as NestSync's DATABASE_URL is written.
        Fault(name: "healthy, DATABASE_URL written for SQLAlchemy's asyncpg driver", target: .staging, gate: nil, environment: { environment, _, _ in
            environment["DATABASE_URL"] = environment["DATABASE_URL"]?.replacingOccurrences(of: "postgresql://", with: "postgresql+asyncpg://")
        }),
        Fault(name: "region unset", target: .staging, gate: "data_residency_compliance", environment: { environment, _, _ in
            environment["DATA_REGION"] = nil
        }),
        // The revisions kept where alembic.ini says, under a name no glob of the pack guesses.
        Fault(name: "two migration heads in the folder alembic.ini names", target: .build, gate: "migration_head", files: { layout, project in
            let backend = layout == .nestsync ? "NestSync-backend" : "backend"
            let moved = "\(backend)/app/db/schema_migrations"
            try FileManager.default.createDirectory(atPath: project.path(moved), withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: project.path(layout.versions), toPath: project.path(moved + "/versions"))
            try replace("\(backend)/alembic.ini", layout == .nestsync ? "script_location = alembic" : "script_location = migrations",
                        "script_location = app/db/schema_migrations", in: project)
            try project.write(moved + "/versions/0099_branch.py", "revision = \"0099branch\"\ndown_revision = \"\(layout.parentOfHead)\"\n")
        }),
        Fault(name: "two migration heads", target: .build, gate: "migration_head", files: { layout, project in
            try project.write(layout.versions + "/0099_branch.py", "revision = \"0099branch\"\ndown_revision = \"\(layout.parentOfHead)\"\n")
        }),
        Fault(name: "resolver renamed in the exported schema", target: .build, gate: "graphql_schema_health", files: { layout, project in
            try replace(layout.schema, "getAnalyticsDashboard", "getAnalyticsOverview", in: project)
        }),
        Fault(name: "frontend passing child_id", target: .build, gate: "graphql_schema_health", files: { layout, project in
            try replace(layout.dashboardQuery, "getAnalyticsDashboard(childId: $childId", "getAnalyticsDashboard(child_id: $childId", in: project)
        }),
        Fault(name: "frontend passing child_id", target: .staging, gate: "graphql_schema_health", files: { layout, project in
            try replace(layout.dashboardQuery, "getAnalyticsDashboard(childId: $childId", "getAnalyticsDashboard(child_id: $childId", in: project)
        }),
        Fault(name: "a PIPEDA column dropped", target: .staging, gate: "pipeda_compliance", database: {
            try $0.psql("ALTER TABLE notification_preferences DROP COLUMN marketing_consent_granted")
        }),
        Fault(name: "consent_records dropped", target: .staging, gate: "db_health", database: { try $0.psql("DROP TABLE consent_records") }),
        Fault(name: "children dropped", target: .staging, gate: "db_health", database: { try $0.psql("DROP TABLE children") }),
        Fault(name: "migrations behind", target: .staging, gate: "migration_head", database: { _ in }),
        Fault(name: "database at an unknown revision", target: .staging, gate: "migration_head", database: {
            try $0.psql("UPDATE alembic_version SET version_num = 'deadbeef0000'")
        }),
        Fault(name: "resolver renamed in the backend", target: .staging, gate: "graphql_schema_health", backend: ["NESTSYNC_RENAME_ANALYTICS": "1"]),
        Fault(name: "backend without auto camel case", target: .staging, gate: "graphql_schema_health", backend: ["NESTSYNC_AUTO_CAMEL_CASE": "0"]),
        Fault(name: "introspection disabled", target: .staging, gate: "graphql_schema_health", backend: ["NESTSYNC_DISABLE_INTROSPECTION": "1"]),
        Fault(name: "sign-in refused", target: .staging, gate: "auth_health", environment: { environment, _, _ in
            environment["SMOKE_PASSWORD"] = "not-the-password"
        }),
        Fault(name: "sign-in answering 500", target: .staging, gate: "auth_health", environment: { environment, gotrue, _ in
            environment["SUPABASE_URL"] = gotrue.url("/error500")
        }),
        Fault(name: "tokens signed with another secret", target: .staging, gate: "auth_health", environment: { environment, gotrue, _ in
            environment["SUPABASE_URL"] = gotrue.url("/othersecret")
        }),
        Fault(name: "sign-in taking 2.5 s", target: .staging, gate: "auth_performance", environment: { environment, gotrue, _ in
            environment["SUPABASE_URL"] = gotrue.url("/slow2500")
        }),
        Fault(name: "dashboard taking 3.5 s", target: .staging, gate: "analytics_performance", backend: ["NESTSYNC_ANALYTICS_DELAY_MS": "3500"]),
        Fault(name: "pool exhausted", target: .staging, gate: "db_health", database: { _ in }),
        Fault(name: "database down", target: .staging, gate: "db_health", environment: { environment, _, _ in
            environment["DATABASE_URL"] = "postgresql://nestsync_app:x@127.0.0.1:\(StrawberryServer.freePort())/nestsync"
        }),
    ]

    /// A third layout, made from the example's files: a uv monorepo (apps/api with pyproject.toml
    /// and uv.lock, no requirements file; Alembic under db/migrations named by alembic.ini; the
    /// region in pydantic settings code and an infra/ compose file; the schema exported into the
    /// Expo app at apps/mobile).
    static func monorepo(in folder: TemporaryFolder) throws -> TemporaryFolder {
        let example = Paths.packageRoot.appendingPathComponent("examples/nestsync")
        let root = folder.url.appendingPathComponent("mono")
        let manager = FileManager.default
        try manager.createDirectory(at: root.appendingPathComponent("apps/api/db"), withIntermediateDirectories: true)
        try manager.copyItem(at: example.appendingPathComponent("NestSync-frontend"), to: root.appendingPathComponent("apps/mobile"))
        try manager.copyItem(at: example.appendingPathComponent("NestSync-backend/alembic"), to: root.appendingPathComponent("apps/api/db/migrations"))
        try manager.copyItem(at: example.appendingPathComponent("NestSync-backend/schema.graphql"), to: root.appendingPathComponent("apps/mobile/schema.graphql"))
        let project = try TemporaryFolder.existing(root)
        try project.write("apps/api/alembic.ini", "[alembic]\nscript_location = %(here)s/db/migrations\nsqlalchemy.url = driver://user:pass@localhost/dbname\n")
        try project.write("apps/api/pyproject.toml", """
            [project]
            name = "nestsync-api"
            version = "1.2.0"
            dependencies = ["fastapi==0.115.0", "supabase==2.7.4", "gotrue==2.5.4"]

            [dependency-groups]
            dev = ["pytest==8.3.3"]

            """)
        try project.write("apps/api/uv.lock", """
            version = 1

            [[package]]
            name = "gotrue"
            version = "2.5.4"
            source = { registry = "https://pypi.org/simple" }

            """)
        try project.write("apps/api/app/core/config.py", """
            from pydantic_settings import BaseSettings, SettingsConfigDict


            class Settings(BaseSettings):
                model_config = SettingsConfigDict(env_file=".env", extra="ignore")

                database_url: str
                data_region: str = "ca-central-1"
                tz: str = "America/Toronto"

            """)
        try project.write("infra/docker-compose.yml", """
            services:
              api:
                build: ../apps/api
                environment:
                  DATA_REGION: ca-central-1
                  SUPABASE_URL: ${SUPABASE_URL}
                  SUPABASE_JWT_SECRET: ${SUPABASE_JWT_SECRET}

            """)
        return project
    }

    @Test("a uv monorepo (apps/api, apps/mobile, infra/): healthy passes the build target, each file's fault fails its gate", arguments: [
        ("healthy", nil, nil, nil),
        ("gotrue 2.9.1 in uv.lock", "apps/api/uv.lock", "version = \"2.5.4\"", "auth_health"),
        ("gotrue ranged in pyproject.toml", "apps/api/pyproject.toml", "\"gotrue==2.5.4\"", "auth_health"),
        ("the settings code defaulting to us-east-1", "apps/api/app/core/config.py", "\"ca-central-1\"", "data_residency_compliance"),
        ("the frontend passing child_id", "apps/mobile/lib/graphql/queries.ts", "childId: $childId", "graphql_schema_health"),
    ] as [(String, String?, String?, String?)])
    func monorepoLayout(_ fault: (name: String, file: String?, old: String?, gate: String?)) throws {
        let folder = try TemporaryFolder()
        let project = try Self.monorepo(in: folder)
        if let file = fault.file, let old = fault.old {
            let planted = ["version = \"2.5.4\"": "version = \"2.9.1\"", "\"gotrue==2.5.4\"": "\"gotrue>=2.5.4\"",
                           "\"ca-central-1\"": "\"us-east-1\"", "childId: $childId": "child_id: $childId"][old]!
            try Self.replace(file, old, planted, in: project)
        }
        let result = try Binary.run(["run", "--project-root", "mono", "--target", "build", "--history", "none"], in: folder, timeout: 60)
        let report = try JSONReporter.decode(Array(folder.read("reports/report.json").utf8))
        let red = report.gates.filter { $0.status == .failed || $0.status == .errored }.map(\.id)
        let passed = Set(report.allChecks.filter { $0.outcome == .passed }.map(\.name))
        #expect(red == (fault.gate.map { [$0] } ?? []), "\(fault.name): red \(red)\n\(result.stdout)")
        #expect(result.status == (fault.gate == nil ? 0 : 1), "\(fault.name): \(result.stdout)")
        if fault.gate == nil {
            // Found where this layout keeps them, not skipped as absent.
            #expect(passed.isSuperset(of: ["gotrue pinned exactly", "single head", "critical resolvers", "frontend operations match the schema",
                                           "data region declared canadian", "supabase jwt secret declared beside the url"]),
                    "\(passed.sorted())")
        }
    }

    @Test("each runbook fault fails exactly its gate; healthy passes with no error", arguments: Layout.allCases)
    func faults(_ layout: Layout) async throws {
        let gotrue = try MisbehavingServer()
        var backends: [String: StrawberryServer] = [:]
        func backend(_ switches: [String: String]) throws -> StrawberryServer {
            let key = switches.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            if let running = backends[key] { return running }
            let started = try StrawberryServer(["DATABASE_URL": TestDatabase.appURL(layout.database),
                                                "NESTSYNC_JWT_SECRET": gotrue.gotrueEnvironment["SUPABASE_JWT_SECRET"]!,
                                                "NESTSYNC_LAYOUT": layout.rawValue].merging(switches) { $1 })
            backends[key] = started
            return started
        }
        for fault in Self.faults {
            // Servers started, databases copied and the binary run: half a minute of waiting, on a
            // thread of its own rather than one of the test pool's two.
            let (result, folder, copy) = try await offPoolAwaited { () throws -> (ProcessRunner.Result, TemporaryFolder, TestDatabase.Copy?) in
                let folder = try TemporaryFolder()
                try FileManager.default.copyItem(at: Paths.packageRoot.appendingPathComponent(layout.example), to: folder.url.appendingPathComponent("project"))
                let project = try TemporaryFolder.existing(folder.url.appendingPathComponent("project"))
                try fault.files(layout, project)
                var copy: TestDatabase.Copy?
                var held: [PostgresConnection] = []
                defer { held.forEach { $0.close() } }
                var environment = ["DATA_REGION": "canada-central"]
                if fault.target == .staging {
                    environment.merge(gotrue.gotrueEnvironment) { $1 }
                    environment["GRAPHQL_URL"] = try backend(fault.backend).url
                    environment["DATABASE_URL"] = TestDatabase.appURL(layout.database)
                    if let plant = fault.database {
                        let database = try TestDatabase.Copy("fault", template: layout.database + "_template")
                        copy = database
                        try plant(database)
                        if fault.name == "migrations behind" { try database.psql("UPDATE alembic_version SET version_num = '\(layout.previousRevision)'") }
                        if fault.name == "pool exhausted" {
                            try TestDatabase.psql("ALTER DATABASE \(database.name) CONNECTION LIMIT 2")
                            for _ in 0..<2 { held.append(try PostgresConnection.connect(database.appURL, connectTimeout: 5)) }
                        }
                        environment["DATABASE_URL"] = database.appURL
                    }
                }
                fault.environment(&environment, gotrue, folder.url)
                let result = try Binary.run(["run", "--project-root", "project", "--target", fault.target.rawValue, "--history", "none"],
                                            in: folder, environment: environment, timeout: 120)
                return (result, folder, copy)
            }
            let label = "\(layout.testDescription), \(fault.target.rawValue): \(fault.name)"
            let report = try JSONReporter.decode(Array(folder.read("reports/report.json").utf8))
            let red = report.gates.filter { $0.status == .failed || $0.status == .errored }.map(\.id)
            let summary = report.gates.flatMap { gate in
                gate.checks.filter { $0.outcome == .failed || $0.outcome == .errored }.map { "\(gate.id)/\($0.name): \($0.message)" }
            }
            if let gate = fault.gate {
                #expect(red == [gate], "\(label): red gates \(red)\n\(summary.joined(separator: "\n"))")
                #expect(result.status == 1, "\(label): exit \(result.status)")
            } else {
                #expect(red.isEmpty && report.count(.errored) == 0, "\(label): \(summary.joined(separator: "\n"))")
                #expect(result.status == 0, "\(label): exit \(result.status) \(result.stderr)")
            }
            _ = copy
        }
        _ = backends
    }
}
