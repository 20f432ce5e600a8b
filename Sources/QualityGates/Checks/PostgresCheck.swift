import Postgres

/// The database accepts connections and, optionally, a reading query's result meets conditions.
struct PostgresCheck: Check {
    static let placeholders = ["CONNECTED", "CONNECT_TIME", "QUERY_TIME", "ROWS", "ROW"]

    static let description = CheckDescription(
        kind: "postgres",
        summary: "PostgreSQL accepts connections; optionally a reading query runs and its result meets conditions such as `[ROWS] > 0`, `[ROW].count == 0`, `[CONNECT_TIME] < 500`.",
        parameters: [
            DatabaseCheckSupport.urlParameter,
            ParameterDoc("query", "SQL", "One reading statement (SELECT, WITH, VALUES, TABLE, SHOW, EXPLAIN), checked when the gate file loads and run in a read-only transaction that is rolled back."),
            ParameterDoc("parameters", "list of strings", "Values for `$1`, `$2`, … in the query, sent apart from the SQL."),
            ParameterDoc("conditions", "list of conditions", "Placeholders: `[CONNECTED]`, `[CONNECT_TIME]` and `[QUERY_TIME]` (ms), `[ROWS]` (row count), `[ROW].column` (first row). Every condition is evaluated."),
            ParameterDoc("allow_privileged_role", "boolean", "Run the query even when the role is a superuser, has REPLICATION or BYPASSRLS, may run programs, touch server files or signal backends, or may execute dblink's connecting functions (a read-only transaction does not contain those). A query that names nothing but constants (`SELECT 1`) runs as any role. Default false."),
            ParameterDoc("allow_functions", "list of names", "Functions (`name` or `schema.name`) the query may call although they are volatile or belong to the application rather than to PostgreSQL or an extension; before the query runs, every function and operator it names is looked up on the server and anything else that is not known to only read is refused."),
        ],
        defaultTargets: [.staging],
        thresholds: ["conditions"],
        examples: [
            CheckExample("""
                kind: postgres
                url: ${DATABASE_URL}
                query: SELECT count(*) AS count FROM users
                conditions: ["[ROW].count >= 0", "[CONNECT_TIME] < 5000"]
                """, needsDatabase: true, .passes),
            CheckExample("""
                kind: postgres
                url: ${DATABASE_URL}
                query: SELECT table_name FROM information_schema.tables WHERE table_name = $1
                parameters: [children]
                conditions: ["[ROWS] == 1", "[ROW].table_name == children"]
                """, needsDatabase: true, .passes),
            CheckExample("""
                kind: postgres
                url: ${DATABASE_URL}
                query: SELECT 1 AS one
                conditions: ["[ROWS] > 5"]
                """, needsDatabase: true, .fails("[ROWS] (1) > 5")),
            CheckExample("""
                kind: postgres
                url: postgresql://nestsync_app@127.0.0.1:1/nestsync
                """, .fails("connection refused")),
            CheckExample("""
                kind: postgres
                url: ${DATABASE_URL}
                query: DELETE FROM users
                """, .invalid("DELETE is not a reading statement")),
            CheckExample("""
                kind: postgres
                url: ${DATABASE_URL}
                query: "WITH gone AS (DELETE FROM users RETURNING id) SELECT count(*) FROM gone"
                """, .invalid("DELETE writes or changes the session")),
            CheckExample("""
                kind: postgres
                url: ${DATABASE_URL}
                query: SELECT "PG_CATALOG".pg_terminate_backend/* spelled otherwise */(pid) FROM pg_stat_activity
                """, .invalid("pg_terminate_backend() signals or reconfigures other server processes")),
            CheckExample("""
                kind: postgres
                url: ${DATABASE_URL}
                query: SELECT query_to_xml('DELETE FROM users RETURNING id', true, false, '')
                """, .invalid("query_to_xml() runs the SQL text it is given")),
            CheckExample("""
                kind: postgres
                url: ${DATABASE_URL}
                query: SELECT setseed(0.5)
                """, needsDatabase: true, .errors("calls pg_catalog.setseed(), a volatile function not known to be free of side effects")),
            CheckExample("""
                kind: postgres
                url: ${DATABASE_URL}
                conditions: ["[ROWZ] > 0"]
                """, .invalid("unknown placeholder [ROWZ]; did you mean [ROWS]?")),
        ]
    )

    let url: String
    let query: String?
    let parameters: [String]
    let conditions: [Condition]
    let allowPrivilegedRole: Bool
    let allowFunctions: [String]
    /// What the query names, read when the gate file loads.
    let analysis: SQLGuard.Analysis?

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        url = try parameters.requiredString("url")
        query = try parameters.string("query")
        self.parameters = try parameters.strings("parameters") ?? []
        conditions = try parameters.conditions("conditions", placeholders: Self.placeholders)
        allowPrivilegedRole = try parameters.bool("allow_privileged_role") ?? false
        allowFunctions = try parameters.strings("allow_functions") ?? []
        if let query {
            switch SQLGuard.analyse(query) {
            case .success(let analysis): self.analysis = analysis
            case .failure(let refusal): throw parameters.invalid("query", refusal.message)
            }
        } else {
            analysis = nil
        }
        if query == nil, conditions.contains(where: { ["ROWS", "ROW", "QUERY_TIME"].contains($0.placeholder.name) }) {
            throw parameters.invalid("conditions", "[ROWS], [ROW] and [QUERY_TIME] need a query")
        }
    }

    /// What was observed: how long connecting took, and the query's result and time.
    struct Observation {
        let connectMilliseconds: Double
        let result: PostgresResult?
        let queryMilliseconds: Double?
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> Observation {
        let session: ReadOnlySession
        do {
            session = try ReadOnlySession.open(url, timeout: context.timeout, inFlight: context.inFlightStatements)
        } catch {
            // Connecting is what this kind checks, so a refused connection is a failed expectation.
            throw CheckStop(.failed(error.checkMessage))
        }
        let connectMilliseconds = DatabaseCheckSupport.milliseconds(session.connection.connectSeconds)
        guard let query, let analysis else { return Observation(connectMilliseconds: connectMilliseconds, result: nil, queryMilliseconds: nil) }
        do {
            if !allowPrivilegedRole, !analysis.referencesNothing {
                let (role, powers) = try session.privileges()
                if !powers.isEmpty { throw CheckStop(.errored(Self.privilegedRefusal(role: role, powers: powers))) }
            }
            if let refusal = try FunctionLookup.refusal(analysis, allowing: allowFunctions, in: session) {
                throw CheckStop(.errored("refused to run the query: \(refusal)"))
            }
            let (result, queryMilliseconds) = try DatabaseCheckSupport.timed { () throws(PostgresError) in
                try session.query(query, parameters)
            }
            return Observation(connectMilliseconds: connectMilliseconds, result: result, queryMilliseconds: queryMilliseconds)
        } catch let error as PostgresError {
            var result = CheckResult.errored(error.checkMessage)
            result.measurements = [Measurement(name: "connect_time", value: connectMilliseconds, unit: "ms")]
            throw CheckStop(result)
        } catch let stop as CheckStop {
            throw stop
        } catch {
            throw CheckStop(.errored("\(error)"))
        }
    }

    static func privilegedRefusal(role: String, powers: [String]) -> String {
        "refused to run a gate's SQL as '\(role)' (\(powers.joined(separator: ", "))): a read-only transaction does not stop such a role "
            + "from COPY … TO PROGRAM, lo_export, pg_terminate_backend, replication slots or a second, read-write connection through dblink. "
            + "Connect as a dedicated read-only role (README: \"A read-only role for gates\"), or set allow_privileged_role: true"
    }

    func judge(_ observed: Observation) -> CheckResult {
        var measurements = [Measurement(name: "connect_time", value: observed.connectMilliseconds, unit: "ms")]
        if let query = observed.queryMilliseconds { measurements.append(Measurement(name: "query_time", value: query, unit: "ms")) }
        let evaluations = conditions.map { $0.evaluate(resolve($0.placeholder, observed)) }
        let failing = evaluations.filter { !$0.holds }.map(\.text)
        let summary = observed.result.map { "\($0.rows.count) row\($0.rows.count == 1 ? "" : "s") in \(observed.queryMilliseconds ?? 0) ms" }
        var result = failing.isEmpty
            ? CheckResult.passed(evaluations.isEmpty ? "connected in \(observed.connectMilliseconds) ms\(summary.map { "; \($0)" } ?? "")"
                                                     : evaluations.map(\.text).joined(separator: ", "))
            : CheckResult.failed(failing.joined(separator: ", "))
        result.details = evaluations.map { ($0.holds ? "✓ " : "✗ ") + $0.text }
        result.measurements = measurements
        return result
    }

    private func resolve(_ placeholder: Condition.Placeholder, _ observed: Observation) -> Condition.Value {
        switch placeholder.name {
        case "CONNECTED": return .bool(true)
        case "CONNECT_TIME": return .number(observed.connectMilliseconds)
        case "QUERY_TIME": return observed.queryMilliseconds.map(Condition.Value.number) ?? .missing
        case "ROWS": return observed.result.map { .number(Double($0.rows.count)) } ?? .missing
        default:
            guard let result = observed.result, let column = placeholder.path.first else { return .missing }
            guard let value = result.value(column) else { return .missing }
            switch value {
            case .null: return .null
            case .bool(let flag): return .bool(flag)
            case .integer, .double: return .number(value.number ?? 0)
            case .text(let text): return placeholder.length ? .number(Double(text.count)) : .string(text)
            }
        }
    }
}
