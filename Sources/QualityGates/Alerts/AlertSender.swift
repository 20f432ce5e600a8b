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
    /// `trigger`, `resolve`, or `digest` (the daily digest, its lines in `message`).
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
        var lines = [action == "digest" ? "[\(severity.rawValue)] \(title)" : "[\(severity.rawValue)] \(title) (\(gate)): \(state)", message]
        if !responseTime.isEmpty { lines.append("Respond \(responseTime); \(escalation)") }
        if !runbook.isEmpty {
            lines.append("Immediate actions:")
            lines += runbook.enumerated().map { "\($0.offset + 1). \($0.element)" }
        }
        return lines.joined(separator: "\n")
    }

    /// The subject line of an email: severity, title and state.
    public var subject: String {
        action == "digest" ? "[\(severity.rawValue)] \(title)" : "[\(severity.rawValue)] \(title): \(state)"
    }

    private var state: String { action == "resolve" ? "resolved" : "failing" }

    /// The alert as the outbox keeps it.
    public var encoded: String {
        JSONValue.object([
            ("gate", .string(gate)), ("title", .string(title)), ("severity", .string(severity.rawValue)),
            ("response_time", .string(responseTime)), ("escalation", .string(escalation)), ("action", .string(action)),
            ("message", .string(message)), ("runbook", .array(runbook.map(JSONValue.string))),
        ]).serialized(compact: true)
    }

    /// An alert the outbox kept; nil when the text is not one.
    public init?(encoded: String) {
        guard let document = JSONDocument.parse(Array(encoded.utf8)) else { return nil }
        func text(_ key: String) -> String? { document.value(at: [key])?.stringValue }
        guard let gate = text("gate"), let title = text("title"), let severity = text("severity").flatMap(Severity.init(rawValue:)),
              let action = text("action"), let message = text("message") else { return nil }
        var runbook: [String] = []
        if case .array(let items)? = document.value(at: ["runbook"]) { runbook = items.compactMap(\.stringValue) }
        self.init(gate: gate, title: title, severity: severity, responseTime: text("response_time") ?? "", escalation: text("escalation") ?? "",
                  action: action, message: message, runbook: runbook)
    }
}

/// Sends alerts through a channel with libcurl, and says what the receiver answered.
public enum AlertSender {
    public struct Delivery: Sendable {
        /// HTTP's status, or the SMTP server's last reply code.
        public let status: Int
        public let body: String
        /// `HTTP` or `SMTP`: what `status` is a code of.
        public var via = "HTTP"
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
        if channel.kind == .email {
            return try sendMail(alert, via: channel, expand: expand, timeout: timeout)
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
        case .email:
            preconditionFailure("email is sent by sendMail")
        case .pagerduty:
            let severity = switch alert.severity {
            case .p0: "critical"
            case .p1: "error"
            case .p2: "warning"
            case .p3: "info"
            }
            body = .object([
                ("routing_key", .string(try expand(channel.routingKey.map(YAMLScalarBox.init)) ?? "")),
                ("event_action", .string(alert.action == "resolve" ? "resolve" : "trigger")),
                ("dedup_key", .string("quality-gates/\(alert.gate)")),
                ("payload", .object([
                    ("summary", .string(String("[\(alert.severity.rawValue)] \(alert.title): \(alert.message)".prefix(1024)))),
                    ("source", .string("quality-gates")), ("severity", .string(severity)),
                    ("custom_details", .object([("text", .string(alert.text))])),
                ])),
            ])
        }
        var request = HTTPRequest(method: "POST", url: url, headers: headers, body: body.bytes(compact: true))
        request.timeout = timeout
        do throws(HTTPError) {
            let response = try HTTPClient.perform(request)
            return Delivery(status: response.status, body: String(decoding: response.body.prefix(500), as: UTF8.self))
        } catch {
            throw Failure(description: "channel '\(channel.name)' (\(HTTPClient.displayTarget(url))): \(error)")
        }
    }
}

extension AlertSender {
    /// Sends `alert` as one email to every recipient of `channel`.
    static func sendMail(_ alert: Alert, via channel: AlertPolicy.Channel, expand: (YAMLScalarBox?) throws(Failure) -> String?,
                         timeout: Double) throws(Failure) -> Delivery {
        let url = try expand(channel.url.map(YAMLScalarBox.init)) ?? ""
        var recipients: [String] = []
        for address in channel.to { recipients.append(try expand(YAMLScalarBox(address)) ?? "") }
        var message = MailMessage(url: url, from: try expand(channel.from.map(YAMLScalarBox.init)) ?? "", to: recipients,
                                  subject: alert.subject, body: alert.text)
        message.username = try expand(channel.username.map(YAMLScalarBox.init))
        message.password = try expand(channel.password.map(YAMLScalarBox.init))
        message.startTLS = url.hasPrefix("smtps://") ? "off" : channel.startTLS.rawValue
        message.caBundle = try expand(channel.caFile.map(YAMLScalarBox.init))
        message.timeout = timeout
        do throws(HTTPError) {
            let reply = try MailClient.send(message, date: Timestamp.rfc5322(Date()))
            return Delivery(status: Int(reply) ?? 250, body: "accepted for \(recipients.count) recipient\(recipients.count == 1 ? "" : "s")", via: "SMTP")
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
