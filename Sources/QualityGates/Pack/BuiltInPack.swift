// Generated from gates/nestsync.yml by scripts/update-docs; a test keeps the two identical.

/// The NestSync pack, compiled in: `run`, `list`, `lint` and `explain` use it when no `--config`
/// is given and the working folder has no `gates/nestsync.yml`.
public enum BuiltInPack {
    /// What messages call it.
    public static let name = "gates/nestsync.yml (built in)"

    /// The pack's text.
    public static let nestsync = #"""
# NestSync quality gates: the incident runbook (P0/P1/P2 alerts) as checks that fail in CI before
# they page anyone. The pack fits NestSync repositories however they are laid out: it finds the
# backend's requirements files, migrations, exported schema and deployment config (dotenv
# templates, railway.toml, docker-compose) wherever they are under --project-root, and a file a
# repository does not have is a skipped check, never a failure by itself. The frontend's own
# operations are validated and timed, as the app sends them.
#
# Variables (from the environment or --env-file; the process environment wins):
#   DATABASE_URL         PostgreSQL (staging), best as a read-only role (README: "A read-only role for gates")
#   GRAPHQL_URL          the GraphQL endpoint (staging; default http://localhost:8001/graphql)
#   SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_JWT_SECRET  the Supabase project (staging)
#   SMOKE_EMAIL (default parents@nestsync.com), SMOKE_PASSWORD  the sign-in smoke-test account (staging)
#   DATA_REGION          the region the staging deployment runs in (staging)
#   BACKEND_VENV         the backend's virtualenv, when not ./.venv, backend/.venv or $VIRTUAL_ENV; with no
#                        virtualenv, the Python that actions/setup-python installed ($pythonLocation) is read
#   FRONTEND_DIR         where the frontend's documents are searched (default: the whole project,
#                        skipping node_modules, builds and hidden folders)
# Values of the variables below, and of any variable whose name holds PASSWORD, SECRET, TOKEN or
# KEY, are masked in every output.
#
# Where this pack differs from NestSync's own monitoring, deliberately:
#   - a slow database connection (over 1 s) warns, as the monitoring does, and 10 s with no answer fails;
#   - GraphQL checks also validate every frontend operation against the schema, not only the three
#     critical resolvers, and time the frontend's own GetAnalyticsDashboard operation;
#   - trends are judged with Mann-Kendall and Theil-Sen (a rise of 20 % that chance does not explain),
#     not latest-against-earliest, so ±30 % noise does not page anyone.
version: 1
secrets: [SUPABASE_ANON_KEY, SUPABASE_JWT_SECRET, SMOKE_PASSWORD, DATABASE_URL]

gates:
  db_health:
    title: Database Health Failure
    severity: P0
    every: 1m  # under `quality-gates watch`: the runbook's monitoring cadence
    runbook:
      - "Check database connectivity: psql $DATABASE_URL -c \"SELECT 1\""
      - "Verify the Supabase service status: the Supabase dashboard and incident page"
      - "Check the critical tables: psql $DATABASE_URL -c \"\\dt users\" (and children, consent_records, notification_preferences)"
      - "If tables are missing (migration corruption): cd NestSync-backend && alembic current && alembic upgrade head"
      - "If the migration fails: alembic downgrade 002, then alembic upgrade head"
      - "If downtime passes 5 minutes: enable the backup database and notify users of maintenance"
    checks:
      - name: accepts connections
        kind: postgres
        url: ${DATABASE_URL}
        query: SELECT 1
        warn: {conditions: ["[CONNECT_TIME] < 1000"]}
        timeout: 10s
      - name: critical tables
        kind: postgres_tables
        url: ${DATABASE_URL}
        tables: [users, children, consent_records, notification_preferences]
        needs: [accepts connections]
      - name: connection headroom
        kind: postgres_connections
        url: ${DATABASE_URL}
        max_utilisation: 80
        needs: [accepts connections]

  migration_head:
    title: Migrations Not at Head
    severity: P0
    every: 5m
    runbook:
      - "Check the migration state: cd NestSync-backend && alembic current && alembic heads"
      - "Several heads: alembic merge heads -m \"merge\", review, commit"
      - "Database behind: alembic upgrade head (back up the database first)"
      - "Database at an unknown revision: find the branch that migrated it before touching the schema"
    checks:
      - name: single head
        kind: alembic_heads
        versions: ["**/alembic.ini", "**/alembic/versions", "**/migrations/versions"]
        optional: true
      - name: database at head
        kind: alembic_current
        url: ${DATABASE_URL}
        versions: ["**/alembic.ini", "**/alembic/versions", "**/migrations/versions"]
        optional: true
        needs: [db_health/accepts connections]

  graphql_schema_health:
    title: GraphQL Schema Mismatch
    severity: P0
    every: 5m
    runbook:
      - "Test GraphQL introspection: curl -X POST $GRAPHQL_URL -H \"Content-Type: application/json\" -d '{\"query\":\"{ __schema { queryType { fields { name } } } }\"}'"
      - "Check the critical resolvers: getAnalyticsDashboard (not getAnalyticsOverview), getNotificationPreferences, me"
      - "Clear Apollo Client and Metro caches: cd NestSync-frontend && npx expo start --clear && rm -rf node_modules/.cache"
      - "Verify resolver registration: cd NestSync-backend && python -c \"from app.graphql.schema import schema; print([f.name for f in schema.query_type.fields])\""
      - "Check camelCase (frontend: childId) against snake_case (backend: child_id) names and the field aliases"
      - "If it stays broken: revert to the last working schema, then update the frontend queries"
    checks:
      # The backend's exported SDL wherever it is kept, else the frontend's copy of the schema as
      # its codegen saved it (an introspection result in graphql.schema.json).
      - name: critical resolvers
        kind: graphql_schema
        sdl: ["**/schema.graphql", "**/schema.gql", "**/schema.graphqls", "**/graphql.schema.json"]
        exclude: ["*.test.*", "__generated__"]
        required: [Query.getAnalyticsDashboard, Query.getNotificationPreferences, Query.me]
        optional: true
      - name: critical resolvers live
        kind: graphql_schema
        url: ${GRAPHQL_URL:-http://localhost:8001/graphql}
        targets: [staging]
        required: [Query.getAnalyticsDashboard, Query.getNotificationPreferences, Query.me]
      # Test code and scratch files (a backend's test_notifications.graphql for the playground,
      # ad-hoc test-*.js scripts, tests/ folders) are not the operations the app sends.
      - name: frontend operations match the schema
        kind: graphql_documents
        sdl: ["**/schema.graphql", "**/schema.gql", "**/schema.graphqls", "**/graphql.schema.json"]
        documents: ["${FRONTEND_DIR:-.}"]
        exclude: ["*.test.*", "*.spec.*", "__tests__", "tests", "test_*", "test-*", "__generated__"]
        optional: true
      - name: frontend operations match the live schema
        kind: graphql_documents
        url: ${GRAPHQL_URL:-http://localhost:8001/graphql}
        documents: ["${FRONTEND_DIR:-.}"]
        exclude: ["*.test.*", "*.spec.*", "__tests__", "tests", "test_*", "test-*", "__generated__"]
        optional: true
        targets: [staging]
        needs: [critical resolvers live]

  auth_health:
    title: Authentication System Failure
    severity: P0
    every: 1m
    consecutive: 3  # escalate after 3 failed sign-ins in a row, as the monitoring does
    runbook:
      - "Check the gotrue SDK version: cd NestSync-backend && pip list | grep gotrue (should show gotrue==2.5.4)"
      - "If the version is wrong: pip install gotrue==2.5.4, then restart the application server (./docker/docker-dev.sh restart)"
      - "Verify the Supabase configuration: echo $SUPABASE_URL; echo $SUPABASE_JWT_SECRET (set, not empty)"
      - "Test the authentication endpoint: curl -X POST $SUPABASE_URL/auth/v1/token with the smoke-test account"
      - "If sign-in stays broken: roll back to the previous working auth version and enable maintenance mode"
    checks:
      - name: gotrue pinned exactly
        kind: requirements_pin
        file: ["**/requirements*.txt", "**/requirements/*.txt", "**/pyproject.toml", "**/{poetry,uv,pdm,Pipfile}.lock"]
        package: gotrue
        version: 2.5.4
        optional: true
      - name: gotrue installed at 2.5.4
        kind: python_package
        # A CI job without a virtualenv installs into the Python actions/setup-python set up, whose
        # prefix that action exports as pythonLocation: read last, after any virtualenv the project has.
        environment: ["${BACKEND_VENV:-.venv}", "${VIRTUAL_ENV:-.venv}", "**/.venv", "**/venv", "${pythonLocation:-.venv}"]
        package: gotrue
        version: 2.5.4
        renamed_to: [supabase-auth]
        optional: true
      # A compose file that runs Supabase's self-hosted stack beside the backend declares the
      # stack's own settings (studio's SUPABASE_URL): only the application's services are read.
      - name: supabase url declared
        kind: config
        sources:
          - {file: ["**/.env.example", "**/.env.template", "**/.env.sample", "**/*.env.example", "**/*.env.template", "**/{env.example,.env.production,.env.staging}"], key: SUPABASE_URL}
          - {file: "**/railway.toml", key: env.SUPABASE_URL}
          - {file: ["**/docker-compose*.yml", "**/compose*.yml"], key: "services.*.environment.SUPABASE_URL", skip_images: &supabase_stack ["supabase/*", "kong*", "postgrest/*"]}
        matches: "https?://.+"
        all: true
        optional: true
      - name: supabase jwt secret declared beside the url
        kind: config
        sources:
          - {file: ["**/.env.example", "**/.env.template", "**/.env.sample", "**/*.env.example", "**/*.env.template", "**/{env.example,.env.production,.env.staging}"], key: SUPABASE_JWT_SECRET}
          - {file: "**/railway.toml", key: env.SUPABASE_JWT_SECRET}
          - {file: ["**/docker-compose*.yml", "**/compose*.yml"], key: "services.*.environment.SUPABASE_JWT_SECRET", skip_images: *supabase_stack}
        beside: SUPABASE_URL
        optional: true
      - name: supabase url set
        kind: env
        variable: SUPABASE_URL
        matches: "https?://.+"
        targets: [staging]
      - name: supabase jwt secret set
        kind: env
        variable: SUPABASE_JWT_SECRET
        targets: [staging]
      - name: supabase anon key set
        kind: env
        variable: SUPABASE_ANON_KEY
        targets: [staging]
      - name: sign-in works
        kind: gotrue_auth
        url: ${SUPABASE_URL}
        apikey: ${SUPABASE_ANON_KEY}
        email: ${SMOKE_EMAIL:-parents@nestsync.com}
        password: ${SMOKE_PASSWORD}
        jwt_secret: ${SUPABASE_JWT_SECRET}
        needs: [supabase url set, supabase anon key set]
      # The incidents behind this runbook happened in the backend's token path: GoTrue signed in,
      # the backend refused the token. Ask the backend who is signed in.
      - name: backend accepts the token
        kind: graphql_query
        url: ${GRAPHQL_URL:-http://localhost:8001/graphql}
        query: "query QualityGatesMe { me { id } }"
        use_token: true
        conditions: ["[DATA].me.id != null"]
        needs: [sign-in works, graphql_schema_health/critical resolvers live, db_health/accepts connections]

  auth_performance:
    title: Performance Degradation (authentication)
    severity: P1
    every: 3m
    runbook:
      - "Check system resources: docker stats; htop"
      - "Monitor database query performance: psql $DATABASE_URL -c \"SELECT query, mean_time, calls FROM pg_stat_statements ORDER BY mean_time DESC LIMIT 10\""
      - "Review slow resolvers and N+1 queries; review database indexes"
      - "Scale resources if needed: docker-compose scale backend=2"
    checks:
      - name: sign-in p95 under 2 s
        kind: gotrue_auth
        url: ${SUPABASE_URL}
        apikey: ${SUPABASE_ANON_KEY}
        email: ${SMOKE_EMAIL:-parents@nestsync.com}
        password: ${SMOKE_PASSWORD}
        jwt_secret: ${SUPABASE_JWT_SECRET}
        samples: 10
        latency: p95 < 2000
        timeout: 60s
        needs: [auth_health/sign-in works]

  analytics_performance:
    title: Performance Degradation (analytics)
    severity: P1
    every: 3m
    runbook:
      - "Time the dashboard query: getAnalyticsDashboard should answer within 3 s at p95"
      - "Monitor database query performance: psql $DATABASE_URL -c \"SELECT query, mean_time, calls FROM pg_stat_statements ORDER BY mean_time DESC LIMIT 10\""
      - "Review the analytics resolvers for N+1 queries and missing indexes on diaper_changes(child_id, changed_at)"
      - "Scale resources if needed: docker-compose scale backend=2"
    checks:
      # Backends list a parent's children in different shapes: a list on the user, a list at the
      # root, or a Relay connection (NestSync's own myChildren). The first shape the live schema
      # accepts is asked, and the child id taken from wherever it answered.
      - name: a child of the smoke account
        kind: graphql_query
        url: ${GRAPHQL_URL:-http://localhost:8001/graphql}
        query:
          - "query QualityGatesChildren { me { children { id } } }"
          - "query QualityGatesChildren { myChildren { edges { node { id } } } }"
          - "query QualityGatesChildren { myChildren { id } }"
        use_token: true
        expose: {childId: ["[DATA].me.children.0.id", "[DATA].myChildren.edges.0.node.id", "[DATA].myChildren.0.id"]}
        needs: [auth_health/backend accepts the token, db_health/critical tables]
      # The frontend's own operation, as the app sends it: a renamed argument cannot turn this
      # latency gate into a permanent false alarm. Values for variables it does not declare are not sent.
      - name: dashboard p95 under 3 s
        kind: graphql_query
        url: ${GRAPHQL_URL:-http://localhost:8001/graphql}
        documents: ["${FRONTEND_DIR:-.}"]
        exclude: ["*.test.*", "*.spec.*", "__tests__", "tests", "test_*", "test-*", "__generated__"]
        operation: [GetAnalyticsDashboard, AnalyticsDashboard, GetAnalytics]
        variables: {periodDays: 30, days: 30, period: 30}
        optional: true
        use_token: true
        # A dashboard that answers {success: false, error: …} as data fails, however fast it came.
        payload_errors: true
        samples: 10
        latency: p95 < 3000
        timeout: 60s
        needs: [a child of the smoke account, graphql_schema_health/frontend operations match the live schema]

  data_residency_compliance:
    title: Canadian Compliance Violation (data residency)
    severity: P1
    every: 15m
    runbook:
      - "Verify the data region: echo $DATA_REGION (should be canada-central, canada-east, ca-central-1 or ca-west-1)"
      - "Update the environment configuration for a Canadian region and redeploy"
      - "Audit where user data was processed while the region was wrong (PIPEDA: report breaches within 72 hours)"
    checks:
      - name: data region declared canadian
        kind: config
        sources:
          - {file: "**/railway.toml", key: env.DATA_REGION}
          - {file: ["**/docker-compose*.yml", "**/compose*.yml"], key: "services.*.environment.DATA_REGION"}
          - {file: ["**/.env.example", "**/.env.template", "**/.env.sample", "**/*.env.example", "**/*.env.template", "**/{env.example,.env.production,.env.staging}"], key: DATA_REGION}
          # The backend's own default (pydantic settings, os.getenv), what it runs with when the
          # deployment sets nothing.
          - {file: &settings_code ["**/settings.py", "**/config.py", "**/settings/*.py", "**/config/*.py"], key: DATA_REGION}
        one_of: [canada-central, canada-east, ca-central-1, ca-west-1]
        all: true
        optional: true
      - name: data region canadian
        kind: env
        variable: DATA_REGION
        one_of: [canada-central, canada-east, ca-central-1, ca-west-1]
        targets: [staging]
      - name: timezone America/Toronto
        kind: config
        sources:
          - {file: "**/railway.toml", key: env.TZ}
          - {file: ["**/docker-compose*.yml", "**/compose*.yml"], key: "services.*.environment.TZ"}
          - {file: ["**/.env.example", "**/.env.template", "**/*.env.example", "**/*.env.template", "**/{env.example,.env.production,.env.staging}"], key: TZ}
          - {file: *settings_code, key: TZ}
        equals: America/Toronto
        severity: warn
        optional: true

  pipeda_compliance:
    title: Canadian Compliance Violation (PIPEDA consent)
    severity: P1
    every: 15m
    runbook:
      - "Check the PIPEDA consent table: psql $DATABASE_URL -c \"SELECT COUNT(*) FROM consent_records\""
      - "Check the consent columns: psql $DATABASE_URL -c \"SELECT column_name FROM information_schema.columns WHERE table_name = 'notification_preferences' AND column_name IN ('notification_consent_granted', 'marketing_consent_granted')\""
      - "If fields are missing: alembic revision --autogenerate -m \"add_pipeda_compliance_fields\" && alembic upgrade head"
      - "Audit all user data for consent status; breaches are reported within 72 hours"
    checks:
      - name: consent records table
        kind: postgres_tables
        url: ${DATABASE_URL}
        tables: [consent_records]
        needs: [db_health/critical tables]
      - name: notification consent columns
        kind: postgres_columns
        url: ${DATABASE_URL}
        table: notification_preferences
        columns:
          - {name: notification_consent_granted, type: boolean}
          - {name: marketing_consent_granted, type: boolean}
        needs: [db_health/critical tables]
      - name: data retention within seven years
        kind: config
        sources:
          - {file: "**/railway.toml", key: env.DATA_RETENTION_DAYS}
          - {file: ["**/docker-compose*.yml", "**/compose*.yml"], key: "services.*.environment.DATA_RETENTION_DAYS"}
          - {file: ["**/.env.example", "**/.env.template", "**/*.env.example", "**/*.env.template", "**/{env.example,.env.production,.env.staging}"], key: DATA_RETENTION_DAYS}
          - {file: *settings_code, key: DATA_RETENTION_DAYS}
        at_most: 2555
        severity: warn
        all: true
        optional: true

  performance_trends:
    title: Performance Degradation (trend)
    severity: P2
    every: 10m
    runbook:
      - "Compare the sign-in, analytics and connect latencies of the last runs: quality-gates history --target staging"
      - "Look for the deploy where the rise began (git log between the first and last rising runs)"
      - "Review slow queries: psql $DATABASE_URL -c \"SELECT query, mean_time, calls FROM pg_stat_statements ORDER BY mean_time DESC LIMIT 10\""
      - "Plan the fix before the P1 latency budgets (auth 2 s, analytics 3 s) are crossed"
    checks:
      - name: sign-in latency not rising
        kind: latency_trend
        gate: auth_performance
        window: 5
        min_runs: 5
        targets: [staging]
      - name: analytics latency not rising
        kind: latency_trend
        gate: analytics_performance
        window: 5
        min_runs: 5
        targets: [staging]
      - name: database connect time not rising
        kind: latency_trend
        gate: db_health
        window: 5
        min_runs: 5
        targets: [staging]

  error_rate_trends:
    title: Error Rate Increase
    severity: P2
    every: 10m
    runbook:
      - "See which gates fail most often: quality-gates history"
      - "Check the application logs for new exceptions since the rate rose"
      - "If one gate dominates, follow that gate's runbook"
    checks:
      - name: gate failures under 20 % of the last 10 runs
        kind: error_rate
        window: 10
        max_rate: 20%
        consecutive: 3

"""#
}
