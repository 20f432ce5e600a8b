import HTTPClient
import JSON

/// A named GraphQL operation run against the endpoint: no `errors`, conditions on `data`, and
/// optionally a latency budget over samples (analytics_performance).
struct GraphQLQueryCheck: Check {
    static let placeholders = ["STATUS", "DATA", "RESPONSE_TIME"]

    static let description = CheckDescription(
        kind: "graphql_query",
        summary: "A GraphQL operation with variables, run against the endpoint (optionally with the access token of a gotrue_auth check it `needs`), answers without `errors`; conditions on `[DATA]`; optionally a latency budget (p50, p95, p99 or max) over N samples.",
        parameters: [
            ParameterDoc("url", "URL", required: true, "The GraphQL endpoint (http or https)."),
            ParameterDoc("query", "string", required: true, "The document: one operation, or several with `operation` naming the one to run."),
            ParameterDoc("operation", "string", "The operation to run (`GetAnalyticsDashboard`), sent as `operationName`."),
            ParameterDoc("variables", "mapping", "The operation's variables; plain YAML scalars are typed (`periodDays: 30` is an Int), quoted ones are strings."),
            ParameterDoc("headers", "mapping", "Request headers."),
            ParameterDoc("use_token", "boolean", "Send `Authorization: Bearer` with the access token of the gotrue_auth check this one `needs` (default false). The token is never printed."),
            ParameterDoc("conditions", "list of conditions", "Placeholders: `[STATUS]`, `[DATA]` with a path (`[DATA].getAnalyticsDashboard.totalChanges`), `[RESPONSE_TIME]` (ms)."),
            ParameterDoc("samples", "whole number", "Requests to time (default 1)."),
            ParameterDoc("warmup", "whole number", "Requests sent first and not timed (default 0)."),
            ParameterDoc("latency", "budget", "`p50`, `p95`, `p99` or `max`, `<`, milliseconds: `p95 < 3000`."),
            ParameterDoc("request_timeout", "duration", "How long one request may take (default 10 s)."),
        ],
        defaultTargets: [.staging],
        examples: [
            CheckExample("""
                kind: graphql_query
                url: ${SERVER_URL}/graphql-data
                query: "query Dashboard($childId: ID!) { getAnalyticsDashboard(childId: $childId) { totalChanges } }"
                variables: {childId: "c1"}
                conditions: ["[DATA].getAnalyticsDashboard.totalChanges > 0"]
                samples: 3
                latency: p95 < 5000
                """, needsHTTPServer: true, .passes),
            CheckExample("""
                kind: graphql_query
                url: ${SERVER_URL}/graphql-errors
                query: "{ me { id } }"
                """, needsHTTPServer: true, .fails("the operation returned errors: boom")),
            CheckExample("""
                kind: graphql_query
                url: ${SERVER_URL}/graphql-data
                query: "{ getAnalyticsDashboard(childId: 1) { totalChanges } }"
                conditions: ["[DATA].getAnalyticsDashboard.totalChanges > 100"]
                """, needsHTTPServer: true, .fails("[DATA].getAnalyticsDashboard.totalChanges (42) > 100")),
            CheckExample("""
                kind: graphql_query
                url: ${SERVER_URL}/graphql-data
                query: "{ me { id } }"
                samples: 2
                latency: max < 0.001
                """, needsHTTPServer: true, .fails("ms) < 0.001 ms over 2 samples")),
            CheckExample("""
                kind: graphql_query
                url: ${SERVER_URL}/500
                query: "{ me { id } }"
                """, needsHTTPServer: true, .errors("answered HTTP 500")),
            CheckExample("""
                kind: graphql_query
                url: http://127.0.0.1:1/graphql
                query: "{ me { id } }"
                use_token: true
                """, .errors("use_token needs a gotrue_auth check that signed in: add it to `needs`")),
            CheckExample("""
                kind: graphql_query
                url: http://localhost:8001/graphql
                query: "{ me { id } }"
                conditions: ["[BODY].data == 1"]
                """, .invalid("unknown placeholder [BODY]")),
        ]
    )

    let request: HTTPRequest
    let conditions: [Condition]
    let samples: Int
    let warmup: Int
    let latency: LatencyBudget?
    let useToken: Bool
    let label: String

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        let url = try parameters.requiredString("url")
        let query = try parameters.requiredString("query")
        let operation = try parameters.string("operation")
        let variables = try parameters.json("variables")
        if let variables, case .object = variables {} else if variables != nil {
            throw parameters.invalid("variables", "write the variables as a mapping (`childId: \"c1\"`)")
        }
        var body: [(String, JSONValue)] = [("query", .string(query))]
        if let operation { body.append(("operationName", .string(operation))) }
        if let variables { body.append(("variables", variables)) }
        var request = HTTPRequest(method: "POST", url: url)
        request.headers = [("Content-Type", "application/json")] + (try parameters.stringMap("headers")?.map { (name: $0.0, value: $0.1) } ?? [])
        request.body = Array(JSONValue.object(body).serialized(compact: true).utf8)
        request.timeout = try parameters.seconds("request_timeout") ?? 10
        self.request = request
        useToken = try parameters.bool("use_token") ?? false
        conditions = try parameters.conditions("conditions", placeholders: Self.placeholders)
        samples = try parameters.wholeNumber("samples", default: 1, range: 1...1000)
        warmup = try parameters.wholeNumber("warmup", default: 0, range: 0...100)
        latency = try parameters.latencyBudget("latency")
        label = operation ?? Self.operationName(in: query) ?? "the operation"
        if !url.isEmpty, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw parameters.invalid("url", "'\(url)' is not an http or https URL")
        }
    }

    func run(_ context: CheckContext) -> CheckResult {
        var request = self.request
        request.timeout = min(request.timeout, context.timeout)
        if useToken {
            guard let token = context.handoff["access_token"] else {
                return .errored("use_token needs a gotrue_auth check that signed in: add it to `needs`")
            }
            request.headers.append((name: "Authorization", value: "Bearer \(token)"))
        }
        let target = HTTPClient.displayTarget(request.url)
        do {
            for _ in 0..<warmup { _ = try HTTPClient.perform(request) }
            var timings: [Double] = []
            for _ in 0..<samples {
                let response = try HTTPClient.perform(request)
                timings.append(response.timings.total)
                // A sample that went wrong is judged at once: its errors matter more than its time.
                switch Self.data(response, target: target, label: label) {
                case .problem(let result): return result
                case .data(let data): if timings.count == samples { return judge(response, data: data, timings: timings) }
                }
            }
        } catch {
            return .errored(HTTPCheck.message(error, timeout: request.timeout))
        }
        return .errored("no sample was taken")
    }

    /// The name of the document's first operation (`query GetAnalyticsDashboard(…)` → GetAnalyticsDashboard), for messages.
    static func operationName(in query: String) -> String? {
        let words = query.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
        guard let first = words.first, ["query", "mutation", "subscription"].contains(first), words.count > 1 else { return nil }
        return String(words[1])
    }

    enum Answer {
        case data(JSONDocument)
        case problem(CheckResult)
    }

    /// The `data` of a GraphQL response, or why there is none: an HTTP error or non-JSON is an
    /// error (the endpoint is not answering GraphQL); `errors` fail.
    static func data(_ response: HTTPResponse, target: String, label: String) -> Answer {
        guard response.status == 200 || response.status == 400 else {
            return .problem(.errored("\(target) answered HTTP \(response.status)"))
        }
        guard let document = JSONDocument.parse(response.body) else {
            return .problem(.errored("\(target) answered with something that is not JSON (\(response.header("content-type") ?? "no content type"))"))
        }
        if case .array(let errors)? = document.value(at: ["errors"]), !errors.isEmpty {
            let messages = errors.compactMap { error -> String? in
                if case .string(let message)? = error.value(at: ["message"]) { return message }
                return nil
            }
            return .problem(.failed("\(label) returned errors: \(messages.joined(separator: "; "))"))
        }
        guard let data = document.value(at: ["data"]), data != .null else {
            return .problem(.errored("\(target) answered without data or errors (HTTP \(response.status))"))
        }
        return .data(data)
    }

    /// The decision on the last response, its `data`, and the timed samples (milliseconds).
    func judge(_ response: HTTPResponse, data: JSONDocument, timings: [Double]) -> CheckResult {
        var texts: [(holds: Bool, text: String)] = conditions.map { condition in
            let placeholder = condition.placeholder
            let value: Condition.Value = switch placeholder.name {
            case "STATUS": .number(Double(response.status))
            case "RESPONSE_TIME": .number((response.timings.total * 10).rounded() / 10)
            default: data.value(at: placeholder.path)?.conditionValue(length: placeholder.length) ?? .missing
            }
            return condition.evaluate(value)
        }
        var measurements = [Measurement(name: "response_time", value: response.timings.total, unit: "ms")]
        if let latency {
            let judged = latency.judge(timings)
            texts.append((judged.holds, "\(judged.text) over \(timings.count) sample\(timings.count == 1 ? "" : "s")"))
            measurements.append(Measurement(name: "latency_\(latency.statistic.rawValue)", value: judged.value, unit: "ms"))
        }
        let failing = texts.filter { !$0.holds }.map(\.text)
        var result = failing.isEmpty
            ? CheckResult.passed("\(label) answered" + (texts.isEmpty ? " without errors" : ": " + texts.map(\.text).joined(separator: ", ")))
            : CheckResult.failed(failing.joined(separator: ", "))
        result.details = texts.map { ($0.holds ? "✓ " : "✗ ") + $0.text }
        result.measurements = measurements
        return result
    }
}
