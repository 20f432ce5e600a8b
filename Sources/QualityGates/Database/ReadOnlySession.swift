import Postgres

/// A database session that cannot write: every statement runs inside `BEGIN READ ONLY` …
/// `ROLLBACK` (never a commit) through the extended protocol (one statement per call), with
/// statement, lock and idle timeouts set on the server for that transaction, and a client-side
/// deadline that cancels the statement and closes the connection.
///
/// Nothing is set for the session, only for each transaction (`set_config(…, true)`): behind a
/// pooler in transaction mode (PgBouncer, Supabase's pooler on port 6543) the server connection
/// goes to the application's clients after each transaction, and a session setting would go with
/// it. A session-wide read-only default once made the application's next writes fail ("cannot
/// execute INSERT in a read-only transaction") with the gates' timeouts on its queries.
///
/// The server's timeouts sit inside the check's (80 %), the client deadline just after (90 %),
/// and the runner's timeout is the last backstop: so the server's own cancel is what gets reported.
struct ReadOnlySession {
    let connection: PostgresConnection
    /// The client-side deadline of one statement, in seconds.
    let timeout: Double
    /// The server-side timeouts of a statement, in milliseconds, as set_config takes them.
    let serverTimeout: String

    /// Connects. Errors are classified (refused, DNS, timeout, ...).
    static func open(_ url: String, timeout checkTimeout: Double, inFlight: InFlightStatements? = nil) throws(PostgresError) -> ReadOnlySession {
        let connection = try PostgresConnection.connect(url, connectTimeout: checkTimeout, inFlight: inFlight)
        return ReadOnlySession(connection: connection, timeout: checkTimeout * 0.9, serverTimeout: String(max(1, Int(checkTimeout * 800))))
    }

    /// Runs one reading statement inside a read-only transaction, with its timeouts, that is
    /// always rolled back.
    func query(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> PostgresResult {
        _ = try connection.query("BEGIN READ ONLY", timeout: timeout)
        do {
            _ = try connection.query("""
                SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $1, true),
                       set_config('idle_in_transaction_session_timeout', $1, true)
                """, [serverTimeout], timeout: timeout)
            let result = try connection.query(sql, parameters, timeout: timeout)
            _ = try connection.query("ROLLBACK", timeout: timeout)
            return result
        } catch {
            _ = try? connection.query("ROLLBACK", timeout: min(timeout, 5))
            throw error
        }
    }

    /// The powers of the connected role that a read-only transaction does not contain: superuser,
    /// REPLICATION, BYPASSRLS, membership in the roles that run programs, touch server files or
    /// signal backends, and EXECUTE on dblink's connecting functions (a second, read-write
    /// connection with the same credentials).
    func privileges() throws(PostgresError) -> (role: String, powers: [String]) {
        let result = try query("""
            SELECT current_user::text AS role, r.rolsuper AS superuser, r.rolreplication AS replication,
                   r.rolbypassrls AS bypassrls,
                   pg_has_role(current_user, 'pg_execute_server_program', 'MEMBER') AS pg_execute_server_program,
                   pg_has_role(current_user, 'pg_write_server_files', 'MEMBER') AS pg_write_server_files,
                   pg_has_role(current_user, 'pg_read_server_files', 'MEMBER') AS pg_read_server_files,
                   pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') AS pg_signal_backend,
                   (SELECT string_agg(DISTINCT p.proname::text, ', ' ORDER BY p.proname::text) FROM pg_proc p
                     WHERE p.proname IN ('dblink_exec', 'dblink_connect', 'dblink_connect_u')
                       AND has_function_privilege(p.oid, 'EXECUTE')) AS dblink
            FROM pg_roles r WHERE r.rolname = current_user
            """)
        let role = result.value("role")?.description ?? "?"
        var powers = [("superuser", "superuser"), ("replication", "REPLICATION"), ("bypassrls", "BYPASSRLS"),
                      ("pg_execute_server_program", "pg_execute_server_program"), ("pg_write_server_files", "pg_write_server_files"),
                      ("pg_read_server_files", "pg_read_server_files"), ("pg_signal_backend", "pg_signal_backend")]
            .filter { result.value($0.0) == .bool(true) }.map(\.1)
        if case .text(let functions)? = result.value("dblink") { powers.append("may EXECUTE \(functions)") }
        return (role, powers)
    }
}

extension PostgresError {
    /// The message a check reports: what happened, where, and for the common failures what to do.
    var checkMessage: String {
        switch kind {
        case .refused: "cannot connect to \(target): connection refused (is PostgreSQL running and listening there?)"
        case .dns: "cannot connect to \(target): the host name does not resolve"
        case .timeout: "cannot connect to \(target): no answer within the connect timeout"
        case .authentication: "cannot connect to \(target): authentication failed (\(message))"
        case .databaseMissing: "cannot connect to \(target): the database does not exist"
        case .tooManyClients: "connection pool exhausted at \(target): every connection slot is taken [53300]"
        case .tls: "cannot connect to \(target): TLS failed (\(message))"
        case .badConnectionString: "bad connection string: \(message)"
        case .connection: "cannot connect to \(target): \(message)"
        case .cancelled: "\(target): the statement ran past its timeout and was cancelled"
        case .query: "\(target): \(message)\(sqlstate.map { " [\($0)]" } ?? "")"
        }
    }
}
