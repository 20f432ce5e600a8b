"""Fills a quality-gates SQLite history (made by a first `quality-gates run --history FILE`) with
RUNS staging runs of the NestSync pack: its 26 checks, about 3 % of executions failed, and the
measurements the pack's staging checks record (names as the checks write them), as flat noise
around fixed levels so that no trend check trips. Seeded: the same file every time.
Usage: generate_history.py FILE RUNS"""
import random
import sqlite3
import sys

CHECKS = {
    "auth_health": ["gotrue pinned exactly", "supabase url declared", "supabase jwt secret declared", "supabase url set",
                    "supabase jwt secret set", "supabase anon key set", "sign-in works"],
    "db_health": ["accepts connections", "critical tables", "connection headroom"],
    "graphql_schema_health": ["critical resolvers", "critical resolvers live", "frontend operations match the schema",
                              "frontend operations match the live schema"],
    "migration_head": ["single head", "database at head"],
    "analytics_performance": ["dashboard p95 under 3 s"],
    "auth_performance": ["sign-in p95 under 2 s"],
    "data_residency_compliance": ["data region declared canadian", "data region canadian"],
    "pipeda_compliance": ["consent records table", "notification consent columns"],
    "error_rate_trends": ["failures under 20 % of the last 10 runs"],
    "performance_trends": ["sign-in latency not rising", "analytics latency not rising", "database connect time not rising"],
}
# (gate, check, measurement, typical value)
MEASUREMENTS = [
    ("auth_health", "sign-in works", "auth_time", 180), ("db_health", "accepts connections", "connect_time", 12),
    ("db_health", "connection headroom", "connections_in_use", 6), ("db_health", "connection headroom", "connection_utilisation", 6),
    ("graphql_schema_health", "frontend operations match the schema", "operations", 9),
    ("graphql_schema_health", "frontend operations match the live schema", "operations", 9),
    ("analytics_performance", "dashboard p95 under 3 s", "response_time", 900),
    ("analytics_performance", "dashboard p95 under 3 s", "latency_p95", 1100),
    ("auth_performance", "sign-in p95 under 2 s", "auth_time", 190), ("auth_performance", "sign-in p95 under 2 s", "auth_p95", 260),
    ("error_rate_trends", "failures under 20 % of the last 10 runs", "error_rate", 3),
]


def main(path, runs):
    random.seed(20261127)
    database = sqlite3.connect(path)
    database.execute("PRAGMA synchronous = OFF")
    start = 1_790_000_000.0
    with database:
        for run in range(runs):
            cursor = database.execute("INSERT INTO qg_runs (run_id, started_at, target, git_commit) VALUES (?, ?, 'staging', ?)",
                                      (f"bench-{run}", start + run * 600, f"{run:040x}"))
            run_id = cursor.lastrowid
            database.executemany("INSERT INTO qg_results VALUES (?, ?, ?, ?, ?)", [
                (run_id, gate, check, "failed" if random.random() < 0.03 else "passed", random.uniform(0.001, 0.4))
                for gate, checks in CHECKS.items() for check in checks])
            database.executemany("INSERT INTO qg_measurements VALUES (?, ?, ?, ?, ?)", [
                (run_id, gate, check, name, level * random.uniform(0.7, 1.3)) for gate, check, name, level in MEASUREMENTS])
    database.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
