internal import CLibPQ
import Glibc

/// One libpq connection, owned: `PQfinish` runs in `deinit`, and also right away when connecting
/// fails (libpq allocates a connection object even then).
///
/// Statements go through the extended protocol (`PQsendQueryParams`), so a string can never hold a
/// second statement, and parameters are never spliced into SQL. Every query has a client-side
/// deadline: past it the query is cancelled (`PQcancel`) and the connection closed.
public final class PostgresConnection {
    /// Loads libpq now rather than at the first connection (see `HTTPClient.loadLibrary`).
    public static func loadLibrary() { _ = LibPQ.shared }

    private let pq: LibPQ
    private var connection: OpaquePointer?
    /// The server, as `host:port/database`, without credentials.
    public let target: String
    /// Seconds the connection took to establish.
    public let connectSeconds: Double
    /// The run's statements, which a stopping run cancels; nil for connections of its own
    /// bookkeeping (the run history).
    public let inFlight: InFlightStatements?

    /// Connects with `connectionString`: a `postgresql://` URI or `key=value` pairs, with every
    /// libpq option honoured (sslmode and certificates, options, PG* variables, .pgpass), or a URL
    /// as an application's driver takes it (`ApplicationURL`).
    /// `connect_timeout` (whole seconds, at least 2, as libpq counts them) and
    /// `application_name=quality-gates` apply unless the string sets its own.
    /// - SeeAlso: `PQconnectdbParams` with `expand_dbname`.
    public static func connect(_ connectionString: String, connectTimeout: Double,
                               inFlight: InFlightStatements? = nil) throws(PostgresError) -> PostgresConnection {
        guard inFlight?.isStopping != true else { throw stopping }
        let pq = try LibPQ.shared.get()
        let connectionString = ApplicationURL.libpqForm(connectionString)
        var parseError: UnsafeMutablePointer<CChar>?
        if let options = pq.conninfoParse(connectionString, &parseError) {
            pq.conninfoFree(options)
        } else {
            let message = parseError.map { String(cString: $0) } ?? "invalid connection string"
            pq.freemem(parseError)
            throw PostgresError(.badConnectionString, message: message.oneLine, target: "(connection string)")
        }
        // Entries before the expanded dbname are overridden by the connection string's own values.
        let keywords = ["connect_timeout", "fallback_application_name", "dbname"]
        let values = [String(max(2, Int(connectTimeout.rounded(.up)))), "quality-gates", connectionString]
        let clock = ContinuousClock()
        let start = clock.now
        let connection = withCStringArrays(keywords, values) { pq.connectdbParams($0, $1, 1) }
        let elapsed = clock.now - start
        guard let connection else {
            throw PostgresError(.connection, message: "libpq could not allocate a connection", target: "(unknown)")
        }
        let target = Self.describe(connection, pq)
        guard pq.status(connection) == CONNECTION_OK else {
            let message = text(pq.errorMessage(connection)).oneLine
            pq.finish(connection)
            throw Self.classify(message, target: target)
        }
        let (seconds, attoseconds) = elapsed.components
        return PostgresConnection(pq, connection, target: target, connectSeconds: Double(seconds) + Double(attoseconds) / 1e18,
                                  inFlight: inFlight)
    }

    private init(_ pq: LibPQ, _ connection: OpaquePointer, target: String, connectSeconds: Double, inFlight: InFlightStatements?) {
        self.pq = pq
        self.connection = connection
        self.target = target
        self.connectSeconds = connectSeconds
        self.inFlight = inFlight
    }

    deinit { close() }

    /// Closes the connection; later queries throw.
    public func close() {
        if let connection { pq.finish(connection) }
        connection = nil
    }

    /// Runs one statement with text parameters (`$1`, `$2`, …; nil is SQL NULL) and returns its rows.
    /// Past `timeout` seconds the query is cancelled and the connection closed.
    /// - SeeAlso: `PQsendQueryParams`, `PQconsumeInput`, `PQgetResult`, `PQcancel`.
    public func query(_ sql: String, _ parameters: [String?] = [], timeout: Double) throws(PostgresError) -> PostgresResult {
        guard let connection else { throw PostgresError(.connection, message: "the connection is closed", target: target) }
        // Registered before it is sent, so a stop that comes while it runs cancels it on the server.
        var registration: Int?
        if let inFlight {
            guard let id = inFlight.register(pq.getCancel(connection), pq) else {
                close()
                throw Self.stopping
            }
            registration = id
        }
        defer { if let registration { inFlight?.finish(registration) } }
        let sent = withOptionalCStrings(parameters) { values in
            pq.sendQueryParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw failure(connection) }
        let deadline = ContinuousClock.now + .milliseconds(Int64(max(0, timeout) * 1000))
        var outcome: Result<PostgresResult, PostgresError>?
        while true {
            do {
                try waitUntilReady(connection, deadline: deadline)
            } catch {
                cancelAndClose(connection)
                throw error
            }
            guard let result = pq.getResult(connection) else { break }
            defer { pq.clear(result) }
            // Only the first result counts; the rest are drained so the connection stays usable.
            if outcome == nil { outcome = read(result) }
        }
        switch outcome {
        case .success(let rows): return rows
        case .failure(let error): throw error
        case nil: throw PostgresError(.query, message: "the server returned no result", target: target)
        }
    }

    static let stopping = PostgresError(.cancelled, message: "the run is stopping; the statement was not sent", target: "(stopping)")

    private func waitUntilReady(_ connection: OpaquePointer, deadline: ContinuousClock.Instant) throws(PostgresError) {
        while pq.isBusy(connection) == 1 {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                throw PostgresError(.cancelled, message: "the statement ran past its deadline and was cancelled", target: target)
            }
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            var descriptor = pollfd(fd: pq.socket(connection), events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, milliseconds) < 0 && errno != EINTR { throw failure(connection) }
            if pq.consumeInput(connection) == 0 { throw failure(connection) }
        }
    }

    private func read(_ result: OpaquePointer) -> Result<PostgresResult, PostgresError> {
        switch pq.resultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            let columns = (0..<pq.nfields(result)).map { text(pq.fname(result, $0)) }
            let types = (0..<pq.nfields(result)).map { pq.ftype(result, $0) }
            let rows = (0..<pq.ntuples(result)).map { row in
                (0..<pq.nfields(result)).map { column -> PostgresValue in
                    guard pq.getisnull(result, row, column) == 0 else { return .null }
                    return .decode(text(pq.getvalue(result, row, column)), typeOID: types[Int(column)])
                }
            }
            return .success(PostgresResult(columns: columns, rows: rows))
        default:
            let state = pq.resultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let primary = pq.resultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            let message = primary ?? text(pq.resultErrorMessage(result)).oneLine
            let kind: PostgresError.Kind = state == "57014" ? .cancelled : .query
            return .failure(PostgresError(kind, sqlstate: state, message: message, target: target))
        }
    }

    /// Asks the server to cancel the running statement, then closes the connection: whatever the
    /// server does with the cancel, this connection is not waited on again.
    private func cancelAndClose(_ connection: OpaquePointer) {
        if let cancel = pq.getCancel(connection) {
            var buffer = [CChar](repeating: 0, count: 256)
            _ = pq.cancel(cancel, &buffer, Int32(buffer.count))
            pq.freeCancel(cancel)
        }
        close()
    }

    private func failure(_ connection: OpaquePointer) -> PostgresError {
        Self.classify(text(pq.errorMessage(connection)).oneLine, target: target)
    }

    private static func describe(_ connection: OpaquePointer, _ pq: LibPQ) -> String {
        let host = pq.host(connection).map { String(cString: $0) } ?? "localhost"
        let port = pq.port(connection).map { String(cString: $0) } ?? "5432"
        let database = pq.db(connection).map { String(cString: $0) } ?? ""
        return "\(host.hasPrefix("/") ? "socket \(host)" : host):\(port)/\(database)"
    }

    /// libpq reports connection failures as text only, and never their SQLSTATE; these are its
    /// messages and the server's (in English, the default `lc_messages`).
    public static func classify(_ message: String, target: String) -> PostgresError {
        let text = message.lowercased()
        func has(_ needles: String...) -> Bool { needles.contains { text.contains($0) } }
        let (kind, state): (PostgresError.Kind, String?) =
            // The server's max_connections, or a database's or role's CONNECTION LIMIT: all are 53300.
            if has("too many clients", "remaining connection slots are reserved", "too many connections for") { (.tooManyClients, "53300") }
            else if has("password authentication failed", "no password supplied", "authentication failed") { (.authentication, "28P01") }
            else if has("no pg_hba.conf entry", "is not permitted to log in") || (has("role \"") && has("does not exist")) { (.authentication, "28000") }
            else if has("database \"") && has("does not exist") { (.databaseMissing, "3D000") }
            else if has("could not translate host name", "name or service not known", "temporary failure in name resolution") { (.dns, nil) }
            else if has("connection refused") { (.refused, nil) }
            else if has("timeout expired", "timed out") { (.timeout, nil) }
            else if has("ssl", "certificate", "tls") { (.tls, nil) }
            else { (.connection, nil) }
        return PostgresError(kind, sqlstate: state, message: message, target: target)
    }
}

/// A C string from libpq as Swift text; libpq returns "" rather than NULL where it can, but a
/// NULL must not crash a run.
private func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
}

extension String {
    /// libpq's multi-line messages on one line.
    var oneLine: String {
        split(whereSeparator: \.isNewline).map { $0.trimmingSpaces }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
