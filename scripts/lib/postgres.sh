# A throw-away PostgreSQL 15 for the tests: initdb in a temporary folder, run by the unprivileged
# `postgres` user (CI runs as root, and PostgreSQL refuses root), on a free loopback port, with
# scram-sha-256 passwords. The NestSync schema is created by real Alembic from the example project.
# shellcheck shell=bash

QG_PG_BIN="${QG_PG_BIN:-/usr/lib/postgresql/15/bin}"
QG_PG_ADMIN_PASSWORD="admin-$RANDOM$RANDOM"
QG_PG_APP_PASSWORD="app-$RANDOM$RANDOM"

qg_pg_as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

qg_pg_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Starts the server and exports QG_TEST_PG_* for the tests; qg_pg_stop ends it.
qg_pg_start() {
  [ -x "$QG_PG_BIN/initdb" ] || qg_ensure_apt postgresql-15 postgresql-client-15
  QG_PG_DIR="$(mktemp -d /tmp/qg-postgres.XXXXXX)"
  chmod 755 "$QG_PG_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres "$QG_PG_DIR"
  printf '%s\n' "$QG_PG_ADMIN_PASSWORD" > "$QG_PG_DIR/pwfile"
  [ "$(id -u)" -eq 0 ] && chown postgres "$QG_PG_DIR/pwfile"
  qg_pg_as_postgres "$QG_PG_BIN/initdb" -D "$QG_PG_DIR/data" -U qg_admin --pwfile="$QG_PG_DIR/pwfile" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$QG_PG_DIR/initdb.log" 2>&1 \
    || { cat "$QG_PG_DIR/initdb.log" >&2; return 1; }
  # Room for the suites that run at once; the pool-exhaustion test fills a database's own CONNECTION LIMIT.
  # The port is picked just before the start, and picked again when another process took it in
  # between (tests start servers on free ports at the same time: a twin once lost its port so).
  local attempt
  for attempt in 1 2 3 4 5; do
    QG_PG_PORT="$(qg_pg_free_port)"
    (qg_close_inherited_fds; qg_pg_as_postgres "$QG_PG_BIN/pg_ctl" -D "$QG_PG_DIR/data" -l "$QG_PG_DIR/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -c port=$QG_PG_PORT -c unix_socket_directories=$QG_PG_DIR -c max_connections=100 -c superuser_reserved_connections=3 -c fsync=off" \
      start >&2) && break
    if [ "$attempt" -lt 5 ] && grep -q "Address already in use" "$QG_PG_DIR/server.log" 2>/dev/null; then
      qg_say "port $QG_PG_PORT was taken before PostgreSQL could listen on it; trying another"
      : > "$QG_PG_DIR/server.log"
      continue
    fi
    cat "$QG_PG_DIR/server.log" >&2
    return 1
  done
  export QG_TEST_PG_ADMIN_URL="postgresql://qg_admin:$QG_PG_ADMIN_PASSWORD@127.0.0.1:$QG_PG_PORT/postgres"
  export QG_TEST_PG_NESTSYNC_ADMIN_URL="postgresql://qg_admin:$QG_PG_ADMIN_PASSWORD@127.0.0.1:$QG_PG_PORT/nestsync"
  export QG_TEST_PG_URL="postgresql://nestsync_app:$QG_PG_APP_PASSWORD@127.0.0.1:$QG_PG_PORT/nestsync"
  export QG_TEST_PG_PORT="$QG_PG_PORT"
  export QG_TEST_PG_APP_PASSWORD="$QG_PG_APP_PASSWORD"
  psql -q -v ON_ERROR_STOP=1 "$QG_TEST_PG_ADMIN_URL" -c "CREATE ROLE nestsync_app LOGIN PASSWORD '$QG_PG_APP_PASSWORD'" >&2
  # Each example layout's database, migrated by its own Alembic scripts: examples/nestsync into
  # nestsync, examples/nestsync-railway (hexadecimal revision ids) into nestsync_railway.
  qg_pg_migrate nestsync "$QG_ROOT/examples/nestsync/NestSync-backend"
  qg_pg_migrate nestsync_railway "$QG_ROOT/examples/nestsync-railway/backend"
  export QG_TEST_PG_RAILWAY_URL="postgresql://nestsync_app:$QG_PG_APP_PASSWORD@127.0.0.1:$QG_PG_PORT/nestsync_railway"
  qg_say "PostgreSQL 15 on 127.0.0.1:$QG_PG_PORT with the NestSync schema at Alembic head (both example layouts)"
  qg_pgbouncer_start
}

# PgBouncer in front of the nestsync database in transaction mode with one server connection, as
# Supabase's pooler on port 6543 runs: every client's transactions take turns on that connection,
# so a test sees what one client's session settings would do to the next (the application's).
# Exports QG_TEST_PGBOUNCER_URL; qg_pg_stop ends it.
qg_pgbouncer_start() {
  [ -x /usr/sbin/pgbouncer ] || qg_ensure_apt pgbouncer
  local attempt
  for attempt in 1 2 3 4 5; do
    QG_PGBOUNCER_PORT="$(qg_pg_free_port)"
    cat > "$QG_PG_DIR/pgbouncer.ini" <<INI
[databases]
nestsync = host=127.0.0.1 port=$QG_PG_PORT dbname=nestsync user=nestsync_app password=$QG_PG_APP_PASSWORD
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $QG_PGBOUNCER_PORT
unix_socket_dir =
auth_type = any
pool_mode = transaction
default_pool_size = 1
max_client_conn = 50
logfile = $QG_PG_DIR/pgbouncer.log
pidfile = $QG_PG_DIR/pgbouncer.pid
INI
    [ "$(id -u)" -eq 0 ] && chown postgres "$QG_PG_DIR/pgbouncer.ini"
    (qg_close_inherited_fds; qg_pg_as_postgres /usr/sbin/pgbouncer -d -q "$QG_PG_DIR/pgbouncer.ini" >&2) || true
    local waited
    for waited in $(seq 50); do
      psql -X -q -t -A "postgresql://nestsync_app@127.0.0.1:$QG_PGBOUNCER_PORT/nestsync" -c "SELECT 1" >/dev/null 2>&1 && break
      sleep 0.1
    done
    if psql -X -q -t -A "postgresql://nestsync_app@127.0.0.1:$QG_PGBOUNCER_PORT/nestsync" -c "SELECT 1" >/dev/null 2>&1; then
      export QG_TEST_PGBOUNCER_URL="postgresql://nestsync_app@127.0.0.1:$QG_PGBOUNCER_PORT/nestsync"
      qg_say "PgBouncer (transaction mode, one server connection) on 127.0.0.1:$QG_PGBOUNCER_PORT"
      return 0
    fi
    if [ -f "$QG_PG_DIR/pgbouncer.pid" ]; then kill -KILL "$(cat "$QG_PG_DIR/pgbouncer.pid")" 2>/dev/null || true; fi
    qg_say "PgBouncer did not answer on 127.0.0.1:$QG_PGBOUNCER_PORT (attempt $attempt); trying another port"
  done
  cat "$QG_PG_DIR/pgbouncer.log" >&2 || true
  return 1
}

# Creates database $1, runs the Alembic scripts of folder $2 into it, grants the application role
# read access, seeds the smoke-test account with a child, and makes a pristine copy $1_template
# that tests clone to plant faults (CREATE DATABASE … TEMPLATE needs a template without sessions).
qg_pg_migrate() {
  local database="$1" folder="$2"
  local admin_url="postgresql://qg_admin:$QG_PG_ADMIN_PASSWORD@127.0.0.1:$QG_PG_PORT/$database"
  psql -q -v ON_ERROR_STOP=1 "$QG_TEST_PG_ADMIN_URL" -c "CREATE DATABASE $database" >&2
  (cd "$folder" && DATABASE_URL="$admin_url" "$QG_VENV/bin/alembic" upgrade head >&2)
  psql -q -v ON_ERROR_STOP=1 "$admin_url" >&2 <<SQL
GRANT CONNECT ON DATABASE $database TO nestsync_app;
GRANT USAGE ON SCHEMA public TO nestsync_app;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO nestsync_app;
INSERT INTO users (id, supabase_user_id, email, first_name, province)
  VALUES ('6f0c3c1e-5b7a-4d51-9a3e-1c2b3d4e5f60', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'parents@nestsync.com', 'Pat', 'ON');
INSERT INTO children (id, parent_id, name, date_of_birth, current_diaper_size)
  VALUES ('3d9b5a70-2c1e-4f8a-b6d4-7e2f1c0a9b81', '6f0c3c1e-5b7a-4d51-9a3e-1c2b3d4e5f60', 'Maple', '2025-03-14', '2');
SQL
  psql -q -v ON_ERROR_STOP=1 "$QG_TEST_PG_ADMIN_URL" -c "CREATE DATABASE ${database}_template TEMPLATE $database" >&2
}

qg_pg_stop() {
  [ -n "${QG_PG_DIR:-}" ] || return 0
  # SIGKILL: a PgBouncer started by a process that blocks signals (a test runner's thread) keeps
  # them blocked and would never see a SIGTERM.
  if [ -f "$QG_PG_DIR/pgbouncer.pid" ]; then kill -KILL "$(cat "$QG_PG_DIR/pgbouncer.pid")" 2>/dev/null || true; fi
  qg_pg_as_postgres "$QG_PG_BIN/pg_ctl" -D "$QG_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$QG_PG_DIR"
  QG_PG_DIR=""
}
