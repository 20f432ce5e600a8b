import Foundation
import Postgres
@testable import QualityGates
import Testing

/// The load-time guard, on PostgreSQL's tokens: every spelling of a dangerous call is refused by
/// the function's name, and the name it resolves is the one the server resolves.
struct SQLGuardTests {
    /// One function of each family that acts outside the transaction or runs SQL text, with
    /// arguments of the right shape.
    static let families: [(name: String, arguments: String)] = [
        ("dblink_exec", "'dbname=nestsync', 'DELETE FROM users'"),
        ("dblink", "'dbname=nestsync', 'DELETE FROM users RETURNING 1'"),
        ("pg_terminate_backend", "4242"),
        ("pg_advisory_lock", "42"),
        ("pg_create_physical_replication_slot", "'planted'"),
        ("pg_stat_reset", ""),
        ("pg_read_file", "'/etc/passwd'"),
        ("lo_from_bytea", "0, 'x'::bytea"),
        ("pg_logical_emit_message", "false, 'p', 'x'"),
        ("set_config", "'statement_timeout', '0', false"),
        ("nextval", "'audit_seq'"),
        ("query_to_xml", "'DELETE FROM users RETURNING id', true, false, ''"),
    ]

    /// `\\00XX` for the first letter, so the name never appears as written.
    private static func escaped(_ name: String, escape: String = "\\") -> String {
        let first = name.unicodeScalars.first!.value
        return escape + String(format: "%04x", first) + String(name.dropFirst())
    }

    /// Every way of writing a call of `name` that PostgreSQL reads as that call.
    static func spellings(_ name: String, _ arguments: String) -> [(label: String, sql: String)] {
        let upper = name.uppercased()
        return [
            ("plain", "SELECT \(name)(\(arguments))"),
            ("upper-case", "SELECT \(upper)(\(arguments))"),
            ("quoted", "SELECT \"\(name)\"(\(arguments))"),
            ("U&", "SELECT U&\"\(escaped(name))\"(\(arguments))"),
            ("U& with UESCAPE", "SELECT U&\"\(escaped(name, escape: "!"))\" UESCAPE '!' (\(arguments))"),
            ("qualified", "SELECT pg_catalog.\(name)(\(arguments))"),
            ("quoted and qualified", "SELECT \"pg_catalog\".\"\(name)\"(\(arguments))"),
            ("commented", "SELECT \(name)/* a comment */(\(arguments))"),
            ("line comment", "SELECT \(name) -- a comment\n(\(arguments))"),
            ("in a string", "SELECT query_to_xml('SELECT \(name)(\(arguments.replacingOccurrences(of: "'", with: "''")))', true, false, '')"),
            ("through LATERAL", "SELECT * FROM users, LATERAL \(name)(\(arguments)) AS x"),
            ("through VALUES", "VALUES (\(name)(\(arguments)))"),
            ("in a WITH", "WITH x AS (SELECT \(name)(\(arguments))) SELECT * FROM x"),
            ("attribute notation", "SELECT ('x'::text).\(name)"),
        ]
    }

    @Test("each spelling of each dangerous family is refused by the function's name", arguments: families.map(\.name))
    func everySpellingRefused(name: String) throws {
        let arguments = Self.families.first { $0.name == name }!.arguments
        for (label, sql) in Self.spellings(name, arguments) {
            let refusal = SQLGuard.refusal(sql)
            #expect(refusal != nil, "\(label): \(sql)")
            let named = label == "in a string" ? "query_to_xml" : name
            #expect(refusal?.contains(named) == true, "\(label): \(refusal ?? "accepted")")
        }
    }

    @Test("reading statements pass, and their calls and operators are kept for the run-time lookup")
    func readingStatements() throws {
        for sql in ["SELECT count(*) AS count FROM users", "SELECT table_name FROM information_schema.tables WHERE table_name = $1",
                    "WITH c AS (SELECT * FROM children) SELECT count(*) FROM c", "SELECT comment, load, release FROM posts",
                    "EXPLAIN SELECT 1", "SHOW server_version", "TABLE users", "SELECT 'DELETE FROM users; SELECT dblink_exec(1)'",
                    "SELECT \"delete\" FROM t", "SELECT 1 AS dblink_exec;"] {
            #expect(SQLGuard.refusal(sql) == nil, "\(sql): \(SQLGuard.refusal(sql) ?? "")")
        }
        guard case .success(let analysis) = SQLGuard.analyse("SELECT public.f(1), g(2), (u).h, 1 ## 2, 3 OPERATOR(app.@@) 4 FROM users u") else {
            Issue.record("refused")
            return
        }
        #expect(analysis.calls.map(\.written) == ["public.f", "g", "h", "operator"])
        #expect(analysis.calls.map(\.attribute) == [false, false, true, false])
        #expect(analysis.operators == [.init(schema: nil, name: "##"), .init(schema: "app", name: "@@")])
        #expect(!analysis.referencesNothing)
    }

    @Test("statements that write or leave the transaction are refused with the reason")
    func writingRefused() {
        #expect(SQLGuard.refusal("DELETE FROM users")?.contains("DELETE is not a reading statement") == true)
        #expect(SQLGuard.refusal("SELECT 1; DELETE FROM users")?.contains("only one statement") == true)
        #expect(SQLGuard.refusal("SELECT 1 /* ; */ ; -- x\n DELETE FROM users")?.contains("only one statement") == true)
        #expect(SQLGuard.refusal("SELECT * INTO planted FROM users")?.contains("INTO writes") == true)
        #expect(SQLGuard.refusal("EXPLAIN (ANALYZE) DELETE FROM users")?.contains("EXPLAIN ANALYZE runs the statement") == true)
        #expect(SQLGuard.refusal("SELECT 'open")?.contains("cannot be read as SQL: unterminated quoted string") == true)
        #expect(SQLGuard.refusal("   ") == "the query is empty")
    }

    @Test("only constants name nothing: SELECT 1 runs as any role, a table or a cast does not")
    func referencesNothing() throws {
        func nothing(_ sql: String) -> Bool {
            guard case .success(let analysis) = SQLGuard.analyse(sql) else { return false }
            return analysis.referencesNothing
        }
        #expect(nothing("SELECT 1"))
        #expect(nothing("SELECT 1 AS one, 'ok' AS \"Status\", NULL, true;"))
        #expect(!nothing("SELECT 1 FROM users"))
        #expect(!nothing("SELECT '1'::mytype"))
        #expect(!nothing("SELECT 1 + 1"))
        #expect(!nothing("SELECT now()"))
    }

    @Test("the run-time judgement: volatile functions not known to read, and the application's own functions, are refused unless allowed")
    func functionLookupJudgement() {
        let setseed = FunctionLookup.Found(schema: "pg_catalog", name: "setseed", volatile: true, owner: "postgres", system: true, viaOperator: nil)
        let size = FunctionLookup.Found(schema: "pg_catalog", name: "pg_database_size", volatile: true, owner: "postgres", system: true, viaOperator: nil)
        let upper = FunctionLookup.Found(schema: "pg_catalog", name: "upper", volatile: false, owner: "postgres", system: true, viaOperator: nil)
        let own = FunctionLookup.Found(schema: "public", name: "innocent", volatile: false, owner: "app", system: false, viaOperator: nil)
        let viaOperator = FunctionLookup.Found(schema: "public", name: "plus3", volatile: true, owner: "app", system: false, viaOperator: "+++")
        #expect(FunctionLookup.refusal([upper, size], allowing: []) == nil)
        #expect(FunctionLookup.refusal([setseed], allowing: [])?.contains("calls pg_catalog.setseed(), a volatile function") == true)
        #expect(FunctionLookup.refusal([setseed], allowing: ["setseed"]) == nil)
        #expect(FunctionLookup.refusal([own], allowing: [])?.contains("owned by role 'app'") == true)
        #expect(FunctionLookup.refusal([own], allowing: ["public.innocent"]) == nil)
        #expect(FunctionLookup.refusal([own], allowing: ["other.innocent"]) != nil)
        #expect(FunctionLookup.refusal([viaOperator], allowing: [])?.contains("operator +++ runs public.plus3()") == true)
    }

    private static let adminURL = ProcessInfo.processInfo.environment["QG_TEST_PG_ADMIN_URL"]

    /// The server names the function it resolved in its "does not exist" error when called with
    /// arguments no overload takes; nothing runs.
    @Test("the name the guard resolves is the one the server resolves, for every spelling", .enabled(if: adminURL != nil))
    func namesAgreeWithTheServer() throws {
        let connection = try PostgresConnection.connect(Self.adminURL!, connectTimeout: 10)
        for (name, _) in Self.families {
            for (label, sql) in Self.spellings(name, "NULL::point, NULL::point, NULL::point, NULL::point")
            where !["in a string", "attribute notation", "through LATERAL"].contains(label) {
                let tokens = try SQLLexer.tokens(sql)
                let ours = SQLGuard.calls(in: tokens).first { $0.name.lowercased() == name }
                do {
                    _ = try connection.query(sql, timeout: 10)
                    Issue.record("\(label): \(sql) ran")
                } catch {
                    let message = error.message
                    let serverName = message.components(separatedBy: "function ").dropFirst().first?.components(separatedBy: "(").first
                    #expect(serverName == ours?.written, "\(label): the server says \(message)")
                }
            }
        }
    }
}
