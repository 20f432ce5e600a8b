import GraphQLDocuments
import HTTPClient
import JSON
import ProjectFiles
import TextSearch

/// Required types, fields and arguments exist in a GraphQL schema, from an SDL file, the backend's
/// export command, or an endpoint's introspection; a missing field names the closest existing ones.
struct GraphQLSchemaCheck: Check {
    static let description = CheckDescription(
        kind: "graphql_schema",
        summary: "Required types, fields and arguments exist in a GraphQL schema, read from an SDL file (the exported schema), the backend's export command, or an endpoint by introspection; a missing field names the closest existing ones.",
        parameters: GraphQLSchemaSource.parameterDocs + [
            ParameterDoc("required", "list", required: true, "What must exist, by name: a type of any kind (`Actor`: object, interface, input, union, enum or scalar), a field (`Query.me`, also of interfaces and input types), an argument (`Query.getAnalyticsDashboard(childId:)`) or an argument with its type (`(childId: ID!)`). Only what is written is checked."),
            ParameterDoc("without_introspection", "string", "What a `url` whose introspection is turned off gives (Apollo Server's default in production): `error` (the default), or `probe`: each required type, field and argument is asked for in a query that can never run (it also selects a field of a type that cannot exist), and the server's validation errors, in the wording it uses for names that cannot exist, tell what is missing. An argument's type is not checked that way."),
            .optional, .exclude,
        ],
        defaultTargets: [.build, .staging],
        // `use_token` reads the token a sign-in it needs hands on, so it starts after that sign-in.
        readsHandoff: true,
        examples: [
            CheckExample("""
                kind: graphql_schema
                sdl: schema.graphql
                required: ["Query.getAnalyticsDashboard(childId: ID!, periodDays: Int!)", Query.me, Mutation.logDiaperChange]
                """, files: ["schema.graphql": sampleSchema], .passes),
            CheckExample("""
                kind: graphql_schema
                sdl: [backend/schema.graphql, "**/schema.graphql", "**/*.graphqls"]
                required: [Query.getAnalyticsDashboard, "Query.getAnalyticsDashboard(childId:)", Node, Node.id, ChildFilter.size, Size, Result, Date]
                """, files: ["backend/docs/graphql/schema.graphqls": sampleSchema], .passes),
            CheckExample("""
                kind: graphql_schema
                sdl: schema.graphql
                required: [Query.getAnalyticsDashboard]
                """, files: ["schema.graphql": sampleSchema.replacingAll("getAnalyticsDashboard", with: "getAnalyticsOverview")],
                .fails("Query.getAnalyticsDashboard is missing from schema.graphql; closest: getAnalyticsOverview")),
            CheckExample("""
                kind: graphql_schema
                sdl: schema.graphql
                required: ["Query.getAnalyticsDashboard(child_id: ID!, periodDays: String)"]
                """, files: ["schema.graphql": sampleSchema],
                .fails("Query.getAnalyticsDashboard has no argument child_id (it has childId, periodDays); Query.getAnalyticsDashboard(periodDays:) is Int!, expected String")),
            CheckExample("""
                kind: graphql_schema
                sdl: schema.graphql
                required: [Actor, Size.small]
                """, files: ["schema.graphql": sampleSchema], .fails("type Actor is missing from schema.graphql; Size is an enum, which has no fields")),
            CheckExample("""
                kind: graphql_schema
                sdl: schema.graphql
                required: [Query.me]
                """, files: ["schema.graphql": "Importing plotly failed. Interactive plots will not work.\n" + sampleSchema],
                .errors("schema.graphql:1: 'Importing plotly failed. Interactive plots will not work.' is not GraphQL; it looks like a log or warning line printed during the export")),
            CheckExample("""
                kind: graphql_schema
                sdl_command: {run: "cat export.graphql", cwd: backend}
                required: [Query.me, Node]
                """, files: ["backend/export.graphql": sampleSchema], .passes),
            CheckExample("""
                kind: graphql_schema
                sdl_command: "echo 'Traceback (most recent call last):' >&2; exit 1"
                required: [Query.me]
                """, .errors("exited with status 1: Traceback (most recent call last):")),
            CheckExample("""
                kind: graphql_schema
                sdl: schema.graphql
                required: [Query.me]
                """, files: ["schema.graphql": "type Query {\n  me: User\n"], .errors("schema.graphql:3:1: Syntax Error")),
            CheckExample("""
                kind: graphql_schema
                sdl: ["**/schema.graphql"]
                required: [Query.me]
                optional: true
                """, .skips("optional input absent: nothing matches **/schema.graphql")),
            CheckExample("""
                kind: graphql_schema
                sdl: schema.graphql
                required: [getAnalyticsDashboard]
                """, .invalid("'getAnalyticsDashboard' looks like a field: write Query.getAnalyticsDashboard")),
            CheckExample("""
                kind: graphql_schema
                sdl: schema.graphql
                url: http://localhost:8001/graphql
                required: [Query.me]
                """, .invalid("give one of sdl, sdl_command and url")),
            CheckExample("""
                kind: graphql_schema
                sdl: schema.graphql
                without_introspection: probe
                required: [Query.me]
                """, .invalid("probing asks an endpoint: give `url`")),
        ]
    )

    static let sampleSchema = """
        type Query {
          me: User
          getAnalyticsDashboard(childId: ID!, periodDays: Int! = 30): Int!
          getNotificationPreferences: String
        }
        type Mutation {
          logDiaperChange(childId: ID!): Int
        }
        interface Node { id: ID! }
        type User implements Node {
          id: ID!
        }
        input ChildFilter { size: Size = SMALL }
        enum Size { SMALL, LARGE }
        union Result = User
        scalar Date

        """

    /// `Type`, `Type.field`, `Type.field(argument:)` or `Type.field(argument: Type, …)` from a gate file.
    struct Requirement: Sendable {
        let type: String
        let field: String?
        let arguments: [(name: String, type: String?)]

        init?(_ text: String) {
            var head = Substring(text.trimmingCharacters(in: " "))
            var arguments: [(String, String?)] = []
            if let open = head.firstIndex(of: "(") {
                guard head.last == ")" else { return nil }
                for part in head[head.index(after: open)..<head.index(before: head.endIndex)].split(separator: ",") {
                    let pieces = part.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: " ") }
                    guard let name = pieces.first, !name.isEmpty else { return nil }
                    let type = pieces.count == 2 ? pieces[1].replacingAll(" ", with: "") : ""
                    arguments.append((name, type.isEmpty ? nil : type))
                }
                head = head[..<open]
            }
            let names = head.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(names.count), names.allSatisfy({ !$0.isEmpty }), names.count == 2 || arguments.isEmpty else { return nil }
            type = String(names[0])
            field = names.count == 2 ? String(names[1]) : nil
            self.arguments = arguments
        }

        var text: String { field.map { "\(type).\($0)" } ?? type }
        /// As written, arguments included: `Query.getAnalyticsDashboard(childId:)`.
        var named: String { arguments.isEmpty ? text : "\(text)(\(arguments.map { "\($0.name):" }.joined(separator: ", ")))" }
    }

    let source: GraphQLSchemaSource
    let requirements: [Requirement]
    /// With introspection turned off at the endpoint, probe by validation instead of erroring.
    let probes: Bool

    static let introspectionQuery = """
        query IntrospectionQuery { __schema { queryType { name } mutationType { name } subscriptionType { name }
          types { kind name fields(includeDeprecated: true) { name args { name type { ...TypeRef } } } inputFields { name } } } }
        fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType {
          kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
        """

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        source = try GraphQLSchemaSource.read(&parameters, introspectionQuery: Self.introspectionQuery)
        _ = try parameters.bool("optional")
        var requirements: [Requirement] = []
        for text in try parameters.strings("required") ?? [] {
            guard let requirement = Requirement(text) else {
                throw parameters.invalid("required", "'\(text)': write Type, Type.field, Type.field(argument:) or Type.field(argument: Type, …)")
            }
            if requirement.field == nil, let first = requirement.type.first, first.isLowercase {
                throw parameters.invalid("required", "'\(text)' looks like a field: write Query.\(text) (or Mutation.…); a type's name starts with a capital")
            }
            requirements.append(requirement)
        }
        guard !requirements.isEmpty else { throw parameters.invalid("required", "name at least one type or field") }
        self.requirements = requirements
        probes = try source.probesWithoutIntrospection(&parameters, why: "probing asks an endpoint")
    }

    /// What was read: the schema's types and fields, and what the schema is called; or, for an
    /// endpoint with introspection turned off, what its validation said of each requirement.
    struct Observation {
        var schema: SchemaFields?
        let name: String
        var probed: [ValidationProbe.Verdict]?
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> Observation {
        if case .endpoint(let request, let useToken) = source {
            let response = try GraphQLSchemaSource.introspect(request, useToken: useToken, context)
            if probes, GraphQLSchemaSource.introspectionOff(response) != nil {
                return Observation(name: source.name, probed: try probe(request, useToken: useToken, context))
            }
            let data = try GraphQLSchemaSource.introspectionData(response, endpoint: source.name)
            guard let schema = SchemaFields(introspection: data) else { throw CheckStop(.errored("\(source.name) answered introspection without a __schema")) }
            return Observation(schema: schema, name: source.name)
        }
        let (name, bytes) = try source.sdlText(context)
        do {
            return Observation(schema: try SchemaFields(sdl: bytes), name: name)
        } catch {
            throw CheckStop(.errored("\(name):\(error.line):\(error.column): \(error.message)"))
        }
    }

    /// Each requirement asked of the endpoint by validation (see ValidationProbe): one reference
    /// query for each type named, and one probe for each field.
    func probe(_ request: HTTPRequest, useToken: Bool, _ context: CheckContext) throws(CheckStop) -> [ValidationProbe.Verdict] {
        func messages(_ document: String) throws(CheckStop) -> [String] {
            var asked = request
            asked.body = JSONValue.object([("query", .string(document))]).serialized(compact: true).utf8.map { $0 }
            let response = try GraphQLSchemaSource.introspect(asked, useToken: useToken, context)
            let said = GraphQLSchemaSource.errorMessages(JSONDocument.parse(response.body))
            guard response.status == 200 || response.status == 400, !said.isEmpty else {
                throw CheckStop(.errored("introspection is disabled at \(source.name), and it answered a validation probe with HTTP \(response.status) and no GraphQL errors"))
            }
            return said
        }
        var wordings: [String: (ValidationProbe.Wording, [String])] = [:]
        var verdicts: [ValidationProbe.Verdict] = []
        for requirement in requirements {
            if wordings[requirement.type] == nil {
                let said = try messages(ValidationProbe.reference(type: requirement.type))
                wordings[requirement.type] = (ValidationProbe.Wording(said), said)
            }
            let (wording, reference) = wordings[requirement.type]!
            guard wording.unknownType != nil else {
                verdicts.append(.unknown("its errors do not name an unknown type"))
                continue
            }
            if let said = ValidationProbe.saying(wording.unknownType, [(ValidationProbe.absentType, requirement.type)], in: reference) {
                verdicts.append(.missing(said))
                continue
            }
            guard let field = requirement.field else {
                verdicts.append(.present)
                continue
            }
            let arguments = requirement.arguments.map { "\($0.name): null" }.joined(separator: ", ")
            let said = try messages(ValidationProbe.document(type: requirement.type, selection: arguments.isEmpty ? field : "\(field)(\(arguments))"))
            let each = (requirement.arguments.isEmpty ? [nil] : requirement.arguments.map { Optional($0.name) }).map { argument in
                ValidationProbe.verdict(field: field, argument: argument, wording: wording, probe: said)
            }
            verdicts.append(each.first { if case .missing = $0 { true } else { false } } ?? each.first { $0 != .present } ?? .present)
        }
        return verdicts
    }

    func judge(_ observed: Observation) -> CheckResult {
        if let probed = observed.probed { return judgeProbes(probed, name: observed.name) }
        guard let schema = observed.schema else { return .errored("\(observed.name) gave no schema") }
        let sdl = observed.name
        var problems: [String] = []
        for requirement in requirements {
            guard let kind = schema.kind(of: requirement.type) else {
                let closest = Self.closest(to: requirement.type, in: Array(schema.kinds.keys))
                problems.append("type \(requirement.type) is missing from \(sdl)" + (closest.isEmpty ? "" : "; closest: \(closest.joined(separator: ", "))"))
                continue
            }
            guard let fieldName = requirement.field else { continue }
            guard let fields = schema.fields(of: requirement.type) else {
                problems.append("\(requirement.type) is \(kind.phrase), which has no fields")
                continue
            }
            guard let field = fields[fieldName] else {
                let closest = Self.closest(to: fieldName, in: Array(fields.keys))
                problems.append("\(requirement.type).\(fieldName) is missing from \(sdl)"
                                + (closest.isEmpty ? "" : "; closest: \(closest.joined(separator: ", "))"))
                continue
            }
            for (name, type) in requirement.arguments {
                guard let actual = field.first(where: { $0.name == name })?.type else {
                    let have = field.isEmpty ? "it has none" : "it has \(field.map(\.name).joined(separator: ", "))"
                    problems.append("\(requirement.type).\(fieldName) has no argument \(name) (\(have))")
                    continue
                }
                if let type, type != actual {
                    problems.append("\(requirement.type).\(fieldName)(\(name):) is \(actual), expected \(type)")
                }
            }
        }
        guard problems.isEmpty else { return .failed(problems.joined(separator: "; ")) }
        return .passed("\(sdl) has \(requirements.map(\.text).joined(separator: ", "))")
    }

    /// The verdicts of the probes: a missing name fails, in the server's words; a name the
    /// server's errors cannot tell about errors; all present passes.
    func judgeProbes(_ verdicts: [ValidationProbe.Verdict], name: String) -> CheckResult {
        var missing: [String] = []
        var unknown: [String] = []
        for (requirement, verdict) in zip(requirements, verdicts) {
            switch verdict {
            case .present: break
            case .missing(let said): missing.append("\(requirement.named) is missing from \(name) (\(said))")
            case .unknown(let why): unknown.append("\(requirement.named): \(why)")
            }
        }
        let how = "introspection is turned off there: asked by validation probes"
        if !missing.isEmpty { return .failed(missing.joined(separator: "; ") + "; \(how)") }
        if !unknown.isEmpty { return .errored("\(how), and \(name) did not tell: " + unknown.joined(separator: "; ")) }
        let typed = requirements.contains { $0.arguments.contains { $0.type != nil } }
        return .passed("\(name) has \(requirements.map(\.text).joined(separator: ", ")) (\(how)" + (typed ? "; argument types not checked)" : ")"))
    }

    /// Up to three names within half the length in edits, nearest first: a renamed resolver
    /// (`getAnalyticsOverview` for `getAnalyticsDashboard`) is named even when much changed.
    static func closest(to name: String, in candidates: [String]) -> [String] {
        candidates.map { ($0, Suggestion.editDistance(name.lowercased(), $0.lowercased())) }
            .filter { $0.1 <= max(2, name.count / 2) }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
            .prefix(3).map(\.0)
    }
}
