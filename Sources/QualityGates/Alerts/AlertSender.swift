import FoundationEssentials
import HTTPClient
import JSON
import YAMLReader

/// One alert: a gate's failure (or its resolution), with what a responder needs, as plain text.
public struct Alert: Sendable {
    public var gate: String
    public var title: String
    public var severity: Severity
    public var responseTime: String
    public var escalation: String
    /// `trigger` or `resolve`.
    public var action: String
    /// The failure with its resolved values.
    public var message: String
    public var runbook: [String]

    public init(gate: String, title: String, severity: Severity, responseTime: String, escalation: String,
                action: String = "trigger", message: String, runbook: [String]) {
        self.gate = gate
        self.title = title
        self.severity = severity
        self.responseTime = responseTime
        self.escalation = escalation
        self.action = action
        self.message = message
        self.runbook = runbook
    }

    /// The body every channel carries: no links, no markup.
    public var text: String {
        var lines = ["[\(severity.rawValue)] \(title) (\(gate)): \(action == "resolve" ? "resolved" : "failing")", message]
        if !responseTime.isEmpty { lines.append("Respond \(responseTime); \(escalation)") }
        if !runbook.isEmpty {
            lines.append("Immediate actions:")
            lines += runbook.enumerated().map { "\($0.offset + 1). \($0.element)" }
        }
        return lines.joined(separator: "\n")
    }
}

/// Sends alerts through a channel with libcurl, and says what the receiver answered.
public enum AlertSender {
    public struct Delivery: Sendable {
        public let status: Int
        public let body: String
        public var delivered: Bool { (200..<300).contains(status) }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The `${NAME}` variables a value reads.
    static func variables(in text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${") {
            rest = rest[open.upperBound...]
            guard let close = rest.firstIndex(of: "}") else { break }
            let name = rest[..<close].prefix { $0 != ":" && $0 != "-" }
            if !name.isEmpty { names.insert(String(name)) }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// Sends `alert` through `channel`, its values expanded from `environment`.
    public static func send(_ alert: Alert, via channel: AlertPolicy.Channel, file: String, environment: Environment,
                            timeout: Double = 10) throws(Failure) -> Delivery {
        let interpolator = Interpolator(environment: environment)
        func expand(_ scalar: YAMLScalarBox?) throws(Failure) -> String? {
            guard let scalar = scalar?.value else { return nil }
            do {
                return try interpolator.expand(scalar, file: file, mode: .strict)
            } catch {
                throw Failure(description: "channel '\(channel.name)': \(error.description)")
            }
        }
        let url = try expand(channel.url.map(YAMLScalarBox.init)) ?? AlertPolicy.pagerDutyURL
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        for (name, value) in channel.headers { headers.append((name, try expand(YAMLScalarBox(value)) ?? "")) }
        let body: JSONValue
        switch channel.kind {
        case .slack:
            body = .object([("text", .string(alert.text))])
        case .webhook:
            body = .object([
                ("gate", .string(alert.gate)), ("title", .string(alert.title)), ("severity", .string(alert.severity.rawValue)),
                ("action", .string(alert.action)), ("message", .string(alert.message)),
                ("response_time", .string(alert.responseTime)), ("escalation", .string(alert.escalation)),
                ("runbook", .array(alert.runbook.map(JSONValue.string))), ("text", .string(alert.text)),
            ])
        case .pagerduty:
            let severity = switch alert.severity {
            case .p0: "critical"
            case .p1: "error"
            case .p2: "warning"
            case .p3: "info"
            }
            body = .object([
                ("routing_key", .string(try expand(channel.routingKey.map(YAMLScalarBox.init)) ?? "")),
                ("event_action", .string(alert.action)),
                ("dedup_key", .string("quality-gates/\(alert.gate)")),
                ("payload", .object([
                    ("summary", .string(String("[\(alert.severity.rawValue)] \(alert.title): \(alert.message)".prefix(1024)))),
                    ("source", .string("quality-gates")), ("severity", .string(severity)),
                    ("custom_details", .object([("text", .string(alert.text))])),
                ])),
            ])
        }
        var request = HTTPRequest(method: "POST", url: url, headers: headers, body: Array(body.serialized(compact: true).utf8))
        request.timeout = timeout
        do throws(HTTPError) {
            let response = try HTTPClient.perform(request)
            return Delivery(status: response.status, body: String(decoding: response.body.prefix(500), as: UTF8.self))
        } catch {
            throw Failure(description: "channel '\(channel.name)' (\(HTTPClient.displayTarget(url))): \(error)")
        }
    }
}

/// A YAML scalar passed through the sender's expansion (keeps the signatures short).
struct YAMLScalarBox {
    let value: YAMLScalar
    init(_ value: YAMLScalar) { self.value = value }
}
