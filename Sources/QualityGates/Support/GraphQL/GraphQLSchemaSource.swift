import GraphQLDocuments
import HTTPClient
import JSON
import ProjectFiles
import TextSearch

/// Where a GraphQL check reads the schema: an SDL file in the project (`sdl`, candidates and
/// globs), the backend's own export command (`sdl_command`), or a live endpoint by introspection
/// (`url`, staging only). graphql_schema and graphql_documents share it.
enum GraphQLSchemaSource: Sendable {
    case sdl(PathQuery)
    case command(SchemaCommand)
    /// `useToken`: the request carries the access token a gotrue_auth check this one needs
    /// handed on, for an endpoint that answers no one unauthenticated, introspection included.
    case endpoint(HTTPRequest, useToken: Bool)

    /// The keys a kind reading a schema lists among its parameters.
    static let parameterDocs = [
        ParameterDoc("sdl", "path", "The exported schema in SDL, or an introspection query's answer in JSON (`graphql.schema.json`, as GraphQL Code Generator saves it). \(ParameterDoc.pathForms) (`[NestSync-backend/schema.graphql, \"**/schema.graphql\"]`); the first match is read. Give one of `sdl`, `sdl_command`, `url`."),
        ParameterDoc("sdl_command", "string or mapping", "A command whose standard output is the schema in SDL, run with /bin/sh: `python -m strawberry export-schema app.graphql.schema:schema`, or a mapping with `run`, `cwd` (a folder of the project), `timeout` (default 60 s) and `env` (variables added to the run's)."),
        ParameterDoc("url", "URL", "A GraphQL endpoint read by introspection (staging only: on the build target the check is skipped). An HTTP 200 carrying `errors` fails; introspection turned off is an error that says so."),
        ParameterDoc("headers", "mapping", "Request headers for `url` (`Authorization: Bearer ${TOKEN}`)."),
        ParameterDoc("use_token", "boolean", "Send `Authorization: Bearer` with the access token of the gotrue_auth check this one `needs`, for an endpoint that answers nobody unauthenticated, introspection included (default false; `url` only). The token is never printed."),
    ]

    /// `sdl`, `sdl_command` or `url` (with `headers`) from a check's parameters; `introspectionQuery`
    /// is what the endpoint is asked.
    static func read(_ parameters: inout CheckParameters, introspectionQuery: String) throws(ConfigError) -> GraphQLSchemaSource {
        let sdl = try parameters.paths("sdl")
        let command = try SchemaCommand.read(&parameters)
        let url = try parameters.string("url")
        let headers = try parameters.stringMap("headers") ?? []
        let useToken = try parameters.bool("use_token") ?? false
        if useToken, url == nil { throw parameters.invalid("use_token", "a token is sent to an endpoint: give `url`") }
        switch (sdl, command, url) {
        case (var paths?, nil, nil):
            paths.hint = "export the schema (Strawberry: `strawberry export-schema app.graphql.schema:schema --output schema.graphql`) to check it on the build target, or give `sdl_command`; the staging target introspects the live one"
            return .sdl(paths)
        case (nil, let command?, nil):
            return .command(command)
        case (nil, nil, let url?):
            let body = JSONValue.object([("query", .string(introspectionQuery))]).serialized(compact: true)
            return .endpoint(HTTPRequest(method: "POST", url: url,
                                         headers: [("Content-Type", "application/json")] + headers.map { (name: $0.0, value: $0.1) },
                                         body: Array(body.utf8)), useToken: useToken)
        case (nil, nil, nil):
            throw ConfigError(.missingKey("sdl"), at: parameters.location)
        default:
            throw parameters.invalid(url != nil ? "url" : "sdl_command", "give one of sdl, sdl_command and url")
        }
    }

    /// `without_introspection` of a check reading this source: false for `error` (the default),
    /// true for `probe`, which asks an endpoint and so needs `url` (`why` says so in the refusal).
    func probesWithoutIntrospection(_ parameters: inout CheckParameters, why: String) throws(ConfigError) -> Bool {
        switch try parameters.string("without_introspection") ?? "error" {
        case "error": return false
        case "probe":
            guard case .endpoint = self else { throw parameters.invalid("without_introspection", "\(why): give `url`") }
            return true
        case let other: throw parameters.invalid("without_introspection", "'\(other)': write error or probe")
        }
    }

    /// What the schema is called before it is read.
    var name: String {
        switch self {
        case .sdl(let paths): paths.written
        case .command(let command): "the output of `\(command.run)`"
        case .endpoint(let request, _): HTTPClient.displayTarget(request.url)
        }
    }

    /// The SDL of a file or command source, and what messages call it. A schema that starts with
    /// lines that are not GraphQL (a log line the export captured) is an error naming the line.
    func sdlText(_ context: CheckContext) throws(CheckStop) -> (name: String, bytes: [UInt8]) {
        let name: String
        let bytes: [UInt8]
        switch self {
        case .sdl(let paths):
            name = try paths.first(context).path
            do {
                bytes = try FileReader.read(context.url(for: name), display: name)
            } catch {
                throw CheckStop(.errored(error.description))
            }
        case .command(let command):
            name = "the output of `\(command.run)`"
            bytes = try command.output(context)
        case .endpoint:
            preconditionFailure("an endpoint has no SDL text; introspect it")
        }
        // A frontend's copy of the schema is often the introspection result its codegen saved
        // (`graphql.schema.json`); SDL never starts with `{`.
        if bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{") {
            do {
                return (name, Array(try IntrospectionSchema.sdl(fromJSON: bytes).utf8))
            } catch {
                throw CheckStop(.errored("\(name) is JSON, but not a GraphQL introspection result (\(error.message)); give the schema in SDL, or an introspection query's answer"))
            }
        }
        if let leading = SDLText.leadingNonGraphQL(bytes) {
            throw CheckStop(.errored("\(name):\(leading.line): '\(leading.text)' is not GraphQL; \(SDLText.likelyCause(of: leading.text))"))
        }
        return (name, bytes)
    }

    /// Sends the introspection request, or says why not: skipped on the build target (it is a
    /// network call), errored when the endpoint cannot be reached or the token to send is missing.
    static func introspect(_ request: HTTPRequest, useToken: Bool, _ context: CheckContext) throws(CheckStop) -> HTTPResponse {
        guard context.target == .staging else { throw CheckStop(CheckResult.skipped(.notForTarget, "introspection runs on the staging target only")) }
        var request = request
        if useToken {
            guard let token = context.handoff["access_token"] else {
                throw CheckStop(.errored("use_token needs a gotrue_auth check that signed in: add it to `needs`"))
            }
            request.headers.append((name: "Authorization", value: "Bearer \(token)"))
        }
        request.timeout = min(request.timeout, context.timeout)
        do throws(HTTPError) {
            return try HTTPClient.perform(request)
        } catch {
            throw HTTPCheck.stop(error, timeout: request.timeout)
        }
    }

    /// The `message` of each error of a GraphQL response.
    static func errorMessages(_ document: JSONDocument?) -> [String] {
        guard case .array(let errors)? = document?.value(at: ["errors"]) else { return [] }
        return errors.compactMap { error -> String? in
            if case .string(let message)? = error.value(at: ["message"]) { return message }
            return nil
        }
    }

    /// The server's words when it refused the introspection query because introspection is
    /// turned off (HTTP 200 or 400); nil for any other answer. graphql-core's rule (Strawberry):
    /// "GraphQL introspection has been disabled, …"; Apollo Server: "GraphQL introspection is not
    /// allowed by Apollo Server, …".
    static func introspectionOff(_ response: HTTPResponse) -> String? {
        guard response.status == 200 || response.status == 400 else { return nil }
        let messages = errorMessages(JSONDocument.parse(response.body))
        let lower = messages.joined(separator: "; ").lowercased()
        guard lower.containsText("introspection"), lower.containsText("disabled") || lower.containsText("not allowed") else { return nil }
        // graphql-core says it once for every introspection field the query names: the first is enough.
        return messages[0] + (messages.count > 1 ? " (and \(messages.count - 1) more errors)" : "")
    }

    /// The `data` of an introspection response, or the result that says why it has none: an HTTP
    /// error, non-JSON and a missing `data` are errors; `errors` in a 200 fail, except
    /// introspection turned off, an error that says so.
    static func introspectionData(_ response: HTTPResponse, endpoint: String) throws(CheckStop) -> JSONDocument {
        // A server that refuses the query before running it may say why with HTTP 400 (Apollo
        // Server, the GraphQL-over-HTTP media type): its errors are read as a 200's are.
        let refusedWithErrors = response.status == 400 && JSONDocument.parse(response.body)?.value(at: ["errors"]).map {
            if case .array(let errors) = $0 { !errors.isEmpty } else { false }
        } == true
        guard response.status == 200 || refusedWithErrors else {
            throw HTTPCheck.notNow(response, target: endpoint)
                ?? HTTPCheck.statusStop(response, "\(endpoint) answered introspection with HTTP \(response.status)")
        }
        guard let document = JSONDocument.parse(response.body) else {
            throw CheckStop(.errored("\(endpoint) answered introspection with something that is not JSON (\(response.header("content-type") ?? "no content type"))"))
        }
        if case .array(let errors)? = document.value(at: ["errors"]), !errors.isEmpty {
            let text = errorMessages(document).joined(separator: "; ")
            if let off = introspectionOff(response) {
                throw CheckStop(.errored("introspection is disabled at \(endpoint) (\(off)); check the exported SDL instead, or enable introspection on staging"))
            }
            throw CheckStop(.failed("introspection at \(endpoint) returned errors: \(text)"))
        }
        guard let data = document.value(at: ["data"]), data.value(at: ["__schema"]) != nil else {
            throw CheckStop(.errored("\(endpoint) answered introspection without a __schema"))
        }
        return data
    }
}
