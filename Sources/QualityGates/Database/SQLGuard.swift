import Postgres

/// Decides, before anything reaches a server, whether free-form SQL from a gate file only reads.
/// It works on the tokens PostgreSQL itself would read (`SQLLexer`), so a function is recognised
/// however it is spelled: quoted, `U&"…"`, schema-qualified, upper-cased, with a comment before
/// its parenthesis, or called in attribute notation (`(x).f` is `f(x)`). The read-only transaction
/// is the next line of defence, and at run time the names the statement calls are looked up in
/// `pg_proc` (`SQLFunctionCheck`); this one names the problem at load time.
enum SQLGuard {
    static let readingStatements: Set<String> = ["select", "with", "values", "table", "show", "explain"]
    /// Other statements (NOTIFY, CHECKPOINT, …) cannot start a gate's query, and a second
    /// statement is refused, so only the words that write from inside a reading statement are
    /// listed: more would refuse columns called `comment` or `load`.
    static let writingKeywords: Set<String> = ["insert", "update", "delete", "merge", "into", "truncate", "drop", "create",
                                               "alter", "grant", "revoke", "copy", "lock", "call", "do", "commit",
                                               "rollback", "begin", "set", "reset", "vacuum", "cluster", "reindex", "prepare"]

    /// Functions that act outside the transaction or the session, or run SQL given to them as text:
    /// refused wherever they appear, whatever the role. Each family says why.
    struct Family {
        let reason: String
        let names: Set<String>
        let prefixes: [String]

        func contains(_ name: String) -> Bool { names.contains(name) || prefixes.contains { name.hasPrefix($0) } }
    }

    static let escapingFamilies: [Family] = [
        Family(reason: "opens a second connection with the same credentials, outside the read-only transaction (dblink)",
               names: [], prefixes: ["dblink"]),
        Family(reason: "signals or reconfigures other server processes",
               names: ["pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile", "pg_rotate_logfile_old",
                       "pg_promote", "pg_log_backend_memory_contexts", "pg_wal_replay_pause", "pg_wal_replay_resume", "pg_switch_wal",
                       "pg_create_restore_point", "pg_backup_start", "pg_backup_stop", "pg_start_backup", "pg_stop_backup",
                       "pg_import_system_collations"], prefixes: []),
        Family(reason: "takes an advisory lock, which can outlive the statement and block other sessions",
               names: [], prefixes: ["pg_advisory", "pg_try_advisory"]),
        Family(reason: "changes replication state (slots, origins, the WAL), which a rollback does not undo",
               names: ["pg_create_physical_replication_slot", "pg_create_logical_replication_slot", "pg_drop_replication_slot",
                       "pg_copy_physical_replication_slot", "pg_copy_logical_replication_slot", "pg_replication_slot_advance",
                       "pg_logical_emit_message"],
               prefixes: ["pg_replication_origin", "pg_logical_slot"]),
        Family(reason: "resets statistics, which a rollback does not undo", names: [], prefixes: ["pg_stat_reset", "pg_stat_statements_reset"]),
        Family(reason: "reads or writes files on the database server",
               names: ["pg_read_file", "pg_read_file_old", "pg_read_binary_file", "pg_stat_file", "pg_logdir_ls"],
               prefixes: ["pg_ls_", "pg_file_"]),
        Family(reason: "works on large objects, stored apart from the tables (and lo_export writes a server file)",
               names: ["lo_import", "lo_export", "lo_create", "lo_creat", "lo_unlink", "lo_put", "lo_from_bytea", "lo_open", "lo_close",
                       "lo_truncate", "lo_truncate64", "lo_lseek", "lo_lseek64", "lo_tell", "lo_tell64", "lo_get", "loread", "lowrite"],
               prefixes: []),
        Family(reason: "advances a sequence, which a rollback does not undo", names: ["nextval", "setval"], prefixes: []),
        Family(reason: "changes the session's settings (its timeouts, its read-only default)", names: ["set_config"], prefixes: []),
        Family(reason: "runs the SQL text it is given, out of sight of this check",
               names: ["query_to_xml", "query_to_xmlschema", "query_to_xml_and_xmlschema", "cursor_to_xml", "cursor_to_xmlschema",
                       "table_to_xml", "table_to_xmlschema", "table_to_xml_and_xmlschema", "schema_to_xml", "schema_to_xmlschema",
                       "schema_to_xml_and_xmlschema", "database_to_xml", "database_to_xmlschema", "database_to_xml_and_xmlschema",
                       "ts_stat", "ts_rewrite"],
               prefixes: []),
    ]

    /// A name the statement calls: `schema.name(…)`, `name(…)`, or `x.name` (attribute notation,
    /// which PostgreSQL reads as `name(x)` when no column is called so).
    struct Call: Equatable, Sendable {
        let schema: String?
        let name: String
        let attribute: Bool
        let offset: Int

        var written: String { (schema.map { "\($0)." } ?? "") + name }
    }

    /// An operator the statement writes, with its schema when written `OPERATOR(schema.op)`.
    struct Operator: Equatable, Sendable {
        let schema: String?
        let name: String
    }

    /// What a reading statement names, for the run-time lookup.
    struct Analysis: Sendable {
        let calls: [Call]
        /// Operators written in the statement (user-defined operators run functions too).
        let operators: [Operator]
        /// The statement names no relation, function, type or operator (`SELECT 1`): nothing it
        /// does can reach past the transaction, whatever the role.
        let referencesNothing: Bool
    }

    /// Why `sql` is refused, or nil when it only reads.
    static func refusal(_ sql: String) -> String? {
        if case .failure(let refusal) = analyse(sql) { return refusal.message }
        return nil
    }

    struct Refusal: Error { let message: String }

    static func analyse(_ sql: String) -> Result<Analysis, Refusal> {
        let tokens: [SQLToken]
        do {
            tokens = try SQLLexer.tokens(sql)
        } catch {
            return .failure(Refusal(message: "the query cannot be read as SQL: \(error)"))
        }
        guard let first = tokens.first else { return .failure(Refusal(message: "the query is empty")) }
        guard first.kind == .word, readingStatements.contains(first.text) else {
            return .failure(Refusal(message: "\(first.text.uppercased()) is not a reading statement; only SELECT, WITH, VALUES, TABLE, SHOW and EXPLAIN run"))
        }
        if first.text == "explain", tokens.contains(where: { $0.isWord("analyze") || $0.isWord("analyse") }) {
            return .failure(Refusal(message: "EXPLAIN ANALYZE runs the statement; use EXPLAIN without ANALYZE"))
        }
        if let semicolon = tokens.firstIndex(where: { $0.kind == .punctuation && $0.text == ";" }), semicolon != tokens.count - 1 {
            return .failure(Refusal(message: "only one statement may run; found a second after ';'"))
        }
        if let writing = tokens.first(where: { $0.kind == .word && writingKeywords.contains($0.text) }) {
            return .failure(Refusal(message: "\(writing.text.uppercased()) writes or changes the session; a gate's query may only read"))
        }
        let calls = calls(in: tokens)
        for call in calls {
            if let family = escapingFamilies.first(where: { $0.contains(call.name) }) {
                let spelled = call.attribute ? "\(call.name) (called in attribute notation)" : "\(call.written)()"
                return .failure(Refusal(message: "\(spelled) \(family.reason), and is refused"))
            }
        }
        let operators = operators(in: tokens)
        return .success(Analysis(calls: calls, operators: operators, referencesNothing: referencesNothing(tokens)))
    }

    /// Every name followed by `(` (with the name before a `.` as its schema), and every name after
    /// a `.` (attribute notation).
    static func calls(in tokens: [SQLToken]) -> [Call] {
        var calls: [Call] = []
        for (index, token) in tokens.enumerated() where token.isName {
            let next = index + 1 < tokens.count ? tokens[index + 1] : nil
            let afterDot = index >= 2 && tokens[index - 1].kind == .punctuation && tokens[index - 1].text == "."
            if let next, next.kind == .punctuation, next.text == "(" {
                let schema = afterDot && tokens[index - 2].isName ? tokens[index - 2].text : nil
                calls.append(Call(schema: schema, name: token.text, attribute: false, offset: token.offset))
            } else if afterDot {
                calls.append(Call(schema: nil, name: token.text, attribute: true, offset: token.offset))
            }
        }
        return calls
    }

    /// Every operator token but `::`, `..`, `:=` and `=>`, which are syntax; `OPERATOR(schema.op)`
    /// keeps its schema.
    static func operators(in tokens: [SQLToken]) -> [Operator] {
        tokens.indices.compactMap { index in
            let token = tokens[index]
            guard token.kind == .operator, !["::", "..", ":=", "=>"].contains(token.text) else { return nil }
            let qualified = index >= 4 && tokens[index - 1].text == "." && tokens[index - 1].kind == .punctuation
                && tokens[index - 2].isName && tokens[index - 3].text == "(" && tokens[index - 4].isWord("operator")
            return Operator(schema: qualified ? tokens[index - 2].text : nil, name: token.text)
        }
    }

    static let inertWords: Set<String> = ["select", "values", "as", "true", "false", "null"]

    /// Only `SELECT`/`VALUES`, constants, parentheses, commas and `AS` labels.
    static func referencesNothing(_ tokens: [SQLToken]) -> Bool {
        for (index, token) in tokens.enumerated() {
            switch token.kind {
            case .number, .string, .bitString: continue
            case .punctuation where ["(", ")", ",", ";"].contains(token.text): continue
            case .word where inertWords.contains(token.text): continue
            case .word, .quotedIdentifier:
                if index > 0, tokens[index - 1].isWord("as") { continue }
                return false
            default: return false
            }
        }
        return true
    }
}
