import Postgres

/// Connection headroom: client connections in use against the slots left for non-superusers.
struct PostgresConnectionsCheck: Check {
    static let description = CheckDescription(
        kind: "postgres_connections",
        summary: "Connection headroom: client connections in use against max_connections minus the reserved ones stay under a utilisation threshold; a connect refused with 53300 is reported as a pool exhausted.",
        parameters: [
            DatabaseCheckSupport.urlParameter,
            ParameterDoc("max_utilisation", "percent", "The highest share of usable connection slots in use that passes (default 80)."),
        ],
        defaultTargets: [.staging],
        thresholds: ["max_utilisation"],
        examples: [
            CheckExample("""
                kind: postgres_connections
                url: ${DATABASE_URL}
                max_utilisation: 95
                """, needsDatabase: true, .passes),
            CheckExample("""
                kind: postgres_connections
                url: ${DATABASE_URL}
                max_utilisation: 0
                """, needsDatabase: true, .fails("> 0 %")),
            CheckExample("""
                kind: postgres_connections
                url: ${DATABASE_URL}
                max_utilisation: 150
                """, .invalid("a percentage from 0 to 100")),
        ]
    )

    let url: String
    let maxUtilisation: Double

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        url = try parameters.requiredString("url")
        maxUtilisation = try parameters.number("max_utilisation") ?? 80
        guard maxUtilisation <= 100 else { throw parameters.invalid("max_utilisation", "a percentage from 0 to 100") }
    }

    /// Client sessions in use, and the sessions the server allows non-superusers.
    struct Observation {
        let inUse: Int
        let usable: Int
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> Observation {
        let session: ReadOnlySession
        do {
            session = try ReadOnlySession.open(url, timeout: context.timeout, inFlight: context.inFlightStatements)
        } catch where error.kind == .tooManyClients {
            // The pool exhausted is what this kind checks: a failed expectation, not an error.
            throw CheckStop(.failed(error.checkMessage))
        } catch {
            throw CheckStop(.errored(error.checkMessage))
        }
        do {
            let result = try session.query("""
                SELECT count(*) FILTER (WHERE backend_type = 'client backend') AS in_use,
                       current_setting('max_connections')::int AS max_connections,
                       current_setting('superuser_reserved_connections')::int AS reserved
                FROM pg_stat_activity
                """)
            let inUse = Int(result.value("in_use")?.number ?? 0)
            let usable = Int(result.value("max_connections")?.number ?? 0) - Int(result.value("reserved")?.number ?? 0)
            return Observation(inUse: inUse, usable: usable)
        } catch {
            throw CheckStop(.errored(error.checkMessage))
        }
    }

    func judge(_ observed: Observation) -> CheckResult {
        let (inUse, usable) = (observed.inUse, observed.usable)
        let utilisation = usable > 0 ? NumberText.tenths(Double(inUse) / Double(usable) * 100) : 100
        let summary = "\(inUse) of \(usable) usable connections in use (\(utilisation) %)"
        var result = utilisation <= maxUtilisation
            ? CheckResult.passed("\(summary) <= \(NumberText.number(maxUtilisation)) %")
            : CheckResult.failed("\(summary) > \(NumberText.number(maxUtilisation)) %")
        result.measurements = [Measurement(name: "connections_in_use", value: Double(inUse), unit: "count"),
                               Measurement(name: "connection_utilisation", value: utilisation, unit: "%")]
        return result
    }
}
