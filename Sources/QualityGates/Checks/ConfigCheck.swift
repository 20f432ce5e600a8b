import ConfigFiles
import ProjectFiles

/// A setting declared in the project's configuration files (dotenv, TOML, YAML, JSON, compose)
/// has an expected value, judged where it is written.
struct ConfigCheck: Check {
    static let description = CheckDescription(
        kind: "config",
        summary: "A key declared in the project's configuration (a dotenv file, `railway.toml`, a docker-compose file, YAML, JSON, or the defaults of a Python application's settings code) is set, equals a value, is one of a list, matches a regular expression, or lies within numeric bounds; judged where it is written, with file:line. Deploy-time placeholders (`${{ secrets.X }}`, `${X}`) are reported as injected at deploy time, and `${X:-default}` is judged by its default.",
        parameters: [
            ParameterDoc("file", "path", "The file. \(ParameterDoc.pathForms); each match is a source, in order. Give `file` with `key`, or `sources`."),
            ParameterDoc("key", "key path", "The key: a dotted path into the file (`env.DATA_REGION`, `services.*.environment.DATA_REGION`, `expo.extra.region`); in a dotenv file or Python settings code, the variable's name. `*` matches any one key or list item; docker-compose `environment:` works in its list (`- KEY=value`) and map forms, and the dotenv files a service names in `env_file:` are read as its environment too (one the repository does not have, such as a git-ignored `.env`, is passed over)."),
            ParameterDoc("format", "dotenv, toml, yaml, json or python", "The file's format, when its name does not say it (`.env*`, `*.toml`, `*.yml`/`*.yaml`, `*.json`, `*.py`). `python` reads the environment variables an application's settings code reads and the literal defaults it gives them: the fields of a pydantic `BaseSettings` class (`data_region: str = \"canada-central\"`, `Field(default=2555, env=\"DATA_RETENTION_DAYS\")`, `alias`, `validation_alias`, `env_prefix`) and `os.getenv(\"TZ\", \"America/Toronto\")` / `os.environ.get(…)` calls; a variable read without a literal default declares no value."),
            ParameterDoc("sources", "list of {file, key, format, skip_images}", "Several places the key may be declared, in different formats, in order: the first source that declares it decides."),
            ParameterDoc("skip_images", "list of globs", "docker-compose files: services whose `image:` matches one of these (`supabase/*`, `kong*`) are not read. A compose file that runs a stack beside the application (Supabase's self-hosted studio, auth and storage) declares the stack's own settings, such as studio's SUPABASE_URL, which say nothing of the application's."),
            ParameterDoc("all", "boolean", "Every declaration found must hold, not only the first (default false)."),
            ParameterDoc("beside", "key name", "Another key that, wherever it is declared, this one must be declared next to (the same table, the same compose service's environment): `key: SUPABASE_JWT_SECRET` with `beside: SUPABASE_URL` finds a deployment config that sets one Supabase setting and forgets the other. Declared is enough here, empty included, unless an expectation is given."),
            ParameterDoc("equals", "string", "The exact value it must have."),
            ParameterDoc("one_of", "list of strings", "The values it may have."),
            ParameterDoc("matches", "regex", "A regular expression the whole value must match."),
            ParameterDoc("at_most", "number", "The largest number it may be."),
            ParameterDoc("at_least", "number", "The smallest number it may be."),
            ParameterDoc("set", "boolean", "Without another expectation: `true` (the default) wants it declared and not empty; `false` wants it declared nowhere."),
            .optional, .exclude,
        ],
        defaultTargets: [.build, .staging],
        thresholds: ["equals", "one_of", "matches", "at_most", "at_least"],
        examples: [
            CheckExample("""
                kind: config
                file: NestSync-backend/railway.toml
                key: env.DATA_REGION
                one_of: [canada-central, canada-east, ca-central-1, ca-west-1]
                """, files: ["NestSync-backend/railway.toml": "[build]\nbuilder = \"NIXPACKS\"\n\n[env]\nDATA_REGION = \"ca-central-1\"\n"], .passes),
            CheckExample("""
                kind: config
                file: docker/docker-compose.yml
                key: services.*.environment.DATA_REGION
                one_of: [canada-central, canada-east, ca-central-1, ca-west-1]
                all: true
                """, files: ["docker/docker-compose.yml": composeSample],
                .fails("DATA_REGION = us-east-1 at docker/docker-compose.yml:12, expected one of [canada-central, canada-east, ca-central-1, ca-west-1]")),
            CheckExample("""
                kind: config
                sources:
                  - {file: "**/railway.toml", key: env.DATA_REGION}
                  - {file: "**/docker-compose*.yml", key: "services.*.environment.DATA_REGION"}
                  - {file: ["**/.env.example", "**/*.env.template"], key: DATA_REGION}
                one_of: [canada-central, canada-east, ca-central-1, ca-west-1]
                optional: true
                """, files: ["docker-compose.yml": "services:\n  api:\n    environment:\n      DATA_REGION: ${DATA_REGION}\n",
                             "backend/app.env.template": "DATA_REGION=canada-east\n"], .passes),
            CheckExample("""
                kind: config
                sources:
                  - {file: "**/railway.toml", key: env.DATA_REGION}
                  - {file: ["**/.env.example"], key: DATA_REGION}
                one_of: [canada-central, canada-east]
                optional: true
                """, files: ["README.md": "x\n"], .skips("optional input absent: nothing matches any of **/railway.toml, **/.env.example")),
            CheckExample("""
                kind: config
                file: [railway.toml, .env.example]
                key: env.DATA_REGION
                one_of: [canada-central]
                optional: true
                """, files: ["railway.toml": "[build]\nbuilder = \"NIXPACKS\"\n"], .skips("optional input absent: env.DATA_REGION is declared in none of railway.toml")),
            CheckExample("""
                kind: config
                file: .github/workflows/deploy.yml
                key: jobs.deploy.env.DATA_REGION
                one_of: [canada-central]
                """, files: [".github/workflows/deploy.yml": "jobs:\n  deploy:\n    env:\n      DATA_REGION: ${{ secrets.DATA_REGION }}\n"],
                .skips("DATA_REGION is declared at .github/workflows/deploy.yml:4 as ${{ secrets.DATA_REGION }}, injected at deploy time")),
            CheckExample("""
                kind: config
                file: docker-compose.yml
                key: services.api.environment.DATA_REGION
                equals: canada-central
                """, files: ["docker-compose.yml": "services:\n  api:\n    environment:\n      - DATA_REGION=${DATA_REGION:-us-east-1}\n"],
                .fails("DATA_REGION = us-east-1 (the default of ${DATA_REGION:-us-east-1}) at docker-compose.yml:4, expected canada-central")),
            CheckExample("""
                kind: config
                sources:
                  - {file: "**/docker-compose*.yml", key: "services.*.environment.SUPABASE_JWT_SECRET"}
                  - {file: "**/.env.example", key: SUPABASE_JWT_SECRET}
                beside: SUPABASE_URL
                optional: true
                """, files: ["docker/docker-compose.yml": composeSample, ".env.example": "SUPABASE_URL=\nSUPABASE_JWT_SECRET=\n"],
                .fails("SUPABASE_URL is declared at docker/docker-compose.yml:6 without SUPABASE_JWT_SECRET beside it (services.api.environment)")),
            CheckExample("""
                kind: config
                file: docker/docker-compose.yml
                key: services.*.environment.SUPABASE_JWT_SECRET
                beside: SUPABASE_URL
                skip_images: ["supabase/*", "kong*"]
                """, files: ["docker/docker-compose.yml": supabaseStackSample], .passes),
            CheckExample("""
                kind: config
                file: "**/docker-compose*.yml"
                key: services.*.environment.DATA_REGION
                one_of: [canada-central, ca-central-1]
                all: true
                """, files: ["docker/docker-compose.yml": "services:\n  api:\n    build: ../backend\n    env_file: [../backend/.env.docker, ../backend/.env]\n",
                             "backend/.env.docker": "SUPABASE_URL=https://x.supabase.co\nDATA_REGION=us-east-1\n"],
                .fails("DATA_REGION = us-east-1 at backend/.env.docker:2, expected one of [canada-central, ca-central-1]")),
            CheckExample("""
                kind: config
                file: docker/docker-compose.yml
                key: services.*.environment.SUPABASE_JWT_SECRET
                beside: SUPABASE_URL
                """, files: ["docker/docker-compose.yml": supabaseStackSample],
                .fails("SUPABASE_URL is declared at docker/docker-compose.yml:5 without SUPABASE_JWT_SECRET beside it (services.studio.environment)")),
            CheckExample("""
                kind: config
                sources:
                  - {file: "**/railway.toml", key: env.DATA_REGION}
                  - {file: ["**/settings.py", "**/config.py"], key: DATA_REGION}
                one_of: [canada-central, canada-east, ca-central-1, ca-west-1]
                all: true
                """, files: ["backend/railway.toml": "[env]\nDATA_REGION = \"canada-central\"\n",
                             "backend/app/config/settings.py": pydanticSample],
                .fails("DATA_REGION = us-east-1 at backend/app/config/settings.py:9, expected one of [canada-central, canada-east, ca-central-1, ca-west-1]")),
            CheckExample("""
                kind: config
                file: "**/config.py"
                key: TZ
                equals: America/Toronto
                """, files: ["app/core/config.py": "import os\n\nTZ = os.getenv(\"TZ\", \"America/Toronto\")\n"], .passes),
            CheckExample("""
                kind: config
                file: app.json
                key: expo.extra.dataRetentionDays
                at_most: 2555
                """, files: ["app.json": "{\n  \"expo\": {\n    \"extra\": {\"dataRetentionDays\": 3650}\n  }\n}\n"],
                .fails("dataRetentionDays = 3650 at app.json:3, expected at most 2555")),
            CheckExample("""
                kind: config
                file: .env.example
                key: SUPABASE_JWT_SECRET
                """, files: [".env.example": "SUPABASE_URL=https://x.supabase.co\nSUPABASE_JWT_SECRET=\n"],
                .fails("SUPABASE_JWT_SECRET is empty at .env.example:2")),
            CheckExample("""
                kind: config
                file: railway.toml
                key: env.DATA_REGION
                """, files: ["railway.toml": "[env]\nDATA_REGION = canada-central\n"],
                .errors("railway.toml:2:15: 'canada-central' is not a TOML value (strings need quotes)")),
            CheckExample("""
                kind: config
                file: settings.ini
                key: region
                """, .invalid("settings.ini: cannot tell its format from the name; add format: dotenv, toml, yaml, json or python")),
            CheckExample("""
                kind: config
                file: railway.toml
                key: env..DATA_REGION
                """, .invalid("has an empty part")),
            CheckExample("""
                kind: config
                file: railway.toml
                """, .invalid("missing required key 'key'")),
        ]
    )

    static let pydanticSample = """
        from pydantic import Field
        from pydantic_settings import BaseSettings


        class Settings(BaseSettings):
            \"\"\"Application settings (defaults apply where the environment sets nothing).\"\"\"

            database_url: str = Field(..., env="DATABASE_URL")
            data_region: str = Field(default="us-east-1", env="DATA_REGION")
            data_retention_days: int = 2555

            class Config:
                env_file = ".env"

        """

    static let supabaseStackSample = """
        services:
          studio:
            image: supabase/studio:20231123-64a766a
            environment:
              SUPABASE_URL: http://kong:8000
          backend:
            build: ../NestSync-backend
            environment:
              SUPABASE_URL: http://kong:8000
              SUPABASE_JWT_SECRET: ${JWT_SECRET}

        """

    static let composeSample = """
        services:
          api:
            build: ../NestSync-backend
            environment:
              DATA_REGION: canada-central
              SUPABASE_URL: ${SUPABASE_URL}
          worker:
            build: ../NestSync-backend
            command: python -m app.worker
            environment:
              - SUPABASE_URL=${SUPABASE_URL}
              - DATA_REGION=us-east-1

        """

    /// One place the key may be declared.
    struct Source: Sendable {
        let files: PathQuery
        let key: ConfigKeyPath
        let format: ConfigFormat?
        /// Compose services running these images are not read.
        var skipImages: [String] = []
    }

    enum Expectation: Sendable {
        case set(Bool)
        case equals(String)
        case oneOf([String])
        case matches(Pattern)
        case bounds(atLeast: Double?, atMost: Double?)
    }

    let sources: [Source]
    let all: Bool
    let beside: String?
    let expectation: Expectation
    let optional: Bool

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        var sources: [Source] = []
        if let list = try parameters.nestedList("sources", allowed: ["file", "key", "format", "skip_images"]) {
            guard try parameters.strings("file") == nil, try parameters.string("key") == nil else {
                throw parameters.invalid("sources", "give file and key, or sources, not both")
            }
            for var entry in list {
                let files = try parameters.pathQuery("file", try entry.strings("file") ?? [])
                guard !files.patterns.isEmpty || parameters.isLenient else { throw ConfigError(.missingKey("file"), at: entry.location) }
                sources.append(try Self.source(files, &entry))
            }
            guard !sources.isEmpty else { throw parameters.invalid("sources", "list at least one source") }
        } else {
            let files = try parameters.requiredPaths("file")
            sources.append(try Self.source(files, &parameters))
        }
        self.sources = sources
        all = try parameters.bool("all") ?? false
        beside = try parameters.string("beside")
        optional = try parameters.bool("optional") ?? false
        let equals = try parameters.string("equals")
        let oneOf = try parameters.strings("one_of")
        let matches = try parameters.pattern("matches")
        let atMost = try parameters.number("at_most")
        let atLeast = try parameters.number("at_least")
        let set = try parameters.bool("set")
        let given = [equals != nil, oneOf != nil, matches != nil, atMost != nil || atLeast != nil, set != nil].filter { $0 }.count
        guard given <= 1 else {
            throw parameters.invalid("equals", "give only one of equals, one_of, matches, at_most/at_least, set")
        }
        expectation = equals.map { .equals($0) } ?? oneOf.map { .oneOf($0) } ?? matches.map { .matches($0) }
            ?? (atMost != nil || atLeast != nil ? .bounds(atLeast: atLeast, atMost: atMost) : .set(set ?? true))
    }

    private static func source(_ files: PathQuery, _ parameters: inout CheckParameters) throws(ConfigError) -> Source {
        let keyText = try parameters.requiredString("key")
        let key: ConfigKeyPath
        do {
            key = try ConfigKeyPath(keyText.isEmpty ? "_" : keyText)
        } catch {
            throw parameters.invalid("key", error.reason)
        }
        var format: ConfigFormat?
        if let written = try parameters.string("format") {
            guard let parsed = ConfigFormat(rawValue: written.lowercased()) else {
                throw parameters.invalid("format", "'\(written)' is not dotenv, toml, yaml, json or python")
            }
            format = parsed
        } else {
            for pattern in files.patterns where ConfigFormat.of(fileName: pattern.source) == nil && !pattern.source.hasSuffix("*") {
                throw parameters.invalid("file", "\(pattern.source): cannot tell its format from the name; add format: dotenv, toml, yaml, json or python")
            }
        }
        return Source(files: files, key: key, format: format, skipImages: try parameters.strings("skip_images") ?? [])
    }

    /// A configuration file's tree, or the error that names the file and the place it cannot be read.
    static func read(_ path: String, as format: ConfigFormat, _ context: CheckContext, note: String = "") throws(CheckStop) -> ConfigNode {
        do {
            return try format.parse(try FileReader.read(context.url(for: path), display: path))
        } catch let error as ConfigSyntaxError {
            throw CheckStop(.errored("\(path):\(error.line):\(error.column): \(error.reason)\(note)",
                                     findings: [Finding(file: path, line: error.line, column: error.column, message: error.reason)]))
        } catch let error as FileReader.Problem {
            throw CheckStop(.errored(error.description))
        } catch {
            throw CheckStop(.errored("\(path): \(error)"))
        }
    }

    /// One declaration found: the file, the concrete key, and the value as written.
    struct Declaration {
        let file: String
        let key: String
        let node: ConfigNode
    }

    /// Every declaration, in source order, those of the `beside` key, and the files read.
    struct Observation {
        let declarations: [Declaration]
        var siblings: [Declaration] = []
        let filesRead: [String]
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> Observation {
        var declarations: [Declaration] = []
        var siblings: [Declaration] = []
        var filesRead: [String] = []
        for source in sources {
            for match in try source.files.search(context) {
                guard let format = source.format ?? ConfigFormat.of(fileName: match.path) else {
                    throw CheckStop(.errored("\(match.path): cannot tell its format from the name; add format: to the check"))
                }
                let root = try Self.read(match.path, as: format, context)
                if !filesRead.contains(match.path) { filesRead.append(match.path) }
                declarations += root.lookup(source.key).filter { !Self.skipped($0.key, in: root, images: source.skipImages) }
                    .map { Declaration(file: match.path, key: $0.key, node: $0.node) }
                if let beside, let path = source.key.sibling(beside) {
                    siblings += root.lookup(path).filter { !Self.skipped($0.key, in: root, images: source.skipImages) }
                        .map { Declaration(file: match.path, key: $0.key, node: $0.node) }
                }
                // A compose service's `env_file:` declares its environment too, after `environment:`.
                for (file, services) in try Self.composeEnvFiles(root, composeFile: match.path, format: format, key: source.key,
                                                                 images: source.skipImages, context) {
                    if !filesRead.contains(file) { filesRead.append(file) }
                    declarations += services.lookup(source.key).map { Declaration(file: file, key: $0.key, node: $0.node) }
                    if let beside, let path = source.key.sibling(beside) {
                        siblings += services.lookup(path).map { Declaration(file: file, key: $0.key, node: $0.node) }
                    }
                }
            }
        }
        guard !filesRead.isEmpty else {
            let query = PathQuery(key: "file", patterns: sources.flatMap(\.files.patterns), excluded: [], optional: optional, hint: nil)
            throw CheckStop(query.nothingFound(in: context))
        }
        return Observation(declarations: declarations, siblings: siblings, filesRead: filesRead)
    }

    /// The key as messages name it: the whole path for one source, its last part across several.
    var keyName: String {
        guard let first = sources.first?.key.description else { return "the key" }
        return sources.count == 1 ? first : Self.name(first)
    }

    func judge(_ observed: Observation) -> CheckResult {
        if let beside { return judgeBeside(observed, beside: beside) }
        return judgeValues(observed)
    }

    /// The declarations' values against the expectation: the first literal one, or all.
    func judgeValues(_ observed: Observation) -> CheckResult {
        let declarations = observed.declarations
        if case .set(false) = expectation {
            guard let first = declarations.first else { return .passed("\(keyName) is declared in none of \(observed.filesRead.joined(separator: ", "))") }
            return .failed("\(Self.name(first.key)) is declared at \(place(first)), expected it nowhere", findings: [finding(first, "must not be declared")])
        }
        guard !declarations.isEmpty else {
            let message = "\(keyName) is declared in none of \(observed.filesRead.joined(separator: ", "))"
            return optional ? CheckResult.skipped(.optionalInputAbsent, "optional input absent: \(message)") : .failed(message)
        }
        let literal = declarations.filter { Self.literal($0.node) != nil }
        guard !literal.isEmpty else {
            let first = declarations[0]
            if case .set = expectation { return .passed("\(Self.name(first.key)) is declared at \(place(first)) (\(first.node.displayText), injected at deploy time)") }
            return CheckResult.skipped(.injectedAtDeploy, "\(Self.name(first.key)) is declared at \(place(first)) as \(first.node.displayText), injected at deploy time; the staging target checks the live value")
        }
        var checked: [(Declaration, holds: Bool, text: String)] = []
        var judged: Set<String> = []
        // One env_file shared by several compose services is one place, judged once.
        for declaration in all ? literal : [literal[0]] where judged.insert("\(place(declaration)):\(declaration.node.column)").inserted {
            let (holds, text) = judge(declaration)
            checked.append((declaration, holds, text))
        }
        let failing = checked.filter { !$0.holds }
        guard failing.isEmpty else {
            return .failed(failing.map(\.text).joined(separator: "; "), findings: failing.map { finding($0.0, $0.text) })
        }
        return .passed(checked.map(\.text).joined(separator: "; "))
    }

    /// Wherever `beside` is declared, the key must be declared next to it; then, when an
    /// expectation other than being set is given, those values are judged.
    func judgeBeside(_ observed: Observation, beside: String) -> CheckResult {
        guard !observed.siblings.isEmpty else {
            let message = "\(beside) is declared in none of \(observed.filesRead.joined(separator: ", ")), so nothing is judged beside it"
            return optional ? CheckResult.skipped(.optionalInputAbsent, "optional input absent: \(message)") : .failed(message)
        }
        let name = Self.name(keyName)
        let present = Set(observed.declarations.map { "\($0.file)\u{0}\(Self.parent($0.key))" })
        let missing = observed.siblings.filter { !present.contains("\($0.file)\u{0}\(Self.parent($0.key))") }
        guard missing.isEmpty else {
            let text = missing.map { "\(beside) is declared at \(place($0)) without \(name) beside it (\(Self.parent($0.key)))" }
            return .failed(text.joined(separator: "; "), findings: missing.map { finding($0, "\(name) missing beside \(beside)") })
        }
        if case .set(true) = expectation {
            return .passed("\(name) is declared beside \(beside) in \(observed.siblings.count) place\(observed.siblings.count == 1 ? "" : "s"): \(observed.siblings.map { place($0) }.joined(separator: ", "))")
        }
        return judgeValues(Observation(declarations: observed.declarations, filesRead: observed.filesRead))
    }

    /// A value as messages show it. A file's value is no variable of the run, so the redactor in
    /// front of every output does not know it: the value of a key whose name holds PASSWORD,
    /// SECRET, TOKEN or KEY (a JWT secret committed to `.env.production`, a default in settings
    /// code) is masked here, its length kept.
    static func shown(_ value: String, of name: String) -> String {
        guard !value.isEmpty, SecretName.holdsSecret(name) else { return value }
        return "\(Redactor.mask) (\(value.count) characters)"
    }

    /// The key without its last part: the table or service the value sits in.
    static func parent(_ key: String) -> String { key.split(separator: ".").dropLast().joined(separator: ".") }

    /// One declaration against the expectation: whether it holds, and the value beside the expectation.
    func judge(_ declaration: Declaration) -> (Bool, String) {
        let name = Self.name(declaration.key)
        guard let (value, note) = Self.literal(declaration.node) else { return (false, "\(name) has no value at \(place(declaration))") }
        let shown = "\(name) = \(Self.shown(value, of: name))\(note) at \(place(declaration))"
        switch expectation {
        case .set:
            return value.isEmpty ? (false, "\(name) is empty at \(place(declaration))") : (true, shown)
        case .equals(let expected):
            return (value == expected, value == expected ? shown : "\(shown), expected \(expected)")
        case .oneOf(let allowed):
            let holds = allowed.contains(value)
            return (holds, holds ? shown : "\(shown), expected one of [\(allowed.joined(separator: ", "))]")
        case .matches(let pattern):
            let holds = pattern.matchesWhole(value)
            return (holds, holds ? shown : "\(shown), expected to match /\(pattern)/")
        case .bounds(let atLeast, let atMost):
            guard let number = Double(value.filter { $0 != "_" }) else { return (false, "\(shown), expected a number") }
            if let atMost, number > atMost { return (false, "\(shown), expected at most \(NumberText.number(atMost))") }
            if let atLeast, number < atLeast { return (false, "\(shown), expected at least \(NumberText.number(atLeast))") }
            return (true, shown)
        }
    }

    /// The value to compare: a scalar's text, or the default of a `${X:-default}` placeholder;
    /// nil for a placeholder without one, a null, a table or a list.
    static func literal(_ node: ConfigNode) -> (value: String, note: String)? {
        guard case .scalar(let scalar) = node.value, scalar.kind != .null else { return nil }
        guard let placeholder = DeployPlaceholder(scalar.text) else { return (scalar.text, "") }
        guard let fallback = placeholder.fallback else { return nil }
        return (fallback, " (the default of \(scalar.text))")
    }

    /// The last part of a concrete key: `services.api.environment.DATA_REGION` → DATA_REGION.
    static func name(_ key: String) -> String { key.split(separator: ".").last.map(String.init) ?? key }

    func place(_ declaration: Declaration) -> String { "\(declaration.file):\(declaration.node.line)" }

    func finding(_ declaration: Declaration, _ message: String) -> Finding {
        Finding(file: declaration.file, line: declaration.node.line, column: declaration.node.column, message: message)
    }
}
