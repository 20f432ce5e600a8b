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
            ParameterDoc("method", "string", "GET (default), POST, PUT, …"),
            ParameterDoc("headers", "mapping", "Request headers; write secrets as `${TOKEN}` so they stay in the environment."),
            ParameterDoc("body", "string", "The request body."),
            ParameterDoc("conditions", "list of conditions", "Placeholders: `[STATUS]`, `[HEADER].name`, `[BODY]` with a JSON path (`[BODY].data.me.id`, `[BODY].items.0`), `[RESPONSE_TIME]` (ms). Evaluated on the last sample; every condition is evaluated."),
            ParameterDoc("samples", "whole number", "Requests to time (default 1)."),
            ParameterDoc("warmup", "whole number", "Requests sent first and not timed (default 0)."),
            ParameterDoc("latency", "budget", "`p50`, `p95`, `p99` or `max`, `<`, milliseconds: `p95 < 2000`."),
            ParameterDoc("request_timeout", "duration", "How long one request may take (default 10 s); the check's `timeout` bounds them all."),
            ParameterDoc("ca_bundle", "path", "A CA bundle to verify TLS with, instead of the system's."),
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
            throw parameters.invalid("url", "'\(url)' is not an http or https URL")
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
        do {
            for _ in 0..<warmup { _ = try HTTPClient.perform(request) }
            var timings: [Double] = []
            var last: HTTPResponse?
            for _ in 0..<samples {
                let response = try HTTPClient.perform(request)
                timings.append(response.timings.total)
                last = response
                if latency?.isBroken(timings, planned: samples) == true { break }
            }
            return Observation(response: last!, samples: timings)
        } catch {
            throw CheckStop(.errored(Self.message(error, timeout: request.timeout)))
        }
    }

    static func message(_ error: HTTPError, timeout: Double) -> String {
        switch error.kind {
        case .refused: "cannot connect to \(error.target): connection refused (is the service running?)"
        case .dns: "cannot resolve the host of \(error.target)"
        case .timeout: "\(error.target): no response within \(Condition.Value.number(timeout)) s"
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
            let judged = latency.judge(samples)
            let stopped = samples.count < self.samples ? " (stopped after \(samples.count) of \(self.samples): the budget could no longer be met)" : ""
            texts.append((judged.holds, judged.text + stopped))
        }
        if samples.count > 1 {
            for statistic in LatencyBudget.Statistic.allCases {
                measurements.append(Measurement(name: "latency_\(statistic.rawValue)", value: LatencyBudget.measure(statistic, samples), unit: "ms"))
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
        case "RESPONSE_TIME": return .number((response.timings.total * 10).rounded() / 10)
        case "HEADER":
            guard let name = placeholder.path.first, let value = response.header(name) else { return .missing }
            return placeholder.length ? .number(Double(value.count)) : .string(value)
        default:
            guard !placeholder.path.isEmpty else {
                let text = String(decoding: response.body, as: UTF8.self)
                return placeholder.length ? .number(Double(response.body.count)) : .string(text)
            }
            guard let value = document?.value(at: placeholder.path) else { return .missing }
            return value.conditionValue(length: placeholder.length)
        }
    }
}
