import YAMLReader

/// Where alerts go: the `alerts:` section of a gate file. Channels by name (a Slack-compatible
/// incoming webhook, a generic JSON webhook, PagerDuty's Events API v2) and the route of each
/// severity. Values are kept as written and expanded when an alert is sent, so a run that sends
/// none does not need the variables set.
///
/// ```yaml
/// alerts:
///   channels:
///     chat: {kind: slack, url: "${SLACK_WEBHOOK_URL}"}
///     pager: {kind: pagerduty, routing_key: "${PAGERDUTY_ROUTING_KEY}"}
///   route: {P0: [pager, chat], P1: [chat]}
/// ```
public struct AlertPolicy: Sendable {
    public struct Channel: Sendable {
        public enum Kind: String, Sendable, CaseIterable { case slack, webhook, pagerduty }
        public let name: String
        public let kind: Kind
        let url: YAMLScalar?
        let routingKey: YAMLScalar?
        let headers: [(String, YAMLScalar)]
        public let location: SourceLocation
    }

    public let channels: [String: Channel]
    /// The channels of each severity, in order.
    public let route: [Severity: [String]]
    /// The file the section was read from.
    public let file: String
    /// Seconds after which an incident still open alerts again (`repeat_after`); nil: never.
    public var repeatAfter: Double? = nil
    /// Passing runs in a row before an incident resolves (`success_threshold`, default 1).
    public var successThreshold = 1

    /// PagerDuty's Events API v2.
    static let pagerDutyURL = "https://events.pagerduty.com/v2/enqueue"

    /// The runbook's policy, when `route` is not given: P0 pages and posts to chat, P1 goes to chat
    /// (and the webhook), P2 to the webhook; P3 waits for a digest.
    static func defaultRoute(_ channels: [String: Channel]) -> [Severity: [String]] {
        func named(_ kinds: Set<Channel.Kind>) -> [String] { channels.values.filter { kinds.contains($0.kind) }.map(\.name).sorted() }
        return [.p0: named([.pagerduty, .slack]), .p1: named([.slack, .webhook]), .p2: named([.webhook]), .p3: []]
    }

    /// Reads the section; every problem is a ConfigError at its place.
    static func read(_ node: YAMLNode, file: String) throws(ConfigError) -> AlertPolicy {
        let section = try MappingReader(node, file: file, what: "alerts")
        var errors = section.unknownKeys(allowed: ["channels", "route", "repeat_after", "success_threshold"])
        if let first = errors.first { throw first }
        guard let channelsNode = section.node("channels") else {
            throw ConfigError(.missingKey("channels"), at: SourceLocation(file: file, mark: node.mark))
        }
        let channelsMap = try MappingReader(channelsNode, file: file, what: "alerts.channels")
        var channels: [String: Channel] = [:]
        for pair in channelsMap.pairs {
            let name = pair.key.value
            let place = SourceLocation(file: file, mark: pair.key.mark)
            let fields = try MappingReader(pair.value, file: file, what: "channel '\(name)'")
            errors = fields.unknownKeys(allowed: ["kind", "url", "routing_key", "headers"])
            if let first = errors.first { throw first }
            let kindText = try fields.requiredString("kind", at: place)
            guard let kind = Channel.Kind(rawValue: kindText) else {
                throw ConfigError(.invalidValue(key: "kind", reason: "'\(kindText)' is not one of \(Channel.Kind.allCases.map(\.rawValue).joined(separator: ", "))"),
                                  at: fields.location("kind") ?? place)
            }
            func scalar(_ key: String) throws(ConfigError) -> YAMLScalar? {
                guard let value = fields.node(key) else { return nil }
                guard case .scalar(let scalar) = value, !scalar.isNull else {
                    throw ConfigError(.wrongType(key: key, expected: "a string", found: value.shapeName), at: fields.location(key) ?? place)
                }
                return scalar
            }
            let url = try scalar("url")
            let routingKey = try scalar("routing_key")
            if kind != .pagerduty, url == nil { throw ConfigError(.missingKey("url"), at: place) }
            if kind == .pagerduty, routingKey == nil { throw ConfigError(.missingKey("routing_key"), at: place) }
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
            channels[name] = Channel(name: name, kind: kind, url: url, routingKey: routingKey, headers: headers, location: place)
        }
        guard !channels.isEmpty else { throw ConfigError(.invalidValue(key: "channels", reason: "name at least one channel"), at: section.location("channels")) }
        var route = defaultRoute(channels)
        if let routeNode = section.node("route") {
            let map = try MappingReader(routeNode, file: file, what: "alerts.route")
            for pair in map.pairs {
                let place = SourceLocation(file: file, mark: pair.key.mark)
                guard let severity = Severity(rawValue: pair.key.value.uppercased()) else {
                    throw ConfigError(.invalidValue(key: "route", reason: "'\(pair.key.value)' is not one of P0, P1, P2, P3"), at: place)
                }
                var names: [String] = []
                switch pair.value {
                case .scalar(let scalar) where !scalar.isNull: names = [scalar.value]
                case .scalar: names = []
                case .sequence(let items, _):
                    for item in items {
                        guard case .scalar(let scalar) = item else {
                            throw ConfigError(.wrongType(key: pair.key.value, expected: "a list of channel names", found: item.shapeName), at: place)
                        }
                        names.append(scalar.value)
                    }
                default:
                    throw ConfigError(.wrongType(key: pair.key.value, expected: "a list of channel names", found: pair.value.shapeName), at: place)
                }
                for name in names where channels[name] == nil {
                    let hint = Suggestion.closest(to: name, in: Array(channels.keys)).map { "; did you mean '\($0)'?" } ?? ""
                    throw ConfigError(.invalidValue(key: "route", reason: "\(pair.key.value) names no channel '\(name)'\(hint)"), at: place)
                }
                route[severity] = names
            }
        }
        var policy = AlertPolicy(channels: channels, route: route, file: file)
        if let text = try section.string("repeat_after") {
            guard let seconds = DurationText.seconds(text), seconds >= 1 else {
                throw ConfigError(.invalidValue(key: "repeat_after", reason: "'\(text)': a duration such as 30m, 1h or 1d"), at: section.location("repeat_after"))
            }
            policy.repeatAfter = seconds
        }
        if let text = try section.string("success_threshold") {
            guard let count = Int(text), count >= 1, count <= 100 else {
                throw ConfigError(.invalidValue(key: "success_threshold", reason: "'\(text)': a whole number from 1 to 100"),
                                  at: section.location("success_threshold"))
            }
            policy.successThreshold = count
        }
        return policy
    }
}
