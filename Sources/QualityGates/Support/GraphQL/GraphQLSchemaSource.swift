import HTTPClient
import JSON
import TextSearch

/// Where a GraphQL check reads the schema: an SDL file in the project, or a live endpoint by
/// introspection (staging only). graphql_schema and graphql_documents share it.
enum GraphQLSchemaSource: Sendable {
    case sdl(String)
    case endpoint(HTTPRequest)

    /// `sdl` or `url` (with `headers`) from a check's parameters; `introspectionQuery` is what the
    /// endpoint is asked.
    static func read(_ parameters: inout CheckParameters, introspectionQuery: String) throws(ConfigError) -> GraphQLSchemaSource {
        let sdl = try parameters.string("sdl")
        let url = try parameters.string("url")
        let headers = try parameters.stringMap("headers") ?? []
        switch (sdl, url) {
        case (let path?, nil):
            return .sdl(path)
        case (nil, let url?):
            let body = JSONValue.object([("query", .string(introspectionQuery))]).serialized(compact: true)
            return .endpoint(HTTPRequest(method: "POST", url: url,
                                         headers: [("Content-Type", "application/json")] + headers.map { (name: $0.0, value: $0.1) },
                                         body: Array(body.utf8)))
        case (nil, nil):
            throw ConfigError(.missingKey("sdl"), at: parameters.location)
        case (.some, .some):
            throw parameters.invalid("url", "give sdl or url, not both")
        }
    }

    /// What the schema is called in messages: the SDL file, or the endpoint.
    var name: String {
        switch self {
        case .sdl(let path): path
        case .endpoint(let request): HTTPClient.displayTarget(request.url)
        }
    }

    /// Sends the introspection request, or says why not: skipped on the build target (it is a
    /// network call), errored when the endpoint cannot be reached.
    static func introspect(_ request: HTTPRequest, _ context: CheckContext) -> Result<HTTPResponse, IntrospectionStop> {
        guard context.target == .staging else { return .failure(IntrospectionStop(CheckResult(.skipped, "introspection runs on the staging target only"))) }
        var request = request
        request.timeout = min(request.timeout, context.timeout)
        do {
            return .success(try HTTPClient.perform(request))
        } catch {
            return .failure(IntrospectionStop(.errored(HTTPCheck.message(error, timeout: request.timeout))))
        }
    }

    /// The result that ends a check before its schema is read.
    struct IntrospectionStop: Error {
        let result: CheckResult
        init(_ result: CheckResult) { self.result = result }
    }

    /// What an introspection response holds: its `data`, or the result that says why it has none.
    enum IntrospectionAnswer {
        case data(JSONDocument)
        case problem(CheckResult)
    }

    /// Reads an introspection response: an HTTP error, non-JSON and a missing `data` are errors;
    /// `errors` in a 200 fail, except introspection turned off, an error that says so.
    static func introspectionData(_ response: HTTPResponse, endpoint: String) -> IntrospectionAnswer {
        guard response.status == 200 else { return .problem(.errored("\(endpoint) answered introspection with HTTP \(response.status)")) }
        guard let document = JSONDocument.parse(response.body) else {
            return .problem(.errored("\(endpoint) answered introspection with something that is not JSON (\(response.header("content-type") ?? "no content type"))"))
        }
        if case .array(let errors)? = document.value(at: ["errors"]), !errors.isEmpty {
            let messages = errors.compactMap { error -> String? in
                if case .string(let message)? = error.value(at: ["message"]) { return message }
                return nil
            }
            let text = messages.joined(separator: "; ")
            if text.lowercased().containsText("introspection") && text.lowercased().containsText("disabled") {
                return .problem(.errored("introspection is disabled at \(endpoint) (\(text)); check the exported SDL instead, or enable introspection on staging"))
            }
            return .problem(.failed("introspection at \(endpoint) returned errors: \(text)"))
        }
        guard let data = document.value(at: ["data"]), data.value(at: ["__schema"]) != nil else {
            return .problem(.errored("\(endpoint) answered introspection without a __schema"))
        }
        return .data(data)
    }

}
