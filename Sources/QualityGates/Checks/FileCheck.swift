import FoundationEssentials
import ProjectFiles
import TextSearch

/// A file exists (or must not), and contains or does not contain a regular expression.
struct FileCheck: Check {
    static let description = CheckDescription(
        kind: "file",
        summary: "A file exists (or, with `exists: false`, does not), and contains or does not contain a regular expression; with a glob, every matching file is judged.",
        parameters: [
            ParameterDoc("path", "path", required: true, "The file. \(ParameterDoc.pathForms); every match is judged: each must contain `contains`, none may contain `not_contains`."),
            ParameterDoc("exists", "boolean", "Whether a file must match (default true); `false`: no file may."),
            ParameterDoc("contains", "regex", "A regular expression that must match somewhere in each file (`(?m)^` anchors at line starts)."),
            ParameterDoc("not_contains", "regex", "A regular expression that must match nowhere; the first match is reported with its line."),
            .optional, .exclude,
        ],
        defaultTargets: [.build, .staging],
        examples: [
            CheckExample("""
                kind: file
                path: NestSync-backend/alembic.ini
                contains: "script_location\\\\s*=\\\\s*alembic"
                """, files: ["NestSync-backend/alembic.ini": "[alembic]\nscript_location = alembic\n"], .passes),
            CheckExample("""
                kind: file
                path: NestSync-backend/alembic.ini
                """, .fails("NestSync-backend/alembic.ini does not exist")),
            CheckExample("""
                kind: file
                path: app.py
                contains: CORSMiddleware
                """, files: ["app.py": "app = FastAPI()\n"], .fails("app.py does not contain /CORSMiddleware/")),
            CheckExample("""
                kind: file
                path: app/config.py
                not_contains: "us-(east|west)-[0-9]"
                """, files: ["app/config.py": "REGION = 'canada-central'\nBACKUP = 'us-east-1'\n"],
                .fails("app/config.py:2:11 matches /us-(east|west)-[0-9]/: BACKUP = 'us-east-1'")),
            CheckExample("""
                kind: file
                path: .env
                exists: false
                """, files: [".env": "SECRET=1\n"], .fails(".env exists, expected it not to")),
            CheckExample("""
                kind: file
                path: app
                contains: FastAPI
                """, files: ["app/main.py": "app = FastAPI()\n"], .errors("app is a folder, not a file")),
            CheckExample("""
                kind: file
                path: "**/*.py"
                exclude: [tests]
                not_contains: "(?m)^REGION = .us-"
                """, files: ["app/config.py": "REGION = 'ca-central-1'\n", "app/legacy/old.py": "x = 1\nREGION = 'us-east-1'\n",
                             "tests/test_config.py": "REGION = 'us-east-1'\n"],
                .fails("app/legacy/old.py:2:1 matches /(?m)^REGION = .us-/: REGION = 'us-east-1'")),
            CheckExample("""
                kind: file
                path: "**/Dockerfile"
                optional: true
                contains: 'FROM python:3\\.11'
                """, files: ["README.md": "x\n"], .skips("optional input absent: nothing matches **/Dockerfile")),
            CheckExample("""
                kind: file
                path: app.py
                contains: "("
                """, .invalid("invalid regular expression '('")),
            CheckExample("""
                kind: file
                path: .env
                exists: false
                contains: x
                """, .invalid("contains and not_contains need exists: true")),
        ]
    )

    let path: PathQuery
    let exists: Bool
    let contains: Pattern?
    let notContains: Pattern?

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        path = try parameters.requiredPaths("path")
        exists = try parameters.bool("exists") ?? true
        contains = try parameters.pattern("contains")
        notContains = try parameters.pattern("not_contains")
        if !exists, contains != nil || notContains != nil {
            throw parameters.invalid("exists", "contains and not_contains need exists: true")
        }
    }

    /// What was found: each matching file, with its text when a pattern needs it.
    struct Observation {
        let files: [(path: String, text: String?)]
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> Observation {
        // No file is an answer here (exists: false wants it), unless the input is optional.
        let matches = try path.search(context)
        if matches.isEmpty, path.optional { throw CheckStop(path.nothingFound(in: context)) }
        guard exists, contains != nil || notContains != nil else { return Observation(files: matches.map { ($0.path, nil) }) }
        var files: [(String, String?)] = []
        for match in matches {
            do {
                files.append((match.path, try FileReader.text(context.url(for: match.path), display: match.path)))
            } catch {
                throw CheckStop(.errored(error.description))
            }
        }
        return Observation(files: files)
    }

    func judge(_ observed: Observation) -> CheckResult {
        let written = path.written
        guard exists else {
            guard let first = observed.files.first else { return .passed("\(written) does not exist") }
            return .failed("\(first.path) exists, expected it not to", findings: observed.files.map { Finding(file: $0.path, message: "must not exist") })
        }
        guard !observed.files.isEmpty else {
            return .failed(path.patterns.count == 1 && path.patterns[0].isLiteral ? "\(written) does not exist" : "no file matches \(written)")
        }
        for (file, text) in observed.files {
            if let contains, let text, !contains.matches(text) {
                return .failed("\(file) does not contain /\(contains)/", findings: [Finding(file: file, message: "expected /\(contains)/")])
            }
            if let notContains, let text, let match = notContains.firstMatch(in: text) {
                let line = match.lineText.trimmingCharacters(in: " \t")
                return .failed("\(file):\(match.line):\(match.column) matches /\(notContains)/: \(line)",
                               findings: [Finding(file: file, line: match.line, column: match.column, message: "matches /\(notContains)/")])
            }
        }
        let what = [contains.map { "contains /\($0)/" }, notContains.map { "has no /\($0)/" }].compactMap { $0 }
        let files = observed.files.count == 1 ? observed.files[0].path : "\(observed.files.count) files matching \(written)"
        return .passed(what.isEmpty ? "\(files) exists" : "\(files) \(what.joined(separator: " and "))")
    }
}
