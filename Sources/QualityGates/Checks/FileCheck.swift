import FoundationEssentials
import ProjectFiles
import TextSearch

/// A file exists (or must not), and contains or does not contain a regular expression.
struct FileCheck: Check {
    static let description = CheckDescription(
        kind: "file",
        summary: "A file exists (or, with `exists: false`, does not), and contains or does not contain a regular expression.",
        parameters: [
            ParameterDoc("path", "path", required: true, "The file, relative to the project root."),
            ParameterDoc("exists", "boolean", "Whether the file must exist (default true)."),
            ParameterDoc("contains", "regex", "A regular expression that must match somewhere in the file."),
            ParameterDoc("not_contains", "regex", "A regular expression that must match nowhere; the first match is reported with its line."),
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

    let path: String
    let exists: Bool
    let contains: Pattern?
    let notContains: Pattern?

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        path = try parameters.requiredString("path")
        exists = try parameters.bool("exists") ?? true
        contains = try parameters.pattern("contains")
        notContains = try parameters.pattern("not_contains")
        if !exists, contains != nil || notContains != nil {
            throw parameters.invalid("exists", "contains and not_contains need exists: true")
        }
    }

    func run(_ context: CheckContext) -> CheckResult {
        let url = context.url(for: path)
        let present = FileManager.default.fileExists(atPath: url.path)
        guard present, contains != nil || notContains != nil else {
            return judge(exists: present, text: nil)
        }
        do {
            return judge(exists: true, text: try FileReader.text(url, display: path))
        } catch {
            return .errored(error.description)
        }
    }

    func judge(exists present: Bool, text: String?) -> CheckResult {
        guard exists else {
            return present ? .failed("\(path) exists, expected it not to", findings: [Finding(file: path, message: "must not exist")])
                           : .passed("\(path) does not exist")
        }
        guard present else { return .failed("\(path) does not exist") }
        if let contains, let text, !contains.matches(text) {
            return .failed("\(path) does not contain /\(contains)/", findings: [Finding(file: path, message: "expected /\(contains)/")])
        }
        if let notContains, let text, let match = notContains.firstMatch(in: text) {
            let line = match.lineText.trimmingCharacters(in: " \t")
            return .failed("\(path):\(match.line):\(match.column) matches /\(notContains)/: \(line)",
                           findings: [Finding(file: path, line: match.line, column: match.column, message: "matches /\(notContains)/")])
        }
        let what = [contains.map { "contains /\($0)/" }, notContains.map { "has no /\($0)/" }].compactMap { $0 }
        return .passed(what.isEmpty ? "\(path) exists" : "\(path) \(what.joined(separator: " and "))")
    }
}
