import JSON
import Postgres

/// The run-time half of the SQL guard: just before a gate's statement runs, the functions and
/// operators it names are looked up in the server's catalog, and a call of anything not known to
/// be free of side effects is refused with the function's name. A denylist cannot name the
/// functions of every extension and every application; this asks the server what the names are.
///
/// Refused unless the gate lists the function under `allow_functions`:
/// - a volatile function, unless it is one of PostgreSQL's own that only read (`readingVolatile`);
/// - any function owned by a role other than the bootstrap superuser and not part of an extension
///   or of `pg_catalog`: an application's function can do anything its owner can, whatever its
///   declared volatility;
/// - an operator whose function is either of those.
enum FunctionLookup {
    /// Volatile functions of `pg_catalog` that only read (sizes, WAL positions, clocks, random
    /// numbers, sleeping): health queries use them. Checked on PostgreSQL 15's catalog.
    static let readingVolatile: Set<String> = [
        "random", "random_normal", "clock_timestamp", "timeofday", "gen_random_uuid", "pg_sleep", "pg_sleep_for", "pg_sleep_until",
        "currval", "lastval", "pg_sequence_last_value", "pg_database_size", "pg_relation_size", "pg_table_size", "pg_indexes_size",
        "pg_total_relation_size", "pg_tablespace_size", "pg_is_in_recovery", "pg_current_wal_lsn", "pg_current_wal_insert_lsn",
        "pg_current_wal_flush_lsn", "pg_last_wal_receive_lsn", "pg_last_wal_replay_lsn", "pg_last_xact_replay_timestamp",
        "pg_is_wal_replay_paused", "pg_get_wal_replay_pause_state", "pg_blocking_pids", "pg_safe_snapshot_blocking_pids",
        "pg_lock_status", "pg_jit_available", "pg_notification_queue_usage", "pg_xact_status", "txid_status",
        "pg_stat_clear_snapshot", "pg_stat_have_stats", "pg_partition_tree", "pg_partition_ancestors", "pg_control_checkpoint",
        "pg_control_init", "pg_control_recovery", "pg_control_system", "pg_collation_actual_version",
        "pg_database_collation_actual_version", "pg_last_committed_xact", "pg_xact_commit_timestamp",
        "pg_xact_commit_timestamp_origin", "current_query", "pg_prepared_xact", "pg_get_multixact_members",
        "pg_get_wal_resource_managers", "pg_stat_get_recovery_prefetch", "pg_show_replication_origin_status",
        "pg_get_backend_memory_contexts", "pg_get_shmem_allocations", "pg_show_all_file_settings", "pg_hba_file_rules",
        "pg_ident_file_mappings",
    ]
    static let readingVolatilePrefixes = ["pg_stat_get_xact_"]

    /// One function (or operator's function) the statement may call, as the catalog describes it.
    struct Found: Equatable {
        let schema: String
        let name: String
        let volatile: Bool
        let owner: String
        /// Owned by the bootstrap superuser, or part of `pg_catalog`, `information_schema` or an extension.
        let system: Bool
        /// The operator that calls it, when it was found through one.
        let viaOperator: String?
    }

    static let lookup = """
        WITH calls AS (SELECT * FROM json_to_recordset($1::json) AS c(schema text, name text, attribute boolean)),
             operators AS (SELECT * FROM json_to_recordset($2::json) AS o(schema text, name text)),
             system_of AS (SELECT p.oid,
                                  n.nspname IN ('pg_catalog', 'information_schema') OR p.proowner = 10
                                  OR EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                             AND d.objid = p.oid AND d.deptype = 'e') AS system
                           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace)
        SELECT DISTINCT n.nspname::text AS schema, p.proname::text AS name, p.provolatile = 'v' AS volatile,
               pg_get_userbyid(p.proowner)::text AS owner, s.system, ''::text AS operator
        FROM calls c JOIN pg_proc p ON p.proname = c.name JOIN pg_namespace n ON n.oid = p.pronamespace
             JOIN system_of s ON s.oid = p.oid
        WHERE CASE WHEN c.schema IS NULL THEN pg_function_is_visible(p.oid) ELSE n.nspname = c.schema END
              AND (NOT c.attribute OR p.pronargs = 1)
        UNION
        SELECT DISTINCT n.nspname::text, p.proname::text, p.provolatile = 'v', pg_get_userbyid(o.oprowner)::text,
               s.system AND (o.oprowner = 10 OR opn.nspname = 'pg_catalog'
                             OR EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_operator'::regclass
                                        AND d.objid = o.oid AND d.deptype = 'e')),
               o.oprname::text
        FROM operators w JOIN pg_operator o ON o.oprname = w.name JOIN pg_namespace opn ON opn.oid = o.oprnamespace
             JOIN pg_proc p ON p.oid = o.oprcode JOIN pg_namespace n ON n.oid = p.pronamespace
             JOIN system_of s ON s.oid = p.oid
        WHERE CASE WHEN w.schema IS NULL THEN pg_operator_is_visible(o.oid) ELSE opn.nspname = w.schema END
        ORDER BY 1, 2
        """

    /// Why the statement is refused, or nil when everything it names is known to only read.
    static func refusal(_ analysis: SQLGuard.Analysis, allowing allowed: [String], in session: ReadOnlySession) throws(PostgresError) -> String? {
        guard !analysis.calls.isEmpty || !analysis.operators.isEmpty else { return nil }
        let calls = JSONValue.array(analysis.calls.map { call in
            .object([("schema", call.schema.map(JSONValue.string) ?? .null), ("name", .string(call.name)), ("attribute", .bool(call.attribute))])
        })
        let operators = JSONValue.array(analysis.operators.map { written in
            .object([("schema", written.schema.map(JSONValue.string) ?? .null), ("name", .string(written.name))])
        })
        let result = try session.query(lookup, [calls.serialized(compact: true), operators.serialized(compact: true)])
        let found = result.rows.indices.map { row in
            Found(schema: result.value("schema", row: row)?.description ?? "", name: result.value("name", row: row)?.description ?? "",
                  volatile: result.value("volatile", row: row) == .bool(true), owner: result.value("owner", row: row)?.description ?? "",
                  system: result.value("system", row: row) == .bool(true),
                  viaOperator: (result.value("operator", row: row)?.description).flatMap { $0.isEmpty ? nil : $0 })
        }
        return refusal(found, allowing: allowed)
    }

    /// The judgement alone, on what the catalog said.
    static func refusal(_ found: [Found], allowing allowed: [String]) -> String? {
        for function in found where !isAllowed(function, allowed) {
            let via = function.viaOperator.map { "operator \($0) runs \(function.schema).\(function.name)()" } ?? "calls \(function.schema).\(function.name)()"
            if !function.system {
                return "\(via), owned by role '\(function.owner)' and not by the system or an extension: it can do anything its owner can, "
                    + "whatever it declares; list it under allow_functions: if it only reads"
            }
            if function.volatile, !(function.schema == "pg_catalog" && isReadingVolatile(function.name)) {
                return "\(via), a volatile function not known to be free of side effects; list it under allow_functions: if it only reads"
            }
        }
        return nil
    }

    static func isReadingVolatile(_ name: String) -> Bool {
        readingVolatile.contains(name) || readingVolatilePrefixes.contains { name.hasPrefix($0) }
    }

    private static func isAllowed(_ function: Found, _ allowed: [String]) -> Bool {
        allowed.contains { $0 == function.name || $0 == "\(function.schema).\(function.name)" }
    }
}
