import GraphQLDocuments
import HTTPClient
import JSON
import ProjectFiles
import TextSearch

/// The frontend's GraphQL operations and fragments are valid against the backend's schema, each
/// document with the fragments its tooling gives it; each problem at its file:line:column with the
/// camelCase/snake_case counterpart named.
struct GraphQLDocumentsCheck: Check {
    static let description = CheckDescription(
        kind: "graphql_documents",
        summary: "Every operation and fragment of the frontend is valid against the schema under the GraphQL specification's validation rules, in every form frontends write them: `gql`/`graphql` tagged templates, `graphql(…)`/`gql(…)` calls (GraphQL Code Generator's client preset, gql.tada), `/* GraphQL */` templates, `.graphql`/`.gql` files with `#import`. A document sees the fragments its tooling gives it: a template those it defines and interpolates (`${CHILD_FIELDS}`, followed through imports, as Apollo does), a `.graphql` file those it imports, codegen's calls every fragment by name. Each problem is reported at its file:line:column, and a field, argument or input field whose camelCase/snake_case counterpart exists is named.",
        parameters: GraphQLSchemaSource.parameterDocs + [
            ParameterDoc("documents", "paths", required: true, "The frontend's files and folders. \(ParameterDoc.pathForms); every match is read. Folders are searched for .graphql, .gql, .ts, .tsx, .js, .jsx, .mjs, .cjs, .mts and .cts files, skipping node_modules, dist, build, __generated__ and hidden folders."),
            ParameterDoc("operations", "list of names", "Validate only these operations (the runbook's critical ones, `[GetAnalyticsDashboard, Me]`) with the fragments they use; a name no document defines fails."),
            ParameterDoc("rules", "mapping", "Validation rules lowered or switched off, by the specification's name: `{NoUnusedFragments: off, NoUnusedVariables: warn}`; `error`, `warn` or `off`. A fragment no operation uses (NoUnusedFragments) is a warning unless set otherwise."),
            ParameterDoc("assume_valid_sdl", "boolean", "Do not validate the SDL itself (graphql-core's `assume_valid_sdl`), for schemas published slightly invalid, such as GitHub's. Default false."),
            ParameterDoc("without_introspection", "string", "What a `url` whose introspection is turned off gives (Apollo Server's default in production): `error` (the default), or `probe`: the endpoint validates each document itself. The document goes with the fragments it takes from others and one operation more, which selects on a type that cannot exist, so validation, which covers the whole document, fails and nothing is run. Each problem the server reports is placed at its file, line and column, in the server's words (its own rules apply; `rules` does not)."),
            .optional, .exclude,
        ],
        defaultTargets: [.build, .staging],
        // `use_token` reads the token a sign-in it needs hands on, so it starts after that sign-in.
        readsHandoff: true,
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
                documents: [src]
                """, files: ["schema.graphql": sampleSchema, "src/fragments.ts": sampleFragments,
                             "src/queries.ts": sampleQueries.replacingAll("  ${CHILD_FIELDS}\n", with: "")],
                .fails(#"src/queries.ts:7:21: Unknown fragment "ChildFields"; src/fragments.ts defines it (CHILD_FIELDS), but this document does not interpolate it: add ${CHILD_FIELDS}"#)),
            CheckExample("""
                kind: graphql_documents
                sdl: schema.graphql
                documents: [src]
                """, files: ["schema.graphql": sampleSchema, "src/fragments.ts": sampleFragments + "export const OLD = gql`fragment OldChild on Child { name }`;\n",
                             "src/queries.ts": sampleQueries],
                .warns(#"src/fragments.ts:8:24: Fragment "OldChild" is never used by an operation"#)),
            CheckExample("""
                kind: graphql_documents
                sdl: schema.graphql
                documents: ["app/**/*.tsx", "src/gql/*.ts"]
                rules: {NoUnusedFragments: off}
                """, files: ["schema.graphql": sampleSchema,
                             "src/gql/fragments.ts": "export const ChildFields = graphql(`fragment ChildFields on Child { childId name }`);\nconst Unused = graphql(`fragment Unused on Child { id }`);\n",
                             "app/(tabs)/index.tsx": "const Me = graphql(`\n  query Me { me { children { ...ChildFields } } }\n`);\n"], .passes),
            CheckExample("""
                kind: graphql_documents
                sdl: schema.graphql
                documents: [src]
                operations: [Dashboard, Dashbaord]
                """, files: ["schema.graphql": sampleSchema, "src/queries.ts": sampleQueries],
                .fails("operation Dashbaord is in no document of src; closest: Dashboard")),
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
                sdl: schema.graphql
                documents: [src]
                rules: {NoUnusedFragment: warn}
                """, .invalid("'NoUnusedFragment' is not a validation rule; did you mean 'NoUnusedFragments'?")),
            CheckExample("""
                kind: graphql_documents
                documents: [src]
                """, .invalid("sdl")),
            CheckExample("""
                kind: graphql_documents
                sdl: schema.graphql
                without_introspection: probe
                documents: [app]
                """, .invalid("the endpoint validates the documents: give `url`")),
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
    let documents: PathQuery
    let operations: [String]?
    let rules: [String: RuleLevel]
    let assumeValidSDL: Bool
    /// With introspection turned off at the endpoint, let it validate the documents itself.
    let serverValidates: Bool

    /// The standard introspection query, with what `buildSchema` needs beyond graphql_schema's.
    static let introspectionQuery = """
        query IntrospectionQuery { __schema { queryType { name } mutationType { name } subscriptionType { name }
          types { kind name fields(includeDeprecated: true) { name args { name type { ...TypeRef } defaultValue } type { ...TypeRef } isDeprecated }
            inputFields { name type { ...TypeRef } defaultValue } interfaces { name } possibleTypes { name }
            enumValues(includeDeprecated: true) { name isDeprecated } }
          directives { name locations isRepeatable args { name type { ...TypeRef } defaultValue } } } }
        fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType {
          kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
        """

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        source = try GraphQLSchemaSource.read(&parameters, introspectionQuery: Self.introspectionQuery)
        documents = try parameters.requiredPaths("documents")
        operations = try parameters.strings("operations")
        var rules: [String: RuleLevel] = [:]
        for (written, level) in try parameters.stringMap("rules") ?? [] {
            guard let name = ValidationRules.canonical(written) else {
                let hint = Suggestion.closest(to: written, in: ValidationRules.names).map { "; did you mean '\($0)'?" } ?? ""
                throw parameters.invalid("rules", "'\(written)' is not a validation rule\(hint) (the rules: \(ValidationRules.names.joined(separator: ", ")))")
            }
            guard let parsed = RuleLevel(rawValue: level) else { throw parameters.invalid("rules", "'\(level)' for \(written): write error, warn or off") }
            rules[name] = parsed
        }
        self.rules = rules
        assumeValidSDL = try parameters.bool("assume_valid_sdl") ?? false
        serverValidates = try source.probesWithoutIntrospection(&parameters, why: "the endpoint validates the documents")
    }

    /// The level of a rule for this check.
    func level(_ rule: String) -> RuleLevel { rules[rule] ?? ValidationRules.defaultLevel(rule) }

    /// The frontend's documents, what the validator said of them, and what the schema is called.
    struct Observation {
        let frontend: FrontendDocuments
        let validated: Set<Int>
        let answer: ValidationResponse
        let schemaName: String
        let missingOperations: [String]
        /// The verdict came from the cache.
        var cached = false
        /// The live schema as SDL, when an endpoint was introspected (recorded in the history).
        var snapshot: String?
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> Observation {
        let clock = ContinuousClock()
        let started = clock.now
        var schema: ValidationRequest.Schema
        var snapshot: String?
        var byServer: (request: HTTPRequest, useToken: Bool)?
        if case .endpoint(let request, let useToken) = source {
            let response = try GraphQLSchemaSource.introspect(request, useToken: useToken, context)
            if serverValidates, GraphQLSchemaSource.introspectionOff(response) != nil {
                byServer = (request, useToken)
                schema = ValidationRequest.Schema(name: source.name)
            } else {
                _ = try GraphQLSchemaSource.introspectionData(response, endpoint: source.name)
                schema = ValidationRequest.Schema(name: source.name, introspection: String(decoding: response.body, as: UTF8.self))
                snapshot = try? IntrospectionSchema.sdl(fromJSON: response.body)
            }
        } else {
            let (name, bytes) = try source.sdlText(context)
            schema = ValidationRequest.Schema(name: name, sdl: String(decoding: bytes, as: UTF8.self))
        }
        schema.assumeValidSDL = assumeValidSDL
        let found = try documents.find(context, kinds: [.file, .directory])
        let frontend: FrontendDocuments
        do {
            frontend = try FrontendDocuments.collect(found.map(\.path), root: context.projectRoot.path,
                                                     finder: context.finder(excluding: documents.excluded))
        } catch {
            throw CheckStop(.errored(error.message))
        }
        guard !frontend.documents.isEmpty else {
            if documents.optional { throw CheckStop(CheckResult.skipped(.optionalInputAbsent, "optional input absent: no GraphQL documents in \(documents.written) (\(frontend.files) files read)")) }
            throw CheckStop(.failed("no GraphQL documents in \(documents.written) (\(frontend.files) files searched); name the folders that hold the frontend's operations"))
        }
        var validated = Set(frontend.documents.indices)
        var missing: [String] = []
        if let operations {
            validated = Set(operations.compactMap { frontend.operation(named: $0)?.document })
            missing = operations.filter { frontend.operation(named: $0) == nil }
        }
        if let byServer {
            let answer = try validatedByServer(frontend, validated: validated, byServer.request, useToken: byServer.useToken, context)
            return Observation(frontend: frontend, validated: validated, answer: answer,
                               schemaName: "\(source.name) (introspection is turned off there: validated by the server)", missingOperations: missing)
        }
        let request = ValidationRequest(schema: schema, documents: frontend.documents.enumerated().map { index, document in
            ValidationRequest.Document(name: document.file, text: document.template.text, fragments: frontend.fragmentsToAppend(for: index),
                                       validate: validated.contains(index))
        }, rules: rules.filter { $0.key != "NoUnusedFragments" && $0.value != .error })
        let left = context.timeout - (clock.now - started).seconds
        // The same inputs give the same verdict: read it from the cache rather than start the validator.
        let cache = context.cacheFolder.map { ValidationCache(folder: $0 + "/graphql") }
        let key = cache.map { _ in ValidationCache.key(request, version: context.tool + "\u{0}" + ValidatorHelper.identity()) }
        let answer: ValidationResponse
        var fromCache = false
        if let key, let cached = cache?.read(key) {
            answer = cached
            fromCache = true
        } else {
            do {
                answer = try ValidatorHelper.validate(request, timeout: max(0.1, left))
            } catch {
                throw CheckStop(.errored(error.message))
            }
            if let key { cache?.write(answer, for: key) }
        }
        return Observation(frontend: frontend, validated: validated, answer: answer, schemaName: schema.name, missingOperations: missing,
                           cached: fromCache, snapshot: snapshot)
    }

    /// Each document to validate, validated by the endpoint (see ServerValidation), as the
    /// validator's answer would be.
    func validatedByServer(_ frontend: FrontendDocuments, validated: Set<Int>, _ request: HTTPRequest, useToken: Bool,
                           _ context: CheckContext) throws(CheckStop) -> ValidationResponse {
        var answer = ValidationResponse()
        for index in validated.sorted() {
            let combined = ServerValidation.combined(index, in: frontend)
            var asked = request
            asked.body = Array(JSONValue.object([("query", .string(combined.text)), ("operationName", .string("QualityGatesNeverRuns"))])
                .serialized(compact: true).utf8)
            let response = try GraphQLSchemaSource.introspect(asked, useToken: useToken, context)
            guard let problems = ServerValidation.problems(index, combined, answer: JSONDocument.parse(response.body), frontend: frontend) else {
                throw CheckStop(.errored("introspection is disabled at \(source.name), and it did not validate \(frontend.documents[index].file) as a GraphQL server does (HTTP \(response.status)); check the exported SDL instead"))
            }
            // A fragment appended to several documents is reported from each: once is enough.
            answer.problems += problems.filter { !answer.problems.contains($0) }
            answer.operations += frontend.documents[index].outline?.operations.count ?? 0
            answer.fragments += frontend.documents[index].outline?.fragments.count ?? 0
        }
        return answer
    }

    /// What the validator said, with dead fragments and missing operations, as a result with file positions.
    func judge(_ observed: Observation) -> CheckResult {
        var result = decide(observed)
        result.schemaSnapshot = observed.snapshot
        return result
    }

    private func decide(_ observed: Observation) -> CheckResult {
        let (frontend, answer) = (observed.frontend, observed.answer)
        if let message = answer.schemaError { return .errored(message) }
        var problems: [(finding: Finding, level: RuleLevel)] = answer.problems.compactMap { problem in
            guard problem.document < frontend.documents.count else { return nil }
            let document = frontend.documents[problem.document]
            let position = document.template.filePosition(line: problem.line, column: problem.column)
            let message = Self.explainUnknownFragment(problem.message, in: problem.document, frontend: frontend)
            return (Finding(file: document.file, line: position.line, column: position.column, message: message), problem.level)
        }
        let uniqueLevel = level("UniqueFragmentNames")
        if uniqueLevel != .off {
            for (position, fragment, first) in frontend.duplicateFragments() where operations == nil || observed.validated.contains(position) {
                let document = frontend.documents[position]
                let place = document.template.filePosition(line: fragment.line, column: fragment.column)
                problems.append((Finding(file: document.file, line: place.line, column: place.column,
                                         message: "Fragment \"\(fragment.name)\" is also defined in \(frontend.documents[first].file); fragment names must be unique across the project"),
                                 uniqueLevel))
            }
        }
        let deadLevel = level("NoUnusedFragments")
        if operations == nil, deadLevel != .off {
            for (position, fragment) in frontend.unusedFragments() {
                let document = frontend.documents[position]
                let place = document.template.filePosition(line: fragment.line, column: fragment.column)
                problems.append((Finding(file: document.file, line: place.line, column: place.column,
                                         message: "Fragment \"\(fragment.name)\" is never used by an operation"), deadLevel))
            }
        }
        problems.sort { ($0.finding.file, $0.finding.line, $0.finding.column) < ($1.finding.file, $1.finding.line, $1.finding.column) }
        let counted = "\(answer.operations) operation\(answer.operations == 1 ? "" : "s") and \(answer.fragments) fragment\(answer.fragments == 1 ? "" : "s") in \(frontend.files) file\(frontend.files == 1 ? "" : "s")"
        if !observed.missingOperations.isEmpty {
            let names = frontend.operationNames
            let listed = observed.missingOperations.map { name in
                "operation \(name) is in no document of \(documents.written)" + (GraphQLSchemaCheck.closest(to: name, in: names).first.map { "; closest: \($0)" } ?? "")
            }
            return .failed(listed.joined(separator: "; "), findings: problems.map(\.finding))
        }
        let errors = problems.filter { $0.level == .error }.map(\.finding)
        let warnings = problems.filter { $0.level == .warn }.map(\.finding)
        let lines = (errors + warnings).map { "\($0.file):\($0.line):\($0.column): \($0.message)" }
        let cachedNote = observed.cached ? " (the validator's verdict from the cache: schema, documents and rules unchanged)" : ""
        let details = lines + ["\(counted), checked against \(observed.schemaName)\(cachedNote)"]
        let measurements = [Measurement(name: "operations", value: Double(answer.operations), unit: "count")]
        guard errors.isEmpty else {
            let shown = errors.prefix(3).map { "\($0.file):\($0.line):\($0.column): \($0.message)" }
            let more = errors.count > 3 ? " (and \(errors.count - 3) more)" : ""
            return CheckResult(.failed, shown.joined(separator: "; ") + more, details: details, findings: errors + warnings, measurements: measurements)
        }
        guard warnings.isEmpty else {
            let shown = warnings.prefix(3).map { "\($0.file):\($0.line):\($0.column): \($0.message)" }
            let more = warnings.count > 3 ? " (and \(warnings.count - 3) more)" : ""
            return CheckResult(.warned, shown.joined(separator: "; ") + more, details: details, findings: warnings, measurements: measurements)
        }
        return CheckResult(.passed, "\(counted) are valid against \(observed.schemaName)\(cachedNote)", measurements: measurements)
    }

    /// `Unknown fragment "X"` made actionable: where X is defined, and what the document lacks.
    static func explainUnknownFragment(_ message: String, in position: Int, frontend: FrontendDocuments) -> String {
        guard message.hasPrefix("Unknown fragment \""), message.hasSuffix("\""), !message.contains(";") else { return message }
        let name = String(message.dropFirst(18).dropLast())
        guard let definer = frontend.definitions(ofFragment: name).first(where: { $0 != position }) else { return message }
        let defining = frontend.documents[definer]
        switch frontend.documents[position].template.form {
        case .file:
            return message + "; \(defining.file) defines it, but this file does not import it: add #import \"\(defining.file)\""
        case .tag, .comment:
            let binding = defining.template.binding.map { " (\($0))" } ?? ""
            let add = defining.template.binding.map { ": add ${\($0)}" } ?? ""
            return message + "; \(defining.file) defines it\(binding), but this document does not interpolate it\(add)"
        case .call:
            return message + "; \(defining.file) defines it, but it is not in this call's fragment list"
        }
    }
}
