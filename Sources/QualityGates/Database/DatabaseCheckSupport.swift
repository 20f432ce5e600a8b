import FoundationEssentials
import Postgres

/// What the database check kinds share: opening a read-only session and timing what they do.
enum DatabaseCheckSupport {
    /// Opens a session and runs `body` with it. A database error, connecting or later, ends the
    /// check as errored: it could not be evaluated.
    static func withSession<T>(_ url: String, context: CheckContext,
                               _ body: (ReadOnlySession) throws(PostgresError) -> T) throws(CheckStop) -> T {
        do {
            return try body(try ReadOnlySession.open(url, timeout: context.timeout, inFlight: context.inFlightStatements))
        } catch {
            throw CheckStop(.errored(error.checkMessage))
        }
    }

    /// Milliseconds, for measurements and conditions.
    static func milliseconds(_ seconds: Double) -> Double { NumberText.tenths(seconds * 1000) }

    /// Runs `body`, returning its result and the milliseconds it took.
    static func timed<T>(_ body: () throws(PostgresError) -> T) throws(PostgresError) -> (T, Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try body()
        let (seconds, attoseconds) = (clock.now - start).components
        return (value, milliseconds(Double(seconds) + Double(attoseconds) / 1e18))
    }

    static let urlParameter = ParameterDoc("url", "connection string", required: true,
                                           "A `postgresql://` URI or `key=value` string; write `${DATABASE_URL}` so the password stays in the environment. The URL an application's driver takes works as it is: SQLAlchemy's `postgresql+asyncpg://` or `+psycopg2`, asyncpg's `ssl=require` (libpq's `sslmode`), Prisma's `pgbouncer` and `connection_limit` (left to the client libraries).")
}
