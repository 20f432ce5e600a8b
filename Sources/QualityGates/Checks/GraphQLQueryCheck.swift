import GraphQLDocuments
import HTTPClient
import JSON
import ProjectFiles

/// A GraphQL operation run against the endpoint: no `errors`, conditions on `data`, and
/// optionally a latency budget over samples. The operation is written in the gate file, or taken
/// from the frontend by name, so a latency gate times exactly what the app sends.
struct GraphQLQueryCheck: Check {
    static let placeholders = ["STATUS", "DATA", "RESPONSE_TIME"]

    static let description = CheckDescription(
        kind: "graphql_query",
        summary: "A GraphQL operation, written in the gate file or taken by name from the frontend's documents with the fragments it uses, runs against the endpoint without `errors`; variables come from the gate file, the operation's defaults and the checks it `needs`; conditions on `[DATA]`; optionally a latency budget (p50, p95, p99 or max) over N samples.",
        parameters: [
            ParameterDoc("url", "URL", required: true, "The GraphQL endpoint (http or https)."),
            ParameterDoc("query", "string or list", "The document, written here: one operation, or several with `operation` naming the one to run. Give `query` or `documents`. A list gives alternatives for backends whose schemas differ (`me { children { id } }` here, `myChildren { edges { node { id } } }` there): each is tried in order, and the first the server does not refuse as invalid for its schema is the one run; the refused ones' messages are reported only when every one is refused."),
            ParameterDoc("documents", "paths", "The frontend's files and folders (as `graphql_documents` reads them): the operation named `operation` is sent as the app sends it, with the fragments it interpolates or imports."),
            ParameterDoc("operation", "string or list", "The operation to run (`GetAnalyticsDashboard`), sent as `operationName`; required with `documents`, where a list of candidates takes the first the frontend has."),
            ParameterDoc("variables", "mapping", "Values of the operation's variables; plain YAML scalars are typed (`periodDays: 30` is an Int), quoted ones are strings. A variable not given here takes the value a check this one `needs` exposes under its name, else the operation's default; a required one with none of these is a configuration error. With `documents`, values for variables the operation does not declare are not sent, so one gate fits frontends that name them differently."),
            ParameterDoc("expose", "mapping", "Values of this check's answer handed to the checks that `need` it, by name: `{childId: \"[DATA].myChildren.0.id\"}`; a list of paths takes the first that holds a value (`[\"[DATA].me.children.0.id\", \"[DATA].myChildren.edges.0.node.id\"]`). Nothing at any of them fails the check."),
            ParameterDoc("payload_errors", "boolean", "A field of the answer's `data` that is a result payload with `success: false` fails the check, with its `error` or `message` (default false). Many Strawberry and Graphene backends answer a failure that way, as data with HTTP 200 and no GraphQL error, which a latency budget alone would time as a fast success."),
            ParameterDoc("headers", "mapping", "Request headers."),
            ParameterDoc("allow_mutation", "boolean", "Send a mutation (default false: a mutation is refused when the gate file loads, or, taken from the frontend, when the check runs). A gate that runs on every deploy and every minute under `watch`, with samples, would change the application's data each time; set it for a staging whose data may change."),
            ParameterDoc("use_token", "boolean", "Send `Authorization: Bearer` with the access token of the gotrue_auth check this one `needs` (default false). The token is never printed."),
            ParameterDoc("conditions", "list of conditions", "Placeholders: `[STATUS]`, `[DATA]` with a path (`[DATA].getAnalyticsDashboard.totalChanges`), `[RESPONSE_TIME]` (ms)."),
            ParameterDoc("samples", "whole number", "Requests to time (default 1)."),
            ParameterDoc("warmup", "whole number", "Requests sent first and not timed (default 0)."),
            ParameterDoc("latency", "budget", "`p50`, `p95`, `p99` or `max`, `<`, milliseconds: `p95 < 3000`."),
            ParameterDoc("min_samples", "whole number", "Samples taken before sampling may stop early (default 1). Sampling stops as soon as the budget's verdict over all `samples` is certain whatever the rest would measure: a percentile here is the k-th smallest sample, so k samples under the limit keep it, and n − k + 1 at or over it break it."),
            ParameterDoc("request_timeout", "duration", "How long one request may take (default 10 s)."),
            .optional, .exclude,
        ],
        defaultTargets: [.staging],
        thresholds: ["conditions", "latency"],
        readsHandoff: true,
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
                url: ${SERVER_URL}/graphql-data
                documents: [app, lib]
                operation: GetAnalyticsDashboard
                variables: {childId: "c1"}
                expose: {total: "[DATA].getAnalyticsDashboard.totalChanges"}
                """, files: ["lib/fragments.ts": "export const DASH = gql`fragment Dash on AnalyticsDashboard { totalChanges }`;\n",
                             "app/analytics.tsx": "import { DASH } from '../lib/fragments';\nconst Q = gql`\n  query GetAnalyticsDashboard($childId: ID!, $days: Int = 30) {\n    getAnalyticsDashboard(childId: $childId, days: $days) { ...Dash }\n  }\n  ${DASH}\n`;\n"],
                needsHTTPServer: true, .passes),
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
                expose: {childId: "[DATA].me.children.0.id"}
                """, needsHTTPServer: true, .fails("nothing at [DATA].me.children.0.id to expose as childId")),
            CheckExample("""
                kind: graphql_query
                url: ${SERVER_URL}/graphql-refuses-me-children
                query:
                  - "query Children { me { children { id } } }"
                  - "query Children { myChildren { edges { node { id } } } }"
                expose: {childId: ["[DATA].me.children.0.id", "[DATA].myChildren.edges.0.node.id"]}
                """, needsHTTPServer: true, .passes),
            CheckExample("""
                kind: graphql_query
                url: ${SERVER_URL}/graphql-refuses-me-children
                query: ["query A { me { children { id } } }", "query B { me { kids { id } } }"]
                """, needsHTTPServer: true,
                .fails("the server refused every query as invalid for its schema: query 1 (A): Cannot query field 'children' on type 'UserProfile'.; query 2 (B): Cannot query field 'kids' on type 'UserProfile'.")),
            CheckExample("""
                kind: graphql_query
                url: ${SERVER_URL}/graphql-payload-failure
                query: '{ getAnalyticsDashboard(childId: "c1") { success error dashboard { totalChanges } } }'
                payload_errors: true
                samples: 5
                latency: p95 < 3000
                """, needsHTTPServer: true, .fails("getAnalyticsDashboard answered success: false: analytics service unavailable (after 1 of 5 samples)")),
            CheckExample("""
                kind: graphql_query
                url: ${SERVER_URL}/graphql-data
                query: "{ me { id } }"
                samples: 2
                latency: max < 0.001
                """, needsHTTPServer: true, .fails("ms) < 0.001 ms: at or over after 1 of 2 samples, whatever the other 1 measure")),
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
                url: http://127.0.0.1:1/graphql
                documents: [src]
                operation: GetAnalyticsDashboard
                """, files: ["src/q.ts": "const Q = gql`query GetAnalyticsDashboard($childId: ID!) { getAnalyticsDashboard(childId: $childId) { totalChanges } }`;\n"],
                .errors("operation GetAnalyticsDashboard (src/q.ts:1:15) needs $childId (ID!)")),
            CheckExample("""
                kind: graphql_query
                url: http://localhost:8001/graphql
                query: "{ me { id } }"
                conditions: ["[BODY].data == 1"]
                """, .invalid("unknown placeholder [BODY]")),
            CheckExample("""
                kind: graphql_query
                url: http://localhost:8001/graphql
                documents: [src]
                """, .invalid("'documents' needs 'operation'")),
            CheckExample("""
                kind: graphql_query
                url: http://localhost:8001/graphql
                query: 'mutation LogChange { logDiaperChange(childId: "c1") { id } }'
                samples: 10
                """, .invalid("LogChange is a mutation: this gate would change the application's data on every run (10 times)")),
            CheckExample("""
                kind: graphql_query
                url: http://127.0.0.1:1/graphql
                documents: [src]
                operation: LogDiaperChange
                """, files: ["src/m.ts": "const M = gql`mutation LogDiaperChange { logDiaperChange(childId: \"c1\") { id } }`;\n"],
                .errors("LogDiaperChange (src/m.ts:1:15) is a mutation: this gate would change the application's data on every run")),
        ]
    )

    /// Where the operation comes from.
    enum Operation: Sendable {
        /// Alternatives, the first the server accepts being run.
        case written(queries: [String], name: String?)
        /// The first of `names` the frontend's documents hold.
        case frontend(documents: PathQuery, names: [String])
    }

    let url: String
    let operation: Operation
    let variables: [(String, JSONValue)]
    let expose: [(name: String, paths: [[String]], written: String)]
    let payloadErrors: Bool
    let headers: [(name: String, value: String)]
    let requestTimeout: Double
    let conditions: [Condition]
    let samples: Int
    let warmup: Int
    let latency: LatencyBudget?
    let useToken: Bool
    let allowMutation: Bool

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        url = try parameters.requiredString("url")
        let queries = try parameters.strings("query")
        let documents = try parameters.paths("documents")
        let names = try parameters.strings("operation") ?? []
        switch (queries, documents) {
        case (let queries?, nil):
            guard !queries.isEmpty else { throw parameters.invalid("query", "give the query, or a list of alternatives") }
            guard names.count <= 1 else { throw parameters.invalid("operation", "a written query names one operation") }
            operation = .written(queries: queries, name: names.first)
        case (nil, let documents?):
            guard !names.isEmpty else { throw parameters.invalid("documents", "'documents' needs 'operation': the name of the operation to send") }
            operation = .frontend(documents: documents, names: names)
        case (nil, nil): throw ConfigError(.missingKey("query"), at: parameters.location)
        case (.some, .some): throw parameters.invalid("documents", "give query or documents, not both")
        }
        let variables = try parameters.json("variables")
        guard variables == nil || { if case .object = variables! { true } else { false } }() else {
            throw parameters.invalid("variables", "write the variables as a mapping (`childId: \"c1\"`)")
        }
        if case .object(let members)? = variables { self.variables = members } else { self.variables = [] }
        var exposed: [(String, [[String]], String)] = []
        for (name, paths) in try parameters.stringListMap("expose") ?? [] {
            var parsed: [[String]] = []
            for path in paths {
                guard path.hasPrefix("[DATA]"), path == "[DATA]" || path.dropFirst(6).hasPrefix(".") else {
                    throw parameters.invalid("expose", "'\(path)': write a path into the answer's data, such as [DATA].myChildren.0.id")
                }
                parsed.append(path.dropFirst(7).split(separator: ".").map(String.init))
            }
            exposed.append((name, parsed, paths.joined(separator: " or ")))
        }
        expose = exposed
        payloadErrors = try parameters.bool("payload_errors") ?? false
        headers = [("Content-Type", "application/json")] + (try parameters.stringMap("headers")?.map { (name: $0.0, value: $0.1) } ?? [])
        requestTimeout = try parameters.seconds("request_timeout") ?? 10
        useToken = try parameters.bool("use_token") ?? false
        conditions = try parameters.conditions("conditions", placeholders: Self.placeholders)
        samples = try parameters.wholeNumber("samples", default: 1, range: 1...1000)
        warmup = try parameters.wholeNumber("warmup", default: 0, range: 0...100)
        latency = try parameters.latencyBudget("latency")
        allowMutation = try parameters.bool("allow_mutation") ?? false
        if !allowMutation, case .written(let queries, let name) = operation {
            for query in queries {
                guard let sent = Self.sentOperation(in: query, named: name), sent.kind == "mutation" else { continue }
                throw parameters.invalid("query", Self.mutationRefusal(sent.name ?? "the operation", samples: samples + warmup))
            }
        }
        if !url.isEmpty, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw parameters.invalid("url", "\(HTTPCheck.schemeOnly(url)) is not an http or https URL")
        }
    }

    var exposes: [String] { expose.map(\.name) }

    /// What the operation is called in messages.
    var label: String {
        switch operation {
        case .written(let queries, let name): name ?? Self.operationName(in: queries[0]) ?? "the operation"
        case .frontend(_, let names): names.joined(separator: " or ")
        }
    }

    /// The last response, its data, the timed samples (milliseconds), and the operation sent.
    struct Observation {
        let response: HTTPResponse
        let data: JSONDocument
        let timings: [Double]
        var operation: String
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> Observation {
        var request = HTTPRequest(method: "POST", url: url, headers: headers, timeout: min(requestTimeout, context.timeout))
        let candidates = try bodies(context)
        if useToken {
            guard let token = context.handoff["access_token"] else {
                throw CheckStop(.errored("use_token needs a gotrue_auth check that signed in: add it to `needs`"))
            }
            request.headers.append((name: "Authorization", value: "Bearer \(token)"))
        }
        let target = HTTPClient.displayTarget(request.url)
        var refusals: [String] = []
        for (index, candidate) in candidates.enumerated() {
            request.body = candidate.body.bytes(compact: true)
            var warmups = warmup
            // With alternatives, the first request of each asks the server whether it runs this
            // one. Accepted, that answer is the first warm-up, or else the first sample.
            var accepted: HTTPResponse?
            if candidates.count > 1 {
                let probe = try Self.perform(request)
                if let refusal = Self.refusal(probe) {
                    refusals.append("query \(index + 1) (\(candidate.label)): \(refusal)")
                    continue
                }
                if warmups > 0 { warmups -= 1 } else { accepted = probe }
            }
            for _ in 0..<warmups { _ = try Self.perform(request) }
            var timings: [Double] = []
            while true {
                let response: HTTPResponse
                if let first = accepted { (response, accepted) = (first, nil) } else { response = try Self.perform(request) }
                timings.append(response.timings.total)
                // A sample that went wrong is judged at once: its errors matter more than its time.
                let data = try Self.data(response, target: target, label: candidate.label)
                if timings.count == samples || latency?.canStop(timings, planned: samples) == true
                    || (payloadErrors && !Self.payloadFailures(data).isEmpty) {
                    return Observation(response: response, data: data, timings: timings, operation: candidate.label)
                }
            }
        }
        throw CheckStop(.failed("the server refused every query as invalid for its schema: \(refusals.joined(separator: "; "))"))
    }

    /// Why the server refused a request before running it, as it refuses a document that is
    /// invalid for its schema (errors without a `path`, and no data), or nil when it ran it.
    static func refusal(_ response: HTTPResponse) -> String? {
        guard response.status == 200 || response.status == 400, let document = JSONDocument.parse(response.body),
              case .array(let errors)? = document.value(at: ["errors"]), !errors.isEmpty,
              document.value(at: ["data"]) ?? .null == .null,
              errors.allSatisfy({ $0.value(at: ["path"]) == nil }) else { return nil }
        return errors.compactMap { $0.value(at: ["message"])?.stringValue }.joined(separator: "; ")
    }

    /// One request; a transport error ends the check as errored.
    static func perform(_ request: HTTPRequest) throws(CheckStop) -> HTTPResponse {
        do throws(HTTPError) {
            return try HTTPClient.perform(request)
        } catch {
            throw HTTPCheck.stop(error, timeout: request.timeout)
        }
    }

    /// The request bodies (the document, its operation name, the variables), one for each
    /// alternative, each with the name of the operation it sends.
    func bodies(_ context: CheckContext) throws(CheckStop) -> [(body: JSONValue, label: String)] {
        switch operation {
        case .written(let queries, let name):
            return queries.map { query in
                var members: [(String, JSONValue)] = [("query", .string(query))]
                if let name { members.append(("operationName", .string(name))) }
                let handed = context.handoff.filter { key, _ in key != "access_token" && !variables.contains { $0.0 == key } && query.contains("$\(key)") }
                let all = variables + handed.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }
                if !all.isEmpty { members.append(("variables", .object(all))) }
                return (.object(members), name ?? Self.operationName(in: query) ?? "the operation")
            }
        case .frontend(let documents, let names):
            let found = try documents.find(context, kinds: [.file, .directory])
            let frontend: FrontendDocuments
            do {
                frontend = try FrontendDocuments.collect(found.map(\.path), root: context.projectRoot.path,
                                                         finder: context.finder(excluding: documents.excluded))
            } catch {
                throw CheckStop(.errored(error.message))
            }
            guard let name = names.first(where: { frontend.operation(named: $0) != nil }),
                  let (text, operation, place) = frontend.requestText(forOperation: name) else {
                let message = Self.notFound(names, frontend: frontend, documents: documents)
                throw CheckStop(documents.optional ? CheckResult.skipped(.optionalInputAbsent, "optional input absent: \(message)") : .errored(message))
            }
            if operation.kind == "mutation", !allowMutation {
                var refused = CheckResult.errored(Self.mutationRefusal("\(name) (\(place))", samples: samples + warmup))
                refused.retryable = false
                throw CheckStop(refused)
            }
            var values: [(String, JSONValue)] = []
            for variable in operation.variables {
                if let given = variables.first(where: { $0.0 == variable.name }) {
                    values.append((variable.name, given.1))
                } else if let handed = context.handoff[variable.name] {
                    values.append((variable.name, Self.typed(handed, as: variable.type)))
                } else if variable.isRequired {
                    throw CheckStop(.errored("operation \(name) (\(place)) needs $\(variable.name) (\(variable.type)): give it under `variables:`, or have a check this one needs `expose` \(variable.name)"))
                }
            }
            var members: [(String, JSONValue)] = [("query", .string(text)), ("operationName", .string(name))]
            if !values.isEmpty { members.append(("variables", .object(values))) }
            return [(.object(members), name)]
        }
    }

    /// The operation must be in the frontend, and each of its required variables must get a value
    /// from the gate file or a check this one needs.
    func preflight(_ context: CheckContext, handedOn: Set<String>) -> [String] {
        guard case .frontend(let documents, let names) = operation else { return [] }
        guard let found = try? documents.find(context, kinds: [.file, .directory]),
              let frontend = try? FrontendDocuments.collect(found.map(\.path), root: context.projectRoot.path,
                                                            finder: context.finder(excluding: documents.excluded)) else {
            return []  // the run says why the documents cannot be read
        }
        guard let name = names.first(where: { frontend.operation(named: $0) != nil }),
              let (_, operation, place) = frontend.requestText(forOperation: name) else {
            return documents.optional ? [] : [Self.notFound(names, frontend: frontend, documents: documents)]
        }
        if operation.kind == "mutation", !allowMutation { return [Self.mutationRefusal("\(name) (\(place))", samples: samples + warmup)] }
        return operation.variables.filter { variable in
            variable.isRequired && !variables.contains { $0.0 == variable.name } && !handedOn.contains(variable.name)
        }.map { variable in
            "operation \(name) (\(place)) needs $\(variable.name) (\(variable.type)), and nothing gives it: write it under `variables:`, or `expose` \(variable.name) from a check this one needs"
        }
    }

    /// None of the candidate operations is in the frontend: which were looked for, and the closest.
    static func notFound(_ names: [String], frontend: FrontendDocuments, documents: PathQuery) -> String {
        let closest = names.lazy.compactMap { GraphQLSchemaCheck.closest(to: $0, in: frontend.operationNames).first }.first
        return "no operation named \(names.joined(separator: " or ")) in the frontend's documents (\(documents.written), \(frontend.documents.count) documents)"
            + (closest.map { "; did you mean \($0)?" } ?? "")
    }

    /// A handed-on value as the variable's declared type wants it: numbers for Int and Float,
    /// booleans for Boolean, strings otherwise (an ID travels as a string).
    static func typed(_ text: String, as type: String) -> JSONValue {
        let base = type.filter { $0 != "!" }
        switch base {
        case "Int": if let value = Int(text) { return .integer(value) }
        case "Float": if let value = Double(text) { return .number(value) }
        case "Boolean": if text == "true" || text == "false" { return .bool(text == "true") }
        default: break
        }
        return .string(text)
    }

    /// The operation a written document sends: the one `name` names, or its only one. Nil when
    /// the text cannot be read (the server says why) or does not say which.
    static func sentOperation(in query: String, named name: String?) -> DocumentOutline.Operation? {
        guard let outline = DocumentOutline.read(query) else { return nil }
        if let name { return outline.operations.first { $0.name == name } }
        return outline.operations.count == 1 ? outline.operations[0] : nil
    }

    /// Why a mutation is not sent.
    static func mutationRefusal(_ label: String, samples: Int) -> String {
        "\(label) is a mutation: this gate would change the application's data on every run"
            + (samples > 1 ? " (\(samples) times)" : "") + "; time a query instead, or set `allow_mutation: true` for a staging whose data may change"
    }

    /// The name of the document's first operation (`query GetAnalyticsDashboard(…)` → GetAnalyticsDashboard), for messages.
    static func operationName(in query: String) -> String? {
        let words = query.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
        guard let first = words.first, ["query", "mutation", "subscription"].contains(first), words.count > 1 else { return nil }
        return String(words[1])
    }

    /// The `data` of a GraphQL response, or why there is none: an HTTP error or non-JSON is an
    /// error (the endpoint is not answering GraphQL); `errors` fail.
    static func data(_ response: HTTPResponse, target: String, label: String) throws(CheckStop) -> JSONDocument {
        guard response.status == 200 || response.status == 400 else {
            throw HTTPCheck.notNow(response, target: target) ?? HTTPCheck.statusStop(response, "\(target) answered HTTP \(response.status)")
        }
        guard let document = JSONDocument.parse(response.body) else {
            throw CheckStop(.errored("\(target) answered with something that is not JSON (\(response.header("content-type") ?? "no content type"))"))
        }
        if case .array(let errors)? = document.value(at: ["errors"]), !errors.isEmpty {
            let messages = errors.compactMap { $0.value(at: ["message"])?.stringValue }
            throw CheckStop(.failed("\(label) returned errors: \(messages.joined(separator: "; "))"))
        }
        guard let data = document.value(at: ["data"]), data != .null else {
            throw CheckStop(.errored("\(target) answered without data or errors (HTTP \(response.status))"))
        }
        return data
    }

    /// The fields of `data` that are result payloads with `success: false`, each with its reason.
    static func payloadFailures(_ data: JSONDocument) -> [String] {
        guard case .object(let fields) = data else { return [] }
        return fields.sorted { $0.key < $1.key }.compactMap { field, answer in
            guard answer.value(at: ["success"]) == .bool(false) else { return nil }
            let reason = answer.value(at: ["error"])?.stringValue ?? answer.value(at: ["message"])?.stringValue ?? "no error or message given"
            return "\(field) answered success: false: \(UntrustedText.quoted(reason))"
        }
    }

    /// The decision on the last response, its `data`, and the timed samples.
    func judge(_ observed: Observation) -> CheckResult {
        let (response, data, timings) = (observed.response, observed.data, observed.timings)
        var texts: [(holds: Bool, text: String)] = conditions.map { condition in
            let placeholder = condition.placeholder
            let value: Condition.Value = switch placeholder.name {
            case "STATUS": .number(Double(response.status))
            case "RESPONSE_TIME": .number(NumberText.tenths(response.timings.total))
            default: data.value(at: placeholder.path)?.conditionValue(length: placeholder.length) ?? .missing
            }
            return condition.evaluate(value)
        }
        var measurements = [Measurement(name: "response_time", value: response.timings.total, unit: "ms")]
        let failedPayloads = payloadErrors ? Self.payloadFailures(data) : []
        for failure in failedPayloads {
            let stopped = timings.count < samples ? " (after \(timings.count) of \(samples) samples)" : ""
            texts.append((false, failure + stopped))
        }
        // A failure answered as data says nothing of the latency of the answers that work.
        if let latency, failedPayloads.isEmpty {
            let judged = latency.judge(timings, planned: samples)
            texts.append((judged.holds, judged.text))
            measurements.append(Measurement(name: "latency_\(latency.statistic.rawValue)", value: judged.value, unit: "ms", limit: latency.limit))
        }
        var handoff: [String: String] = [:]
        for (name, paths, written) in expose {
            guard let value = paths.lazy.compactMap({ data.value(at: $0) }).first(where: { $0 != .null }) else {
                texts.append((false, "nothing at \(written) to expose as \(name) (the checks that need it would have no \(name))"))
                continue
            }
            handoff[name] = value.displayText
        }
        let failing = texts.filter { !$0.holds }.map(\.text)
        var result = failing.isEmpty
            ? CheckResult.passed("\(observed.operation) answered" + (texts.isEmpty ? " without errors" : ": " + texts.map(\.text).joined(separator: ", ")))
            : CheckResult.failed(failing.joined(separator: ", "))
        result.details = texts.map { ($0.holds ? "✓ " : "✗ ") + $0.text }
        result.measurements = measurements
        if failing.isEmpty { result.handoff = handoff }
        return result
    }
}
