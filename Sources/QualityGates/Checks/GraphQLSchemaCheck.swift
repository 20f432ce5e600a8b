import GraphQLDocuments
import HTTPClient
import ProjectFiles
import TextSearch

/// Required fields exist in a GraphQL schema, from an SDL file or an endpoint's introspection,
/// optionally with argument names and types; a missing field names the closest existing ones.
struct GraphQLSchemaCheck: Check {
    static let description = CheckDescription(
        kind: "graphql_schema",
        summary: "Required fields exist in a GraphQL schema, read from an SDL file (the exported schema) or from an endpoint by introspection, optionally with argument names and types; a missing field names the closest existing ones.",
        parameters: [
            ParameterDoc("sdl", "path", "The schema in SDL, relative to the project root (`NestSync-backend/schema.graphql`). Give `sdl` or `url`."),
            ParameterDoc("url", "URL", "A GraphQL endpoint to introspect (staging only: on the build target the check is skipped). An HTTP 200 carrying `errors` fails; introspection turned off is an error that says so."),
            ParameterDoc("headers", "mapping", "Request headers for `url` (`Authorization: Bearer ${TOKEN}`)."),
            ParameterDoc("required", "list", required: true, "Fields as `Type.field`, or with arguments `Query.getAnalyticsDashboard(childId: ID!)`."),
        ],
        defaultTargets: [.build, .staging],
        examples: [
            CheckExample("""
                kind: graphql_schema
                sdl: schema.graphql
                required: ["Query.getAnalyticsDashboard(childId: ID!, periodDays: Int!)", Query.me, Mutation.logDiaperChange]
                """, files: ["schema.graphql": sampleSchema], .passes),
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
                required: [Query.me]
                """, files: ["schema.graphql": "type Query {\n  me: User\n"], .errors("schema.graphql:3:1: Syntax Error")),
            CheckExample("""
                kind: graphql_schema
                sdl: schema.graphql
                required: [getAnalyticsDashboard]
                """, .invalid("write Type.field or Type.field(argument: Type, …)")),
            CheckExample("""
                kind: graphql_schema
                sdl: schema.graphql
                url: http://localhost:8001/graphql
                required: [Query.me]
                """, .invalid("give sdl or url, not both")),
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
        type User {
          id: ID!
        }

        """

    /// `Type.field(argument: Type, …)` from a gate file.
    struct Requirement: Sendable {
        let type: String
        let field: String
        let arguments: [(name: String, type: String?)]
        let source: String

        init?(_ text: String) {
            source = text
            var head = Substring(text.trimmingCharacters(in: " "))
            var arguments: [(String, String?)] = []
            if let open = head.firstIndex(of: "(") {
                guard head.last == ")" else { return nil }
                for part in head[head.index(after: open)..<head.index(before: head.endIndex)].split(separator: ",") {
                    let pieces = part.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: " ") }
                    guard let name = pieces.first, !name.isEmpty else { return nil }
                    arguments.append((name, pieces.count == 2 ? pieces[1].replacingAll(" ", with: "") : nil))
                }
                head = head[..<open]
            }
            let names = head.split(separator: ".")
            guard names.count == 2, names.allSatisfy({ !$0.isEmpty }) else { return nil }
            type = String(names[0])
            field = String(names[1])
            self.arguments = arguments
        }
    }

    let source: GraphQLSchemaSource
    let requirements: [Requirement]

    /// What the schema is called in messages.
    var sdl: String { source.name }

    static let introspectionQuery = """
        query IntrospectionQuery { __schema { queryType { name } mutationType { name } subscriptionType { name }
          types { kind name fields(includeDeprecated: true) { name args { name type { ...TypeRef } } } } } }
        fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType {
          kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
        """

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        source = try GraphQLSchemaSource.read(&parameters, introspectionQuery: Self.introspectionQuery)
        var requirements: [Requirement] = []
        for text in try parameters.strings("required") ?? [] {
            guard let requirement = Requirement(text) else {
                throw parameters.invalid("required", "'\(text)': write Type.field or Type.field(argument: Type, …)")
            }
            requirements.append(requirement)
        }
        guard !requirements.isEmpty else { throw parameters.invalid("required", "name at least one field") }
        self.requirements = requirements
    }

    func run(_ context: CheckContext) -> CheckResult {
        switch source {
        case .sdl(let path):
            let bytes: [UInt8]
            do {
                bytes = try FileReader.read(context.url(for: path), display: path)
            } catch {
                return .errored(error.description)
            }
            do {
                return judge(try SchemaFields(sdl: bytes))
            } catch {
                return .errored("\(path):\(error.line):\(error.column): \(error.message)")
            }
        case .endpoint(let request):
            switch GraphQLSchemaSource.introspect(request, context) {
            case .success(let response): return introspected(response)
            case .failure(let stop): return stop.result
            }
        }
    }

    /// The decision on an introspection response.
    func introspected(_ response: HTTPResponse) -> CheckResult {
        switch GraphQLSchemaSource.introspectionData(response, endpoint: sdl) {
        case .problem(let result): return result
        case .data(let data):
            guard let schema = SchemaFields(introspection: data) else {
                return .errored("\(sdl) answered introspection without a __schema")
            }
            return judge(schema)
        }
    }

    func judge(_ schema: SchemaFields) -> CheckResult {
        var problems: [String] = []
        for requirement in requirements {
            guard let fields = schema.fields(of: requirement.type) else {
                problems.append("type \(requirement.type) is missing from \(sdl)")
                continue
            }
            guard let field = fields[requirement.field] else {
                let closest = Self.closest(to: requirement.field, in: Array(fields.keys))
                problems.append("\(requirement.type).\(requirement.field) is missing from \(sdl)"
                                + (closest.isEmpty ? "" : "; closest: \(closest.joined(separator: ", "))"))
                continue
            }
            for (name, type) in requirement.arguments {
                guard let actual = field.first(where: { $0.name == name })?.type else {
                    problems.append("\(requirement.type).\(requirement.field) has no argument \(name) (it has \(field.map(\.name).joined(separator: ", ")))")
                    continue
                }
                if let type, type != actual {
                    problems.append("\(requirement.type).\(requirement.field)(\(name):) is \(actual), expected \(type)")
                }
            }
        }
        guard problems.isEmpty else { return .failed(problems.joined(separator: "; ")) }
        return .passed("\(sdl) has \(requirements.map { "\($0.type).\($0.field)" }.joined(separator: ", "))")
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

