import Glibc
import GraphQLDocuments
import HTTPClient
import JSON
import ProjectFiles
import TextSearch

/// The frontend's GraphQL operations and fragments are valid against the backend's schema, with
/// each problem at its file:line:column and the camelCase/snake_case counterpart named.
struct GraphQLDocumentsCheck: Check {
    static let description = CheckDescription(
        kind: "graphql_documents",
        summary: "Every operation and fragment of the frontend (`.graphql`/`.gql` files, and `gql`/`graphql` tagged templates in JavaScript and TypeScript, fragments interpolated from other files) is valid against the schema under the GraphQL specification's validation rules; each problem is reported at its file:line:column, and a field, argument or input field whose camelCase/snake_case counterpart exists is named.",
        parameters: [
            ParameterDoc("sdl", "path", "The schema in SDL, relative to the project root. Give `sdl` or `url`."),
            ParameterDoc("url", "URL", "A GraphQL endpoint whose schema is read by introspection (staging only: on the build target the check is skipped)."),
            ParameterDoc("headers", "mapping", "Request headers for `url`."),
            ParameterDoc("documents", "list", required: true, "Files and folders holding the frontend's documents, relative to the project root. Folders are searched for .graphql, .gql, .ts, .tsx, .js, .jsx, .mjs, .cjs, .mts and .cts files, skipping node_modules, dist, build and hidden folders."),
            ParameterDoc("assume_valid_sdl", "boolean", "Do not validate the SDL itself (graphql-core's `assume_valid_sdl`), for schemas published slightly invalid, such as GitHub's. Default false."),
        ],
        defaultTargets: [.build, .staging],
        examples: [
            CheckExample("""
                kind: graphql_documents
                sdl: schema.graphql
                documents: [src]
                """, files: ["schema.graphql": sampleSchema, "src/fragments.ts": sampleFragments, "src/queries.ts": sampleQueries], .passes),
            CheckExample("""
                kind: graphql_documents
                sdl: schema.graphql
                documents: [src]
                """, files: ["schema.graphql": sampleSchema, "src/fragments.ts": sampleFragments,
                             "src/queries.ts": sampleQueries.replacingAll("{ childId totalChanges }", with: "{ child_id totalChanges }")],
                .fails(#"src/queries.ts:15:43: Cannot query field "child_id" on type "Dashboard"; the schema names it "childId" (camelCase)"#)),
            CheckExample("""
                kind: graphql_documents
                sdl: schema.graphql
                documents: [src/fragments.ts, src/queries.ts]
                """, files: ["schema.graphql": sampleSchema.replacingAll("childId", with: "child_id"), "src/fragments.ts": sampleFragments, "src/queries.ts": sampleQueries],
                .fails(#"src/fragments.ts:4:5: Cannot query field "childId" on type "Child"; the schema names it "child_id" (snake_case)"#)),
            CheckExample("""
                kind: graphql_documents
                sdl: schema.graphql
                documents: [operations.graphql]
                """, files: ["schema.graphql": sampleSchema, "operations.graphql": "query Dashboard {\n  getAnalyticsDashboard(child_id: \"1\") { totalChanges }\n}\n"],
                .fails(#"operations.graphql:2:25: Field "getAnalyticsDashboard" on type "Query" has no argument "child_id"; the schema names it "childId" (camelCase)"#)),
            CheckExample("""
                kind: graphql_documents
                sdl: schema.graphql
                documents: [src/queries.ts]
                """, files: ["schema.graphql": sampleSchema, "src/queries.ts": sampleQueries],
                .fails(#"src/queries.ts:7:21: Unknown fragment "ChildFields""#)),
            CheckExample("""
                kind: graphql_documents
                sdl: schema.graphql
                documents: [app.tsx]
                """, files: ["schema.graphql": sampleSchema, "app.tsx": "const Q = gql`\n  query Broken {\n    me {\n  }\n`;\n"],
                .fails("app.tsx:4:3: Syntax Error: Expected Name, found }")),
            CheckExample("""
                kind: graphql_documents
                sdl: schema.graphql
                documents: [src]
                """, files: ["schema.graphql": "type Query {\n  me: User\n", "src/fragments.ts": sampleFragments],
                .errors("schema.graphql:3:1: Syntax Error: Expected Name, found <EOF>")),
            CheckExample("""
                kind: graphql_documents
                documents: [src]
                """, .invalid("sdl")),
        ]
    )

    static let sampleSchema = """
        type Query {
          me: User
          getAnalyticsDashboard(childId: ID!, periodDays: Int! = 30): Dashboard!
        }
        type User { id: ID! children: [Child!]! }
        type Child { id: ID! childId: ID! name: String! }
        type Dashboard { childId: ID! totalChanges: Int! }

        """

    static let sampleFragments = """
        import { gql } from '@apollo/client';
        export const CHILD_FIELDS = gql`
          fragment ChildFields on Child {
            childId
            name
          }
        `;

        """

    static let sampleQueries = """
        import { gql } from '@apollo/client';
        import { CHILD_FIELDS } from './fragments';
        // A `gql` in a comment, and one in a 'string with gql`', are not templates.
        export const ME = gql`
          query Me {
            me {
              children { ...ChildFields }
              id
            }
          }
          ${CHILD_FIELDS}
        `;
        export const DASHBOARD = gql`
          query Dashboard($id: ID!) {
            getAnalyticsDashboard(childId: $id) { childId totalChanges }
          }
        `;

        """

    let source: GraphQLSchemaSource
    let documentPaths: [String]
    let assumeValidSDL: Bool

    /// The standard introspection query, with what `buildSchema` needs beyond graphql_schema's.
    static let introspectionQuery = """
        query IntrospectionQuery { __schema { queryType { name } mutationType { name } subscriptionType { name }
          types { kind name fields(includeDeprecated: true) { name args { name type { ...TypeRef } defaultValue } type { ...TypeRef } }
            inputFields { name type { ...TypeRef } defaultValue } interfaces { name } possibleTypes { name }
            enumValues(includeDeprecated: true) { name } }
          directives { name locations isRepeatable args { name type { ...TypeRef } defaultValue } } } }
        fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType {
          kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
        """

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        source = try GraphQLSchemaSource.read(&parameters, introspectionQuery: Self.introspectionQuery)
        documentPaths = try parameters.strings("documents") ?? []
        guard !documentPaths.isEmpty else { throw ConfigError(.missingKey("documents"), at: parameters.location) }
        assumeValidSDL = try parameters.bool("assume_valid_sdl") ?? false
    }

    func run(_ context: CheckContext) -> CheckResult {
        let clock = ContinuousClock()
        let started = clock.now
        var schema: JSONValue
        switch source {
        case .sdl(let path):
            do {
                schema = .object([("name", .string(path)), ("sdl", .string(try FileReader.text(context.url(for: path), display: path)))])
            } catch {
                return .errored(error.description)
            }
        case .endpoint(let request):
            let response: HTTPResponse
            switch GraphQLSchemaSource.introspect(request, context) {
            case .success(let answer): response = answer
            case .failure(let stop): return stop.result
            }
            if case .problem(let result) = GraphQLSchemaSource.introspectionData(response, endpoint: source.name) { return result }
            schema = .object([("name", .string(source.name)), ("introspection", .string(String(decoding: response.body, as: UTF8.self)))])
        }
        if assumeValidSDL, case .object(var members) = schema {
            members.append(("assumeValidSDL", .bool(true)))
            schema = .object(members)
        }
        let frontend: FrontendDocuments
        do {
            frontend = try FrontendDocuments.collect(documentPaths, root: context.projectRoot.path)
        } catch {
            return .errored(error.message)
        }
        guard !frontend.documents.isEmpty else {
            return .failed("no GraphQL documents in \(documentPaths.joined(separator: ", ")) (\(frontend.files) files searched); name the folders that hold the frontend's operations")
        }
        let request = JSONValue.object([
            ("schema", schema),
            ("documents", .array(frontend.documents.map { .object([("name", .string($0.file)), ("text", .string($0.template.text))]) })),
        ])
        let elapsed = clock.now - started
        let left = context.timeout - Double(elapsed.components.seconds) - Double(elapsed.components.attoseconds) / 1e18
        let answer: JSONDocument
        switch Self.validate(request, timeout: max(0.1, left)) {
        case .success(let document): answer = document
        case .failure(let problem): return .errored(problem.message)
        }
        return judge(answer, frontend: frontend)
    }

    /// What the helper said, turned into a result with file positions.
    func judge(_ answer: JSONDocument, frontend: FrontendDocuments) -> CheckResult {
        if case .string(let message)? = answer.value(at: ["schemaError"]) {
            return .errored(message)
        }
        var findings: [Finding] = []
        if case .array(let problems)? = answer.value(at: ["problems"]) {
            for problem in problems {
                guard case .number(let index)? = problem.value(at: ["document"]), Int(index) < frontend.documents.count,
                      case .number(let line)? = problem.value(at: ["line"]), case .number(let column)? = problem.value(at: ["column"]),
                      case .string(let message)? = problem.value(at: ["message"]) else { continue }
                let document = frontend.documents[Int(index)]
                let position = document.template.filePosition(line: Int(line), column: Int(column))
                findings.append(Finding(file: document.file, line: position.line, column: position.column, message: message))
            }
        }
        var operations = 0, fragments = 0
        if case .number(let count)? = answer.value(at: ["operations"]) { operations = Int(count) }
        if case .number(let count)? = answer.value(at: ["fragments"]) { fragments = Int(count) }
        let counted = "\(operations) operation\(operations == 1 ? "" : "s") and \(fragments) fragment\(fragments == 1 ? "" : "s") in \(frontend.files) file\(frontend.files == 1 ? "" : "s")"
        guard !findings.isEmpty else {
            return CheckResult(.passed, "\(counted) are valid against \(source.name)",
                               measurements: [Measurement(name: "operations", value: Double(operations), unit: "count")])
        }
        let shown = findings.prefix(3).map { "\($0.file):\($0.line):\($0.column): \($0.message)" }
        let more = findings.count > 3 ? " (and \(findings.count - 3) more)" : ""
        return .failed(shown.joined(separator: "; ") + more,
                       details: findings.map { "\($0.file):\($0.line):\($0.column): \($0.message)" } + ["\(counted), checked against \(source.name)"],
                       findings: findings)
    }

    struct HelperProblem: Error { let message: String }

    /// Where the validator is: `QG_GRAPHQL_HELPER`, else beside the running executable.
    static func helperPath() -> String {
        if let path = getenv("QG_GRAPHQL_HELPER").map({ String(cString: $0) }), !path.isEmpty { return path }
        let executable = FileSystem.realPath("/proc/self/exe") ?? ""
        let folder = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return folder + "/quality-gates-graphql"
    }

    /// Runs the validator on a request.
    static func validate(_ request: JSONValue, timeout: Double, helper path: String = helperPath()) -> Result<JSONDocument, HelperProblem> {
        guard FileSystem.kind(of: path) == .file else {
            return .failure(HelperProblem(message: "the GraphQL validator is missing: no \(path); build it with `swift build` (it is the quality-gates-graphql product) or set QG_GRAPHQL_HELPER"))
        }
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess.run(path, input: Array(request.serialized(compact: true).utf8), timeout: timeout)
        } catch {
            return .failure(HelperProblem(message: "the GraphQL validator could not start: \(error.message)"))
        }
        if outcome.timedOut {
            return .failure(HelperProblem(message: "the GraphQL validator did not finish within \(Runner.format(timeout)) s; raise the check's timeout"))
        }
        let stderr = String(decoding: outcome.stderr.prefix(400), as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        if let signal = outcome.signal {
            return .failure(HelperProblem(message: "the GraphQL validator crashed (signal \(signal))" + (stderr.isEmpty ? "" : ": \(stderr)")))
        }
        guard outcome.status == 0, let answer = JSONDocument.parse(outcome.stdout) else {
            return .failure(HelperProblem(message: "the GraphQL validator failed (exit \(outcome.status))" + (stderr.isEmpty ? "" : ": \(stderr)")))
        }
        return .success(answer)
    }
}
