import Alembic

/// The versions folder has exactly one head, read as Alembic reads it, without Python.
struct AlembicHeadsCheck: Check {
    static let description = CheckDescription(
        kind: "alembic_heads",
        summary: "An Alembic versions folder has exactly one head, every down_revision names a revision, no id is defined twice and no chain loops; read without Python.",
        parameters: [
            .alembicVersions, .optional,
        ],
        defaultTargets: [.build, .staging],
        examples: [
            CheckExample("""
                kind: alembic_heads
                versions: alembic/versions
                """, files: [
                    "alembic/versions/001_users.py": "revision = '001'\ndown_revision = None\n",
                    "alembic/versions/002_children.py": "revision: str = \"002\"\ndown_revision: Union[str, Sequence[str], None] = \"001\"\n",
                    "alembic/versions/__init__.py": "",
                ], .passes),
            CheckExample("""
                kind: alembic_heads
                versions: alembic/versions
                """, files: [
                    "alembic/versions/001_base.py": "revision = '001'\ndown_revision = None\n",
                    "alembic/versions/002a_prefs.py": "revision = '002a'\ndown_revision = '001'\n",
                    "alembic/versions/002b_consent.py": "revision = '002b'\ndown_revision = '001'\n",
                ], .fails("2 heads: 002a (alembic/versions/002a_prefs.py), 002b (alembic/versions/002b_consent.py); run `alembic merge heads`")),
            CheckExample("""
                kind: alembic_heads
                versions: alembic/versions
                """, files: [
                    "alembic/versions/001_base.py": "revision = '001'\ndown_revision = None\n",
                    "alembic/versions/002_prefs.py": "revision = '002'\ndown_revision = '001'\n",
                    "alembic/versions/20251119_remove_subscriptions.py": "revision: str = 'remove_subscriptions'\ndown_revision: Union[str, None] = None  # Update with actual previous revision\n",
                ], .fails("2 revisions have no down_revision, each starting a history of its own: 001 (alembic/versions/001_base.py), remove_subscriptions (alembic/versions/20251119_remove_subscriptions.py). Set down_revision of the one written later")),
            CheckExample("""
                kind: alembic_heads
                versions: alembic/versions
                """, files: [
                    "alembic/versions/001_base.py": "revision = '001'\ndown_revision = None\n",
                    "alembic/versions/002a_prefs.py": "revision = '002a'\ndown_revision = '001'\n",
                    "alembic/versions/002b_consent.py": "revision = '002b'\ndown_revision = '001'\n",
                    "alembic/versions/003_merge.py": "revision = '003'\ndown_revision = (\n    '002a',\n    '002b',\n)\nbranch_labels = None\n",
                ], .passes),
            CheckExample("""
                kind: alembic_heads
                versions: alembic/versions
                """, files: [
                    "alembic/versions/001_base.py": "revision = '001'\ndown_revision = None\n",
                    "alembic/versions/002_next.py": "revision = '002'\ndown_revision = '0001'\n",
                ], .fails("alembic/versions/002_next.py:1: down_revision 0001 names no revision")),
            CheckExample("""
                kind: alembic_heads
                versions: alembic/versions
                """, files: ["alembic/versions/001_base.py": "revision = make_id()\ndown_revision = None\n"],
                .errors("alembic/versions/001_base.py:1: unsupported value")),
            CheckExample("""
                kind: alembic_heads
                versions: migrations
                """, .errors("migrations does not exist")),
            CheckExample("""
                kind: alembic_heads
                versions: ["**/alembic/versions", "**/migrations/versions"]
                """, files: ["services/api/migrations/versions/001_base.py": "revision = '001'\ndown_revision = None\n"], .passes),
            CheckExample("""
                kind: alembic_heads
                versions: ["**/alembic.ini", "**/alembic/versions"]
                """, files: ["api/alembic.ini": "[alembic]\n# where the scripts are\nscript_location = %(here)s/app/db/schema_migrations\n\n[loggers]\nkeys = root\n",
                             "api/app/db/schema_migrations/versions/001_base.py": "revision = '001'\ndown_revision = None\n",
                             "api/app/db/schema_migrations/versions/002_next.py": "revision = '002'\ndown_revision = '001'\n"],
                .passes),
            CheckExample("""
                kind: alembic_heads
                versions: alembic.ini
                """, files: ["alembic.ini": "[alembic]\nscript_location = myapp:migrations\n"],
                .errors("alembic.ini: script_location myapp:migrations names a Python package; give `versions:` the versions folder")),
            CheckExample("""
                kind: alembic_heads
                versions: ["**/alembic.ini", "**/migrations/versions"]
                """, files: ["alembic.ini": "[alembic]\nscript_location = myapp:migrations\n",
                             "myapp/migrations/versions/001_base.py": "revision = '001'\ndown_revision = None\n"], .passes),
            CheckExample("""
                kind: alembic_heads
                versions: backend/alembic.ini
                """, files: ["backend/alembic.ini": "[alembic]\nscript_location = ../../elsewhere/migrations\n"],
                .errors("backend/alembic.ini: the versions folder ../../elsewhere/migrations/versions is outside the project")),
            CheckExample("""
                kind: alembic_heads
                """, .invalid("missing required key 'versions'")),
        ]
    )

    let versions: PathQuery

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        versions = try parameters.requiredPaths("versions")
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> VersionsFolder {
        try versions.revisionGraph(context)
    }

    func judge(_ observed: VersionsFolder) -> CheckResult {
        let (versions, graph) = (observed.folder, observed.graph)
        guard !graph.revisions.isEmpty else { return .failed("\(versions) holds no revisions") }
        guard graph.problems.isEmpty else {
            let findings = graph.problems.map { Finding(file: versions, message: $0) }
            return .failed(graph.problems.joined(separator: "; "), findings: findings)
        }
        guard graph.heads.count == 1, let head = graph.heads.first else {
            let listed = graph.heads.map { "\($0.id) (\($0.file))" }.joined(separator: ", ")
            // A migration written with `down_revision = None` after the first one starts a
            // second history; merging would keep the mistake, pointing it at its parent mends it.
            let bases = graph.revisions.filter { $0.downRevisions.isEmpty }
            guard bases.count < 2 else {
                let named = bases.map { "\($0.id) (\($0.file))" }.joined(separator: ", ")
                return .failed("\(graph.heads.count) heads: \(listed); \(bases.count) revisions have no down_revision, each starting a history of its own: \(named). Set down_revision of the one written later to the revision it follows, or run `alembic merge heads` if both histories are meant",
                               findings: graph.heads.map { Finding(file: $0.file, line: $0.line, message: "head \($0.id)") }
                                   + bases.map { Finding(file: $0.file, line: $0.line, message: "base \($0.id): no down_revision") })
            }
            return .failed("\(graph.heads.count) heads: \(listed); run `alembic merge heads`",
                           findings: graph.heads.map { Finding(file: $0.file, line: $0.line, message: "head \($0.id)") })
        }
        return .passed("single head \(head.id) (\(head.file)), \(graph.revisions.count) revisions")
    }
}
