import YAMLReader

/// One place alerts go, as the `alerts.channels` section names it. Values stay as written
/// (`${SLACK_WEBHOOK_URL}`) and are expanded when an alert is sent.
///
/// ```yaml
/// chat: {kind: slack, url: "${SLACK_WEBHOOK_URL}", rate_limit: 20/h}
/// hook: {kind: webhook, url: "https://ops.example.ca/hooks/qg", headers: {Authorization: "Bearer ${HOOK_TOKEN}"}}
/// pager: {kind: pagerduty, routing_key: "${PAGERDUTY_ROUTING_KEY}"}
/// email: {kind: email, url: "smtp://smtp.example.ca:587", from: qg@example.ca, to: [oncall@example.ca, dev@example.ca],
///         username: qg, password: "${SMTP_PASSWORD}"}
/// ```
public struct AlertChannel: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case slack, webhook, pagerduty, email }
    /// How an email channel secures its connection: STARTTLS required (the default for smtp://),
    /// tried when the server offers it, or never. An smtps:// URL is TLS from the first byte.
    public enum StartTLS: String, Sendable, CaseIterable { case required, optional, off }

    public let name: String
    public let kind: Kind
    let url: YAMLScalar?
    let routingKey: YAMLScalar?
    let headers: [(String, YAMLScalar)]
    let from: YAMLScalar?
    let to: [YAMLScalar]
    let username: YAMLScalar?
    let password: YAMLScalar?
    let startTLS: StartTLS
    let caFile: YAMLScalar?
    /// At most `count` alerts each `seconds`; the rest wait for a slot (they are not dropped).
    public let rateLimit: (count: Int, seconds: Double)
    public let location: SourceLocation

    /// Twenty alerts an hour a channel, when `rate_limit` is not given.
    static let defaultRateLimit = (count: 20, seconds: 3600.0)

    static let keys = ["kind", "url", "routing_key", "headers", "from", "to", "username", "password", "starttls", "ca_file", "rate_limit"]

    /// Reads one channel; every problem is a ConfigError at its place.
    static func read(name: String, _ node: YAMLNode, at place: SourceLocation, file: String) throws(ConfigError) -> AlertChannel {
        let fields = try MappingReader(node, file: file, what: "channel '\(name)'")
        if let first = fields.unknownKeys(allowed: keys).first { throw first }
        let kindText = try fields.requiredString("kind", at: place)
        guard let kind = Kind(rawValue: kindText) else {
            throw ConfigError(.invalidValue(key: "kind", reason: "'\(kindText)' is not one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))"),
                              at: fields.location("kind") ?? place)
        }
        func scalar(_ key: String) throws(ConfigError) -> YAMLScalar? {
            guard let value = fields.node(key) else { return nil }
            guard case .scalar(let scalar) = value, !scalar.isNull else {
                throw ConfigError(.wrongType(key: key, expected: "a string", found: value.shapeName), at: fields.location(key) ?? place)
            }
            return scalar
        }
        func required(_ key: String) throws(ConfigError) -> YAMLScalar {
            guard let value = try scalar(key) else { throw ConfigError(.missingKey(key), at: place) }
            return value
        }
        let allowed: Set<String> = switch kind {
        case .slack: ["url"]
        case .webhook: ["url", "headers"]
        case .pagerduty: ["routing_key", "url"]
        case .email: ["url", "from", "to", "username", "password", "starttls", "ca_file"]
        }
        for key in keys where !["kind", "rate_limit"].contains(key) && !allowed.contains(key) && fields.node(key) != nil {
            throw ConfigError(.invalidValue(key: key, reason: "a \(kind.rawValue) channel takes \(allowed.sorted().joined(separator: ", "))"),
                              at: fields.location(key) ?? place)
        }
        let url = kind == .pagerduty ? try scalar("url") : try required("url")
        if kind == .email, let url, !url.value.contains("${"), !(url.value.hasPrefix("smtp://") || url.value.hasPrefix("smtps://")) {
            throw ConfigError(.invalidValue(key: "url", reason: "'\(url.value)': an smtp://host:port or smtps://host:port URL"),
                              at: fields.location("url") ?? place)
        }
        var headers: [(String, YAMLScalar)] = []
        if let headersNode = fields.node("headers") {
            let map = try MappingReader(headersNode, file: file, what: "headers")
            for header in map.pairs {
                guard case .scalar(let value) = header.value else {
                    throw ConfigError(.wrongType(key: header.key.value, expected: "a string", found: header.value.shapeName),
                                      at: SourceLocation(file: file, mark: header.key.mark))
                }
                headers.append((header.key.value, value))
            }
        }
        var to: [YAMLScalar] = []
        if kind == .email {
            switch fields.node("to") {
            case .scalar(let scalar)? where !scalar.isNull: to = [scalar]
            case .sequence(let items, _)?:
                for item in items {
                    guard case .scalar(let scalar) = item, !scalar.isNull else {
                        throw ConfigError(.wrongType(key: "to", expected: "a list of addresses", found: item.shapeName), at: fields.location("to") ?? place)
                    }
                    to.append(scalar)
                }
            case nil: throw ConfigError(.missingKey("to"), at: place)
            case let other?: throw ConfigError(.wrongType(key: "to", expected: "a list of addresses", found: other.shapeName), at: fields.location("to") ?? place)
            }
            guard !to.isEmpty else { throw ConfigError(.invalidValue(key: "to", reason: "name at least one recipient"), at: fields.location("to") ?? place) }
        }
        var startTLS = StartTLS.required
        if let text = try fields.string("starttls") {
            guard let value = StartTLS(rawValue: text) else {
                throw ConfigError(.invalidValue(key: "starttls", reason: "'\(text)' is not one of required, optional, off"), at: fields.location("starttls") ?? place)
            }
            startTLS = value
        }
        let password = try scalar("password")
        if kind == .email, password != nil, try scalar("username") == nil {
            throw ConfigError(.missingKey("username"), at: fields.location("password") ?? place)
        }
        var rateLimit = defaultRateLimit
        if let text = try fields.string("rate_limit") {
            guard let parsed = parseRate(text) else {
                throw ConfigError(.invalidValue(key: "rate_limit", reason: "'\(text)': alerts per period, such as 20/h, 5/10m or 100/d"),
                                  at: fields.location("rate_limit") ?? place)
            }
            rateLimit = parsed
        }
        return AlertChannel(name: name, kind: kind, url: url, routingKey: kind == .pagerduty ? try required("routing_key") : nil, headers: headers,
                            from: kind == .email ? try required("from") : nil, to: to, username: try scalar("username"), password: password,
                            startTLS: startTLS, caFile: try scalar("ca_file"), rateLimit: rateLimit, location: place)
    }

    /// `20/h`, `5/10m`, `100/d`: a count and a period (a bare unit is one of it).
    static func parseRate(_ text: String) -> (count: Int, seconds: Double)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0].trimmingCharacters(in: " ")), count >= 1 else { return nil }
        let period = parts[1].trimmingCharacters(in: " ")
        guard let seconds = DurationText.seconds(period.first?.isNumber == true ? period : "1" + period), seconds >= 1 else { return nil }
        return (count, seconds)
    }

    /// The `${NAME}` variables the channel's values read: they become secrets of every output.
    var variables: Set<String> {
        let values = [url, routingKey, from, username, password, caFile].compactMap { $0 } + headers.map(\.1) + to
        return values.reduce(into: []) { $0.formUnion(AlertSender.variables(in: $1.value)) }
    }
}
