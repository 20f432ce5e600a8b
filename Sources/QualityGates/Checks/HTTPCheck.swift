import FoundationEssentials
import HTTPClient
import JSON

/// An HTTP request whose response meets conditions, optionally with a latency budget over samples.
struct HTTPCheck: Check {
    static let placeholders = ["STATUS", "BODY", "HEADER", "RESPONSE_TIME"]

    static let description = CheckDescription(
        kind: "http",
        summary: "An HTTP request whose response meets conditions such as `[STATUS] == 200`, `[HEADER].content-type == pat(application/json*)`, `[BODY].data.me.id != \"\"`, `len([BODY].items) > 0`, `[RESPONSE_TIME] < 500`; optionally a latency budget (p50, p95, p99 or max) over N samples.",
        parameters: [
            ParameterDoc("url", "URL", required: true, "http or https; other schemes are refused."),
            ParameterDoc("method", "string", "GET (default), HEAD, OPTIONS or POST; PUT, PATCH and DELETE, which change what they reach on every run (and with samples, every sample), only with `allow_write: true`."),
            ParameterDoc("allow_write", "boolean", "Send PUT, PATCH or DELETE (default false), for a staging whose data may change."),
            ParameterDoc("headers", "mapping", "Request headers; write secrets as `${TOKEN}` so they stay in the environment."),
            ParameterDoc("body", "string", "The request body."),
            ParameterDoc("conditions", "list of conditions", "Placeholders: `[STATUS]`, `[HEADER].name`, `[BODY]` with a JSON path (`[BODY].data.me.id`, `[BODY].items.0`), `[RESPONSE_TIME]` (ms). Evaluated on the last sample; every condition is evaluated."),
            ParameterDoc("samples", "whole number", "Requests to time (default 1)."),
            ParameterDoc("warmup", "whole number", "Requests sent first and not timed (default 0)."),
            ParameterDoc("latency", "budget", "`p50`, `p95`, `p99` or `max`, `<`, milliseconds: `p95 < 2000`."),
            ParameterDoc("min_samples", "whole number", "Samples taken before sampling may stop early (default 1). Sampling stops as soon as the budget's verdict over all `samples` is certain whatever the rest would measure: a percentile here is the k-th smallest sample, so k samples under the limit keep it, and n − k + 1 at or over it break it."),
            ParameterDoc("request_timeout", "duration", "How long one request may take (default 10 s); the check's `timeout` bounds them all."),
            ParameterDoc("ca_bundle", "path", "A CA bundle to verify TLS with, instead of the system's. Without it, every kind that makes requests uses the bundle `SSL_CERT_FILE` or `CURL_CA_BUNDLE` names, when set (a staging signed by an internal CA)."),
            ParameterDoc("insecure", "boolean", "Skip TLS verification (default false); the report says so."),
        ],
        defaultTargets: [.staging],
        thresholds: ["conditions", "latency"],
        examples: [
            CheckExample("""
                kind: http
                url: ${SERVER_URL}/ok
                conditions:
                  - "[STATUS] == 200"
                  - "[HEADER].content-type == pat(application/json*)"
                  - '[BODY].data.me.id != ""'
                  - "len([BODY].items) > 0"
                  - "[RESPONSE_TIME] < 5000"
                """, needsHTTPServer: true, .passes),
            CheckExample("""
                kind: http
                url: ${SERVER_URL}/ok
                samples: 5
                warmup: 1
                latency: p95 < 5000
                """, needsHTTPServer: true, .passes),
            CheckExample("""
                kind: http
                url: ${SERVER_URL}/500
                conditions: ["[STATUS] == 200"]
                """, needsHTTPServer: true, .fails("[STATUS] (500) == 200")),
            CheckExample("""
                kind: http
                url: ${SERVER_URL}/ok
                conditions: ["[BODY].data.me.email == parents@nestsync.com"]
                """, needsHTTPServer: true, .fails("[BODY].data.me.email (missing) == parents@nestsync.com")),
            CheckExample("""
                kind: http
                url: ${SERVER_URL}/ok
                samples: 3
                latency: max < 0.001
                """, needsHTTPServer: true, .fails("ms) < 0.001 ms")),
            CheckExample("""
                kind: http
                url: ${SERVER_URL}/hang
                request_timeout: 1s
                """, needsHTTPServer: true, .errors("no response within 1 s")),
            CheckExample("""
                kind: http
                url: ${SERVER_URL}/gzip-bomb
                """, needsHTTPServer: true, .errors("larger than 10485760 bytes (after decoding)")),
            CheckExample("""
                kind: http
                url: http://127.0.0.1:1/health
                """, .errors("cannot connect to http://127.0.0.1:1/health")),
            CheckExample("""
                kind: http
                url: https://api.example.test/health
                conditions: ["[STAUTS] == 200"]
                """, .invalid("unknown placeholder [STAUTS]; did you mean [STATUS]?")),
            CheckExample("""
                kind: http
                url: https://api.example.test/health
                latency: p90 < 100
                """, .invalid("write a budget as p50, p95, p99 or max")),
            CheckExample("""
                kind: http
                url: https://staging.example.test/api/children/c1
                method: DELETE
                """, .invalid("DELETE changes what it reaches on every run")),
        ]
    )

    let request: HTTPRequest
    let conditions: [Condition]
    let samples: Int
    let warmup: Int
    let latency: LatencyBudget?

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        let url = try parameters.requiredString("url")
        var request = HTTPRequest(url: url)
        request.method = (try parameters.string("method") ?? "GET").uppercased()
        let allowWrite = try parameters.bool("allow_write") ?? false
        if ["PUT", "PATCH", "DELETE"].contains(request.method), !allowWrite {
            throw parameters.invalid("method", "\(request.method) changes what it reaches on every run; use GET for a health endpoint, or set `allow_write: true` for a staging whose data may change")
        }
        request.headers = try parameters.stringMap("headers")?.map { (name: $0.0, value: $0.1) } ?? []
        request.body = try parameters.string("body").map { Array($0.utf8) }
        request.timeout = try parameters.seconds("request_timeout") ?? 10
        request.caBundle = try parameters.string("ca_bundle")
        request.insecure = try parameters.bool("insecure") ?? false
        self.request = request
        conditions = try parameters.conditions("conditions", placeholders: Self.placeholders)
        samples = try parameters.wholeNumber("samples", default: 1, range: 1...1000)
        warmup = try parameters.wholeNumber("warmup", default: 0, range: 0...100)
        latency = try parameters.latencyBudget("latency")
        if !url.isEmpty, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw parameters.invalid("url", "\(HTTPCheck.schemeOnly(url)) is not an http or https URL")
        }
    }

    /// The last response, and the milliseconds each timed request took.
    struct Observation {
        let response: HTTPResponse
        let samples: [Double]
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> Observation {
        var request = self.request
        request.timeout = min(request.timeout, context.timeout)
        let target = HTTPClient.displayTarget(request.url)
        var timings: [Double] = []
        var last: HTTPResponse?
        do throws(HTTPError) {
            for _ in 0..<warmup { _ = try HTTPClient.perform(request) }
            for _ in 0..<samples {
                let response = try HTTPClient.perform(request)
                last = response
                if Self.notNow(response, target: target) != nil { break }
                timings.append(response.timings.total)
                if latency?.canStop(timings, planned: samples) == true { break }
            }
        } catch {
            throw Self.stop(error, timeout: request.timeout)
        }
        guard let last else { throw CheckStop(.errored("\(target): no request was made")) }
        if let stop = Self.notNow(last, target: target) { throw stop }
        return Observation(response: last, samples: timings)
    }

    /// A URL shown in a load-time error: its scheme only, since the rest may hold a password.
    static func schemeOnly(_ url: String) -> String {
        guard let separator = url.firstRange(of: "://") else { return "the value (no scheme://)" }
        let scheme = url[..<separator.lowerBound]
        return scheme.count <= 16 && scheme.allSatisfy({ $0.isLetter || $0.isNumber }) ? "'\(scheme)://…'" : "the value"
    }

    /// A transfer that failed ends the check as errored; retried only when it could go otherwise.
    static func stop(_ error: HTTPError, timeout: Double) -> CheckStop {
        var result = CheckResult.errored(message(error, timeout: timeout))
        result.retryable = error.mayPassOnRetry
        return CheckStop(result)
    }

    /// A status that means "not now" rather than "no": 429, or 503 with `Retry-After`. Such a
    /// response is errored (the check could not be evaluated) and retried after the wait asked.
    static func notNow(_ response: HTTPResponse, target: String) -> CheckStop? {
        let after = response.retryAfter(now: Date().timeIntervalSince1970)
        guard response.status == 429 || (response.status == 503 && after != nil) else { return nil }
        let reason = response.status == 429 ? "rate limited (HTTP 429)" : "unavailable for now (HTTP 503)"
        var result = CheckResult.errored("\(target): \(reason)\(after.map { "; Retry-After \(NumberText.number($0)) s" } ?? "")")
        result.retryAfter = after
        return CheckStop(result)
    }

    /// An HTTP status that means the endpoint does not answer as it should: errored, and retried
    /// only for a 5xx (or 408): a 4xx answers the same way again.
    static func statusStop(_ response: HTTPResponse, _ message: String) -> CheckStop {
        var result = CheckResult.errored(message)
        result.retryable = !(400..<500).contains(response.status) || response.status == 408
        return CheckStop(result)
    }

    static func message(_ error: HTTPError, timeout: Double) -> String {
        switch error.kind {
        case .refused: "cannot connect to \(error.target): connection refused (is the service running?)"
        case .dns: "cannot resolve the host of \(error.target)"
        case .timeout: "\(error.target): no response within \(NumberText.number(timeout)) s"
        case .tooSlow: "\(error.target): the server sends too slowly (\(error.message))"
        case .tooLarge: "\(error.target): \(error.message)"
        case .tooManyRedirects: "\(error.target): too many redirects (\(error.message))"
        case .tls: "\(error.target): TLS failed (\(error.message))"
        case .badURL: "\(error.target): \(error.message)"
        case .transport: "\(error.target): \(error.message)"
        }
    }

    /// The decision from the last response and the timed samples (milliseconds).
    func judge(_ observed: Observation) -> CheckResult {
        let (response, samples) = (observed.response, observed.samples)
        let document = conditions.contains { $0.placeholder.name == "BODY" && !$0.placeholder.path.isEmpty }
            ? JSONDocument.parse(response.body) : nil
        var texts: [(holds: Bool, text: String)] = conditions.map { $0.evaluate(resolve($0.placeholder, response, document)) }
        var measurements = [Measurement(name: "response_time", value: response.timings.total, unit: "ms")]
        if let latency {
            let judged = latency.judge(samples, planned: self.samples)
            texts.append((judged.holds, judged.text))
        }
        if samples.count > 1 {
            for statistic in LatencyBudget.Statistic.allCases {
                measurements.append(Measurement(name: "latency_\(statistic.rawValue)", value: LatencyBudget.measure(statistic, samples), unit: "ms",
                                                limit: latency?.statistic == statistic ? latency?.limit : nil))
            }
        }
        let failing = texts.filter { !$0.holds }.map(\.text)
        let tls = request.insecure ? " (TLS verification off)" : ""
        var result = failing.isEmpty
            ? CheckResult.passed((texts.isEmpty ? "[STATUS] (\(response.status))" : texts.map(\.text).joined(separator: ", ")) + tls)
            : CheckResult.failed(failing.joined(separator: ", ") + tls)
        result.details = texts.map { ($0.holds ? "✓ " : "✗ ") + $0.text }
        result.measurements = measurements
        return result
    }

    private func resolve(_ placeholder: Condition.Placeholder, _ response: HTTPResponse, _ document: JSONDocument?) -> Condition.Value {
        switch placeholder.name {
        case "STATUS": return .number(Double(response.status))
        case "RESPONSE_TIME": return .number(NumberText.tenths(response.timings.total))
        case "HEADER":
            guard let name = placeholder.path.first, let value = response.header(name) else { return .missing }
            return placeholder.length ? .number(Double(value.count)) : .string(value)
        default:
            guard !placeholder.path.isEmpty else {
                let text = String(decoding: response.body, as: UTF8.self)
                return placeholder.length ? .number(Double(response.body.count)) : .string(text)
            }
            guard let document else {
                return .unavailable("the body is not JSON: \(response.header("content-type") ?? "no content type"), \(response.body.count) bytes")
            }
            guard let value = document.value(at: placeholder.path) else { return .missing }
            return value.conditionValue(length: placeholder.length)
        }
    }
}
