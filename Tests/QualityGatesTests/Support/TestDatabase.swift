import Foundation
import TestSupport

/// The PostgreSQL that scripts/test starts: admin access through psql for planting faults, and
/// throw-away copies of the migrated NestSync database.
enum TestDatabase {
    private static let environment = ProcessInfo.processInfo.environment
    static let available = environment["QG_TEST_PG_ADMIN_URL"] != nil
    static var port: String { environment["QG_TEST_PG_PORT"] ?? "0" }
    static var appPassword: String { environment["QG_TEST_PG_APP_PASSWORD"] ?? "" }
    /// PgBouncer in transaction mode in front of the nestsync database, one server connection.
    static var poolerURL: String? { environment["QG_TEST_PGBOUNCER_URL"] }

    static func adminURL(_ database: String = "postgres") -> String {
        let url = environment["QG_TEST_PG_ADMIN_URL"] ?? ""
        return String(url[..<url.lastIndex(of: "/")!]) + "/" + database
    }

    static func appURL(_ database: String = "nestsync", password: String? = nil) -> String {
        "postgresql://nestsync_app:\(password ?? appPassword)@127.0.0.1:\(port)/\(database)"
    }

    /// Runs SQL as the superuser; returns psql's unaligned output.
    @discardableResult
    static func psql(_ sql: String, database: String = "postgres") throws -> String {
        let result = try ProcessRunner.run("/usr/bin/psql", ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", adminURL(database), "-c", sql],
                                           environment: ["PATH": "/usr/bin:/bin", "PGCONNECT_TIMEOUT": "10"])
        guard result.status == 0 else { throw PsqlError(message: result.stderr) }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct PsqlError: Error { let message: String }

    /// A fresh copy of the migrated NestSync database, dropped when the value is released.
    final class Copy: @unchecked Sendable {
        let name: String
        var appURL: String { TestDatabase.appURL(name) }

        /// A copy of `template`: the NestSync example's database, or `nestsync_railway_template`
        /// for the railway layout's.
        init(_ label: String, template: String = "nestsync_template") throws {
            name = "qg_\(label)_\(UInt32.random(in: 0...UInt32.max))"
            try TestDatabase.psql("CREATE DATABASE \(name) TEMPLATE \(template)")
        }

        @discardableResult
        func psql(_ sql: String) throws -> String { try TestDatabase.psql(sql, database: name) }

        deinit { _ = try? TestDatabase.psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    }
}
