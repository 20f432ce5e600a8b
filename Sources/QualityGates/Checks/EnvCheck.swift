import ConfigFiles
import FoundationEssentials
import ProjectFiles

/// A variable is set, equals a value, is one of several, or matches a regex: read from the run's
/// environment (process and `--env-file`) or from a dotenv file in the project.
struct EnvCheck: Check {
    static let description = CheckDescription(
        kind: "env",
        summary: "A variable is set (not empty), equals a value, is one of a list, or matches a regular expression.",
        parameters: [
            ParameterDoc("variable", "string", required: true, "The variable's name."),
            ParameterDoc("file", "path", "A dotenv file in the project to read it from (e.g. a committed `.env.example`); without it, the run's environment (process, then `--env-file`). \(ParameterDoc.pathForms); the first match is read. For TOML, YAML, JSON and compose files, use the `config` kind."),
            ParameterDoc("equals", "string", "The exact value it must have."),
            ParameterDoc("one_of", "list of strings", "The values it may have."),
            ParameterDoc("matches", "regex", "A regular expression the whole value must match."),
            .optional,
        ],
        defaultTargets: [.build, .staging],
        examples: [
            CheckExample("""
                kind: env
                variable: DATA_REGION
                one_of: [canada-central, canada-east]
                """, environment: ["DATA_REGION": "canada-central"], .passes),
            CheckExample("""
                kind: env
                variable: DATA_REGION
                one_of: [canada-central, canada-east]
                """, environment: ["DATA_REGION": "us-east-1"], .fails("DATA_REGION (us-east-1) one of [canada-central, canada-east]")),
            CheckExample("""
                kind: env
                variable: DATA_REGION
                equals: canada-central
                """, .fails("DATA_REGION is not set in the environment")),
            CheckExample("""
                kind: env
                variable: SUPABASE_URL
                matches: https://.+
                """, environment: ["SUPABASE_URL": "http://db.internal"], .fails("SUPABASE_URL (http://db.internal) matches /https://.+/")),
            CheckExample("""
                kind: env
                variable: SUPABASE_JWT_SECRET
                """, environment: ["SUPABASE_JWT_SECRET": ""], .fails("SUPABASE_JWT_SECRET is empty in the environment")),
            CheckExample("""
                kind: env
                variable: DATA_REGION
                file: backend/.env.example
                equals: canada-central
                """, files: ["backend/.env.example": "# region\nexport DATA_REGION=\"canada-central\"  # PIPEDA\n"], .passes),
            CheckExample("""
                kind: env
                variable: DATA_REGION
                file: backend/.env.example
                equals: canada-central
                """, files: ["backend/.env.example": "DATA_REGION=us-east-1\n"], .fails("DATA_REGION (us-east-1) == canada-central in backend/.env.example:1")),
            CheckExample("""
                kind: env
                variable: DATA_REGION
                file: backend/.env
                """, .errors("backend/.env does not exist (file, looked in the project root")),
            CheckExample("""
                kind: env
                variable: DATA_REGION
                file: ["**/.env.example", "**/*.env.template"]
                one_of: [canada-central, canada-east]
                """, files: ["NestSync-backend/backend.env.template": "DATA_REGION=canada-east\n"], .passes),
            CheckExample("""
                kind: env
                variable: DATA_REGION
                file: ["**/.env.example", "**/*.env.template"]
                optional: true
                """, files: ["README.md": "no env files here\n"], .skips("optional input absent: nothing matches any of **/.env.example, **/*.env.template")),
            CheckExample("""
                kind: env
                variable: DATA_REGION
                equals: canada-central
                one_of: [canada-east]
                """, .invalid("give only one of equals, one_of, matches")),
            CheckExample("""
                kind: env
                variable: DATA_REGION
                matches: "canada-(central"
                """, .invalid("invalid regular expression")),
        ]
    )

    enum Expectation: Sendable {
        case set
        case equals(String)
        case oneOf([String])
        case matches(Pattern)
    }

    /// What was found: the value (nil when unset) and where it was looked up.
    struct Observation {
        let value: String?
        let source: String
        let line: Int?
    }

    let variable: String
    let file: PathQuery?
    let expectation: Expectation

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        variable = try parameters.requiredString("variable")
        file = try parameters.paths("file")
        let equals = try parameters.string("equals")
        let oneOf = try parameters.strings("one_of")
        let matches = try parameters.pattern("matches")
        let given = [equals != nil, oneOf != nil, matches != nil].filter { $0 }.count
        guard given <= 1 else {
            throw ConfigError(.invalidValue(key: "equals", reason: "give only one of equals, one_of, matches"), at: parameters.location)
        }
        expectation = equals.map { .equals($0) } ?? oneOf.map { .oneOf($0) } ?? matches.map { .matches($0) } ?? .set
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> Observation {
        guard let file else {
            return Observation(value: context.environment[variable], source: "the environment", line: nil)
        }
        let path = try file.first(context).path
        let text: String
        do {
            text = try FileReader.text(context.url(for: path), display: path)
        } catch {
            throw CheckStop(.errored(error.description))
        }
        do {
            let entry = try DotEnv.parse(text).last { $0.name == variable }
            return Observation(value: entry?.value, source: path, line: entry?.line)
        } catch {
            throw CheckStop(.errored("\(path):\(error.line):\(error.column): \(error.reason)"))
        }
    }

    func judge(_ observed: Observation) -> CheckResult {
        let place = observed.line.map { "\(observed.source):\($0)" } ?? observed.source
        let findings = observed.line.map { [Finding(file: observed.source, line: $0, message: "\(variable) is set here")] } ?? []
        guard let value = observed.value else {
            return .failed("\(variable) is not set in \(observed.source)", findings: findings)
        }
        let condition: String
        let holds: Bool
        switch expectation {
        case .set:
            guard !value.isEmpty else { return .failed("\(variable) is empty in \(place)", findings: findings) }
            return .passed("\(variable) is set in \(place)")
        case .equals(let expected):
            (condition, holds) = ("== \(expected)", value == expected)
        case .oneOf(let allowed):
            (condition, holds) = ("one of [\(allowed.joined(separator: ", "))]", allowed.contains(value))
        case .matches(let pattern):
            (condition, holds) = ("matches /\(pattern)/", pattern.matchesWhole(value))
        }
        let message = "\(variable) (\(value)) \(condition) in \(place)"
        return holds ? .passed(message) : .failed(message, findings: findings)
    }
}
