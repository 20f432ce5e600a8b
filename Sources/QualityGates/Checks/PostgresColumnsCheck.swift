import Postgres

/// A table's required columns exist, optionally with type, nullability and default; forbidden
/// columns (by glob) do not.
struct PostgresColumnsCheck: Check {
    static let description = CheckDescription(
        kind: "postgres_columns",
        summary: "A table's required columns exist, optionally with a type (aliases normalised: varchar = character varying, timestamptz = timestamp with time zone, int4 = integer, bool = boolean), nullability and default; forbidden columns, by glob, do not.",
        parameters: [
            DatabaseCheckSupport.urlParameter,
            ParameterDoc("table", "string", required: true, "The table, `schema.table` or `table` (schema `public`)."),
            ParameterDoc("columns", "list", "Required columns: a name, or a mapping with `name` and any of `type`, `nullable` (true/false), `default` (as PostgreSQL prints it, e.g. `false`, `now()`)."),
            ParameterDoc("forbidden", "list of globs", "Column names that must not exist (`*ssn*`, `password`)."),
        ],
        defaultTargets: [.staging],
        examples: [
            CheckExample("""
                kind: postgres_columns
                url: ${DATABASE_URL}
                table: notification_preferences
                columns:
                  - notification_consent_granted
                  - {name: marketing_consent_granted, type: bool, nullable: false, default: "false"}
                  - {name: notification_consent_date, type: timestamptz}
                forbidden: ["*password*"]
                """, needsDatabase: true, .passes),
            CheckExample("""
                kind: postgres_columns
                url: ${DATABASE_URL}
                table: notification_preferences
                columns: [notification_consent_granted, analytics_consent_granted]
                """, needsDatabase: true, .fails("public.notification_preferences: missing column analytics_consent_granted")),
            CheckExample("""
                kind: postgres_columns
                url: ${DATABASE_URL}
                table: users
                columns: [{name: email, type: "varchar(100)"}]
                forbidden: ["first_*"]
                """, needsDatabase: true, .fails("email is character varying(320), expected varchar(100); first_name is forbidden (first_*)")),
            CheckExample("""
                kind: postgres_columns
                url: ${DATABASE_URL}
                table: vanished
                columns: [id]
                """, needsDatabase: true, .fails("table public.vanished does not exist")),
            CheckExample("""
                kind: postgres_columns
                url: ${DATABASE_URL}
                table: users
                columns: [{name: email, nullable: maybe}]
                """, .invalid("'nullable' must be true or false")),
            CheckExample("""
                kind: postgres_columns
                url: ${DATABASE_URL}
                table: users
                columns: [{name: email, tpye: text}]
                """, .invalid("unknown key 'tpye'; did you mean 'type'?")),
        ]
    )

    struct Requirement: Sendable {
        let name: String
        let type: String?
        let nullable: Bool?
        let defaultValue: String?
    }

    struct Column: Sendable {
        let name: String
        let type: String
        let nullable: Bool
        let defaultValue: String?
    }

    let url: String
    let table: String
    let columns: [Requirement]
    let forbidden: [String]

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        url = try parameters.requiredString("url")
        let table = try parameters.requiredString("table")
        self.table = table.contains(".") ? table : "public.\(table)"
        let records = try parameters.records("columns", nameKey: "name", allowedKeys: ["name", "type", "nullable", "default"]) ?? []
        var columns: [Requirement] = []
        for record in records {
            var nullable: Bool?
            if let text = record["nullable"] {
                guard let flag = ["true": true, "false": false][text] else {
                    throw ConfigError(.wrongType(key: "nullable", expected: "true or false", found: "'\(text)'"), at: parameters.location(of: "columns"))
                }
                nullable = flag
            }
            columns.append(Requirement(name: record["name"]!, type: record["type"], nullable: nullable, defaultValue: record["default"]))
        }
        self.columns = columns
        forbidden = try parameters.strings("forbidden") ?? []
        guard !columns.isEmpty || !forbidden.isEmpty else { throw parameters.invalid("columns", "name required columns, forbidden ones, or both") }
    }

    /// The table's columns; nil when the table does not exist.
    func observe(_ context: CheckContext) throws(CheckStop) -> [Column]? {
        try DatabaseCheckSupport.withSession(url, context: context) { session throws(PostgresError) -> [Column]? in
            let exists = try session.query("SELECT to_regclass($1) IS NOT NULL AS present", [table])
            guard exists.value("present") == .bool(true) else { return nil }
            let result = try session.query("""
                SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
                       pg_get_expr(d.adbin, d.adrelid) AS default_value
                FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum
                """, [table])
            return result.rows.map { row in
                Column(name: row[0].description, type: row[1].description, nullable: row[2] == .bool(true),
                       defaultValue: row[3] == .null ? nil : row[3].description)
            }
        }
    }

    /// The decision from the table's columns (nil when the table does not exist).
    func judge(_ actual: [Column]?) -> CheckResult {
        guard let actual else { return .failed("table \(table) does not exist") }
        var problems: [String] = []
        for required in columns {
            guard let column = actual.first(where: { $0.name == required.name }) else {
                problems.append("missing column \(required.name)")
                continue
            }
            if let type = required.type, !PostgresType.matches(expected: type, actual: column.type) {
                problems.append("\(column.name) is \(column.type), expected \(type)")
            }
            if let nullable = required.nullable, nullable != column.nullable {
                problems.append("\(column.name) is \(column.nullable ? "nullable" : "NOT NULL"), expected \(nullable ? "nullable" : "NOT NULL")")
            }
            if let expected = required.defaultValue, expected != column.defaultValue {
                problems.append("\(column.name) defaults to \(column.defaultValue ?? "nothing"), expected \(expected)")
            }
        }
        for column in actual {
            if let glob = forbidden.first(where: { Glob.matches($0, column.name) }) { problems.append("\(column.name) is forbidden (\(glob))") }
        }
        guard problems.isEmpty else { return .failed("\(table): \(problems.joined(separator: "; "))") }
        return .passed("\(table) has \(columns.map(\.name).joined(separator: ", "))\(forbidden.isEmpty ? "" : " and no \(forbidden.joined(separator: ", "))")")
    }
}
