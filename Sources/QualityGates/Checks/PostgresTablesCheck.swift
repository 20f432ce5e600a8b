import Postgres
import TextSearch

/// Required tables exist; every missing one is named.
struct PostgresTablesCheck: Check {
    static let description = CheckDescription(
        kind: "postgres_tables",
        summary: "Required tables (or views) exist in the database; every missing one is named.",
        parameters: [
            DatabaseCheckSupport.urlParameter,
            ParameterDoc("tables", "list of strings", required: true, "Table names, `schema.table` or just `table` (schema `public`), as PostgreSQL resolves them (unquoted names are lower case)."),
        ],
        defaultTargets: [.staging],
        examples: [
            CheckExample("""
                kind: postgres_tables
                url: ${DATABASE_URL}
                tables: [users, children, public.consent_records, notification_preferences]
                """, needsDatabase: true, .passes),
            CheckExample("""
                kind: postgres_tables
                url: ${DATABASE_URL}
                tables: [users, children, diaper_inventory]
                """, needsDatabase: true, .fails("missing table: public.diaper_inventory (2 of 3 present)")),
            CheckExample("""
                kind: postgres_tables
                url: ${DATABASE_URL}
                tables: []
                """, .invalid("name at least one table")),
        ]
    )

    let url: String
    let tables: [String]

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        url = try parameters.requiredString("url")
        guard let tables = try parameters.strings("tables"), !tables.isEmpty else {
            throw parameters.invalid("tables", "name at least one table")
        }
        self.tables = tables.map { $0.contains(".") ? $0 : "public.\($0)" }
    }

    /// The tables of the list that exist.
    func observe(_ context: CheckContext) throws(CheckStop) -> Set<String> {
        try DatabaseCheckSupport.withSession(url, context: context) { session throws(PostgresError) in
            let result = try session.query(
                "SELECT name, to_regclass(name) IS NOT NULL AS present FROM unnest($1::text[]) AS name",
                [PostgresArray.literal(tables)])
            return Set(result.rows.filter { $0[1] == .bool(true) }.map { $0[0].description })
        }
    }

    func judge(_ present: Set<String>) -> CheckResult {
        let missing = tables.filter { !present.contains($0) }
        guard missing.isEmpty else {
            let noun = missing.count == 1 ? "table" : "tables"
            return .failed("missing \(noun): \(missing.joined(separator: ", ")) (\(tables.count - missing.count) of \(tables.count) present)")
        }
        return .passed("all \(tables.count) tables present: \(tables.joined(separator: ", "))")
    }
}

/// PostgreSQL array literals (`{"a","b"}`), for passing lists as one text parameter.
enum PostgresArray {
    static func literal(_ items: [String]) -> String {
        "{" + items.map { "\"" + $0.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\"" }.joined(separator: ",") + "}"
    }
}
