import Foundation
import Postgres
import Testing
@testable import QualityGates

extension DatabaseGateTests {
    @Test("connections are named quality-gates unless the connection string names them")
    func applicationName() throws {
        let plain = try PostgresConnection.connect(TestDatabase.appURL(), connectTimeout: 5)
        #expect(try plain.query("SELECT current_setting('application_name') AS name", timeout: 5).value("name") == .text("quality-gates"))
        let named = try PostgresConnection.connect(TestDatabase.appURL() + "?application_name=ci-gates", connectTimeout: 5)
        #expect(try named.query("SELECT current_setting('application_name') AS name", timeout: 5).value("name") == .text("ci-gates"))
    }

    @Test("key=value connection strings work, and PG* variables are honoured by libpq")
    func keyValueStrings() throws {
        let connection = try PostgresConnection.connect(
            "host=127.0.0.1 port=\(TestDatabase.port) dbname=nestsync user=nestsync_app password=\(TestDatabase.appPassword)", connectTimeout: 5)
        #expect(connection.target == "127.0.0.1:\(TestDatabase.port)/nestsync")
        #expect(try connection.query("SELECT $1::int + $2::int AS sum", ["2", "40"], timeout: 5).value("sum") == .integer(42))
    }

    @Test("an application's URL connects as it is: SQLAlchemy's driver in the scheme, asyncpg's ssl=, Prisma's pooler parameters")
    func applicationURLs() throws {
        let url = TestDatabase.appURL()  // postgresql://nestsync_app:…@127.0.0.1:port/nestsync
        let rest = try #require(url.firstRange(of: "://")).upperBound
        for written in ["postgresql+asyncpg://" + url[rest...] + "?ssl=disable",
                        "postgres+psycopg2://" + url[rest...],
                        "postgresql+psycopg://" + url[rest...] + "?pgbouncer=true&connection_limit=1&application_name=app-url"] {
            let connection = try PostgresConnection.connect(written, connectTimeout: 5)
            #expect(connection.target == "127.0.0.1:\(TestDatabase.port)/nestsync")
        }
        // asyncpg's ssl=require means TLS required, as sslmode=require does.
        #expect(throws: PostgresError.self) { _ = try PostgresConnection.connect("postgresql+asyncpg://" + url[rest...] + "?ssl=require", connectTimeout: 5) }
    }

    @Test("parameters travel apart from the SQL, so quotes in them are data")
    func parametersAreData() throws {
        let connection = try PostgresConnection.connect(TestDatabase.appURL(), connectTimeout: 5)
        let tricky = "x'); DROP TABLE users; --"
        #expect(try connection.query("SELECT $1::text AS value", [tricky], timeout: 5).value("value") == .text(tricky))
        #expect(try connection.query("SELECT $1::text IS NULL AS missing", [nil], timeout: 5).value("missing") == .bool(true))
    }

    @Test("the client-side deadline cancels a statement the server would let run, and closes the connection")
    func clientDeadline() throws {
        let connection = try PostgresConnection.connect(TestDatabase.appURL(), connectTimeout: 5)
        let start = Date()
        #expect(throws: PostgresError(.cancelled, message: "the statement ran past its deadline and was cancelled",
                                      target: connection.target)) {
            _ = try connection.query("SELECT pg_sleep(30)", timeout: 0.5)
        }
        #expect(Date().timeIntervalSince(start) < 10) // the statement would sleep 30 s
        #expect(throws: PostgresError.self) { _ = try connection.query("SELECT 1", timeout: 5) }
        // The server ends the cancelled statement too: no session is left sleeping.
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try TestDatabase.psql("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'") == "0")
    }

    @Test("a server without TLS, when TLS is required, is a TLS failure")
    func tlsRequired() {
        do {
            _ = try PostgresConnection.connect(TestDatabase.appURL() + "?sslmode=require", connectTimeout: 5)
            Issue.record("connected without TLS although sslmode=require")
        } catch {
            #expect(error.kind == .tls, "\(error)")
        }
    }

    @Test("the session refuses a second statement through the extended protocol")
    func oneStatementOnly() throws {
        let connection = try PostgresConnection.connect(TestDatabase.appURL(), connectTimeout: 5)
        #expect(throws: PostgresError.self) { _ = try connection.query("SELECT 1; SELECT 2", timeout: 5) }
    }
}

struct PostgresClassificationTests {
    @Test("connection failures are classified from libpq's messages", arguments: [
        ("connection to server at \"127.0.0.1\", port 1 failed: Connection refused", PostgresError.Kind.refused),
        ("could not translate host name \"db.invalid\" to address: Name or service not known", .dns),
        ("connection to server at \"10.0.0.1\", port 5432 failed: timeout expired", .timeout),
        ("connection to server at \"127.0.0.1\" failed: FATAL: password authentication failed for user \"app\"", .authentication),
        ("connection to server at \"127.0.0.1\" failed: FATAL: database \"gone\" does not exist", .databaseMissing),
        ("connection to server at \"127.0.0.1\" failed: FATAL: sorry, too many clients already", .tooManyClients),
        ("FATAL: remaining connection slots are reserved for non-replication superuser connections", .tooManyClients),
        ("connection to server at \"127.0.0.1\" failed: FATAL: too many connections for database \"nestsync\"", .tooManyClients),
        ("connection to server at \"127.0.0.1\" failed: FATAL: too many connections for role \"app\"", .tooManyClients),
        ("connection to server at \"127.0.0.1\" failed: server does not support SSL, but SSL was required", .tls),
        ("something new", .connection),
    ])
    func classify(_ message: String, _ kind: PostgresError.Kind) {
        #expect(PostgresConnection.classify(message, target: "t").kind == kind)
    }

    @Test("a malformed connection string is an error before any network call")
    func badString() {
        #expect(throws: PostgresError.self) { try PostgresConnection.connect("postgresql://host:notaport/db?sslmode", connectTimeout: 1) }
        do {
            _ = try PostgresConnection.connect("host=127.0.0.1 bogus_option=1", connectTimeout: 1)
        } catch {
            #expect(error.kind == .badConnectionString)
            #expect(error.message.contains("bogus_option"))
        }
    }
}

/// How application URLs become libpq's, without a server.
struct ApplicationURLTests {
    @Test("application URLs in libpq's form", arguments: [
        ("postgresql+asyncpg://u:p@db:5432/app", "postgresql://u:p@db:5432/app"),
        ("POSTGRES+psycopg2://u@db/app?sslmode=require", "postgres://u@db/app?sslmode=require"),
        ("postgresql+asyncpg://u@db/app?ssl=require&application_name=x", "postgresql://u@db/app?sslmode=require&application_name=x"),
        ("postgresql://u@db/app?ssl=true", "postgresql://u@db/app?sslmode=require"),
        ("postgresql://u@pooler:6543/postgres?pgbouncer=true&connection_limit=1", "postgresql://u@pooler:6543/postgres"),
        // sslmode given beside ssl wins; unknown values and other parameters reach libpq as written.
        ("postgresql://u@db/app?ssl=true&sslmode=verify-full", "postgresql://u@db/app?ssl=true&sslmode=verify-full"),
        ("postgresql://u@db/app?ssl=maybe", "postgresql://u@db/app?ssl=maybe"),
        ("postgresql://u@db/app?schema=public", "postgresql://u@db/app?schema=public"),
        ("host=db dbname=app", "host=db dbname=app"),
        ("mysql+pymysql://u@db/app", "mysql+pymysql://u@db/app"),
    ])
    func libpqForm(_ written: String, _ expected: String) {
        #expect(ApplicationURL.libpqForm(written) == expected)
    }
}
