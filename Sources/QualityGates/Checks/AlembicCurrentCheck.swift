import Alembic
import Postgres
import TextSearch

/// The database's `alembic_version` is at the head of the versions folder.
struct AlembicCurrentCheck: Check {
    /// The example project's four migrations, which the test database is migrated to.
    static let nestsyncVersions = [
        "versions/001_initial_users.py": "revision = '001'\ndown_revision = None\n",
        "versions/002_children.py": "revision = '002'\ndown_revision = '001'\n",
        "versions/003_consent_records.py": "revision = '003'\ndown_revision = '002'\n",
        "versions/004_notification_preferences.py": "revision = '004'\ndown_revision = '003'\n",
    ]

    static let description = CheckDescription(
        kind: "alembic_current",
        summary: "The database's alembic_version rows are the heads of the versions folder: behind names the pending revisions, an unknown revision or a missing table fails.",
        parameters: [
            DatabaseCheckSupport.urlParameter,
            .alembicVersions, .optional,
            ParameterDoc("table", "string", "The version table (default `alembic_version`)."),
            ParameterDoc("schema", "string", "The version table's schema (default `public`)."),
        ],
        defaultTargets: [.staging],
        examples: [
            CheckExample("""
                kind: alembic_current
                url: ${DATABASE_URL}
                versions: versions
                """, files: nestsyncVersions, needsDatabase: true, .passes),
            CheckExample("""
                kind: alembic_current
                url: ${DATABASE_URL}
                versions: versions
                """, files: nestsyncVersions.merging(["versions/005_sizes.py": "revision = '005'\ndown_revision = '004'\n"]) { $1 },
                needsDatabase: true, .fails("1 revision pending: 005_sizes (database at 004); run `alembic upgrade head`")),
            CheckExample("""
                kind: alembic_current
                url: ${DATABASE_URL}
                versions: versions
                table: schema_migrations
                """, files: ["versions/001_initial_users.py": "revision = '001'\ndown_revision = None\n"],
                needsDatabase: true, .fails("table public.schema_migrations does not exist")),
            CheckExample("""
                kind: alembic_current
                url: ${DATABASE_URL}
                """, .invalid("missing required key 'versions'")),
        ]
    )

    let url: String
    let versions: PathQuery
    let table: String
    let schema: String

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        url = try parameters.requiredString("url")
        versions = try parameters.requiredPaths("versions")
        table = try parameters.string("table") ?? "alembic_version"
        schema = try parameters.string("schema") ?? "public"
    }

    /// The versions folder, and the version table's rows (nil when the table does not exist).
    struct Observation {
        let versions: VersionsFolder
        let current: [String]?
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> Observation {
        let folder = try versions.revisionGraph(context)
        guard folder.graph.problems.isEmpty else { throw CheckStop(.errored("\(folder.folder): \(folder.graph.problems.joined(separator: "; "))")) }
        let current = try DatabaseCheckSupport.withSession(url, context: context) { session throws(PostgresError) -> [String]? in
            let qualified = "\(Self.quoted(schema)).\(Self.quoted(table))"
            do throws(PostgresError) {
                return try session.query("SELECT version_num FROM \(qualified)").rows.map { $0[0].description }
            } catch where error.sqlstate == "42P01" {
                return nil
            }
        }
        return Observation(versions: folder, current: current)
    }

    /// The decision: the version table's rows against the folder's heads.
    func judge(_ observed: Observation) -> CheckResult {
        let (graph, versions, current) = (observed.versions.graph, observed.versions.folder, observed.current)
        let upgrade = "run `alembic upgrade head`"
        guard let current else { return .failed("table \(schema).\(table) does not exist: the database was never migrated; \(upgrade)") }
        guard !current.isEmpty else { return .failed("\(schema).\(table) is empty: no migration has run; \(upgrade)") }
        let unknown = current.filter { graph.byID[$0] == nil }
        guard unknown.isEmpty else {
            return .failed("the database is at revision \(unknown.joined(separator: ", ")), which no file in \(versions) defines "
                           + "(a migration deleted, or the database migrated from another branch)")
        }
        let heads = graph.heads.map(\.id)
        let at = current.sorted().joined(separator: ", ")
        guard Set(current) != Set(heads) else { return .passed("the database is at head \(at)") }
        let pending = graph.pending(from: current)
        guard !pending.isEmpty else {
            return .failed("the database is at \(at), ahead of or beside the heads \(heads.joined(separator: ", "))")
        }
        let noun = pending.count == 1 ? "revision" : "revisions"
        return .failed("\(pending.count) \(noun) pending: \(pending.map(\.name).joined(separator: " → ")) (database at \(at)); \(upgrade)",
                       findings: pending.map { Finding(file: $0.file, line: $0.line, message: "not applied to the database") })
    }

    /// An SQL identifier, quoted: the table and schema come from the gate file, never spliced raw.
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingAll("\"", with: "\"\"") + "\""
    }
}
