import YAMLReader

/// Where alerts go: the `alerts:` section of a gate file. Channels by name (a Slack-compatible
/// incoming webhook, a generic JSON webhook, PagerDuty's Events API v2, email over SMTP), the
/// route of each severity, how failed sends are retried, and the daily digest. Values are kept as written and expanded when an alert is sent, so a run that sends
/// none does not need the variables set.
///
/// ```yaml
/// alerts:
///   channels:
///     chat: {kind: slack, url: "${SLACK_WEBHOOK_URL}"}
///     pager: {kind: pagerduty, routing_key: "${PAGERDUTY_ROUTING_KEY}"}
///   route: {P0: [pager, chat], P1: [chat]}
///   retries: 5          # after the first attempt; the wait doubles from `backoff`
///   backoff: 30s
///   digest: {at: "08:00", channels: [email]}   # UTC; P3 incidents and the day's resolutions
/// ```
public struct AlertPolicy: Sendable {
    public typealias Channel = AlertChannel

    public let channels: [String: Channel]
    /// The channels of each severity, in order.
    public let route: [Severity: [String]]
    /// The file the section was read from.
    public let file: String
    /// Seconds after which an incident still open alerts again (`repeat_after`); nil: never.
    public var repeatAfter: Double? = nil
    /// Passing runs in a row before an incident resolves (`success_threshold`, default 1).
    public var successThreshold = 1
    /// Attempts after the first before an alert is given up as undeliverable.
    public var retries = 5
    /// The wait before the first retry; each next one waits twice as long (at most an hour).
    public var backoff = 30.0
    /// Seconds a receiver has to answer one attempt.
    public var timeout = 10.0
    /// The daily digest: seconds after midnight UTC, and its channels; nil: no digest (P3 incidents
    /// are then routed as `route` says).
    public var digest: (at: Double, channels: [String])? = nil

    /// PagerDuty's Events API v2.
    static let pagerDutyURL = "https://events.pagerduty.com/v2/enqueue"

    /// The runbook's policy, when `route` is not given: P0 pages and posts to chat, P1 goes to chat
    /// and email (and the webhook), P2 to email and the webhook; P3 waits for the digest.
    static func defaultRoute(_ channels: [String: Channel]) -> [Severity: [String]] {
        func named(_ kinds: Set<Channel.Kind>) -> [String] { channels.values.filter { kinds.contains($0.kind) }.map(\.name).sorted() }
        return [.p0: named([.pagerduty, .slack]), .p1: named([.slack, .email, .webhook]), .p2: named([.email, .webhook]), .p3: []]
    }

    /// The wait before retry number `attempt` (1 for the first retry).
    func backoff(attempt: Int) -> Double { min(3600, backoff * Double(1 << min(max(attempt - 1, 0), 20))) }

    /// Reads the section; every problem is a ConfigError at its place.
    static func read(_ node: YAMLNode, file: String) throws(ConfigError) -> AlertPolicy {
        let section = try MappingReader(node, file: file, what: "alerts")
        let errors = section.unknownKeys(allowed: ["channels", "route", "repeat_after", "success_threshold", "retries", "backoff", "timeout", "digest"])
        if let first = errors.first { throw first }
        guard let channelsNode = section.node("channels") else {
            throw ConfigError(.missingKey("channels"), at: SourceLocation(file: file, mark: node.mark))
        }
        let channelsMap = try MappingReader(channelsNode, file: file, what: "alerts.channels")
        var channels: [String: Channel] = [:]
        for pair in channelsMap.pairs {
            channels[pair.key.value] = try Channel.read(name: pair.key.value, pair.value, at: SourceLocation(file: file, mark: pair.key.mark), file: file)
        }
        guard !channels.isEmpty else { throw ConfigError(.invalidValue(key: "channels", reason: "name at least one channel"), at: section.location("channels")) }
        func channelNames(_ value: YAMLNode, key: String, label: String, at place: SourceLocation) throws(ConfigError) -> [String] {
            var names: [String] = []
            switch value {
            case .scalar(let scalar) where !scalar.isNull: names = [scalar.value]
            case .scalar: names = []
            case .sequence(let items, _):
                for item in items {
                    guard case .scalar(let scalar) = item else {
                        throw ConfigError(.wrongType(key: key, expected: "a list of channel names", found: item.shapeName), at: place)
                    }
                    names.append(scalar.value)
                }
            default:
                throw ConfigError(.wrongType(key: key, expected: "a list of channel names", found: value.shapeName), at: place)
            }
            for name in names where channels[name] == nil {
                let hint = Suggestion.closest(to: name, in: Array(channels.keys)).map { "; did you mean '\($0)'?" } ?? ""
                throw ConfigError(.invalidValue(key: key, reason: "\(label) names no channel '\(name)'\(hint)"), at: place)
            }
            return names
        }
        var route = defaultRoute(channels)
        if let routeNode = section.node("route") {
            let map = try MappingReader(routeNode, file: file, what: "alerts.route")
            for pair in map.pairs {
                let place = SourceLocation(file: file, mark: pair.key.mark)
                guard let severity = Severity(rawValue: pair.key.value.uppercased()) else {
                    throw ConfigError(.invalidValue(key: "route", reason: "'\(pair.key.value)' is not one of P0, P1, P2, P3"), at: place)
                }
                route[severity] = try channelNames(pair.value, key: "route", label: pair.key.value, at: place)
            }
        }
        var policy = AlertPolicy(channels: channels, route: route, file: file)
        func duration(_ key: String, atLeast minimum: Double) throws(ConfigError) -> Double? {
            guard let text = try section.string(key) else { return nil }
            guard let seconds = DurationText.seconds(text), seconds >= minimum else {
                throw ConfigError(.invalidValue(key: key, reason: "'\(text)': a duration such as 30s, 30m, 1h or 1d"), at: section.location(key))
            }
            return seconds
        }
        func count(_ key: String, _ range: ClosedRange<Int>) throws(ConfigError) -> Int? {
            guard let text = try section.string(key) else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw ConfigError(.invalidValue(key: key, reason: "'\(text)': a whole number from \(range.lowerBound) to \(range.upperBound)"),
                                  at: section.location(key))
            }
            return value
        }
        policy.repeatAfter = try duration("repeat_after", atLeast: 1)
        policy.successThreshold = try count("success_threshold", 1...100) ?? 1
        policy.retries = try count("retries", 0...20) ?? policy.retries
        policy.backoff = try duration("backoff", atLeast: 0.1) ?? policy.backoff
        policy.timeout = try duration("timeout", atLeast: 0.1) ?? policy.timeout
        if let digestNode = section.node("digest") {
            let place = section.location("digest") ?? SourceLocation(file: file, mark: digestNode.mark)
            let digest = try MappingReader(digestNode, file: file, what: "alerts.digest")
            if let first = digest.unknownKeys(allowed: ["at", "channels"]).first { throw first }
            let at = try digest.requiredString("at", at: place)
            guard let seconds = timeOfDay(at) else {
                throw ConfigError(.invalidValue(key: "at", reason: "'\(at)': a time of day in UTC, HH:MM or HH:MM:SS"), at: digest.location("at") ?? place)
            }
            guard let channelsNode = digest.node("channels") else { throw ConfigError(.missingKey("channels"), at: place) }
            let names = try channelNames(channelsNode, key: "digest", label: "channels", at: digest.location("channels") ?? place)
            guard !names.isEmpty else { throw ConfigError(.invalidValue(key: "digest.channels", reason: "name at least one channel"), at: place) }
            policy.digest = (seconds, names)
        }
        return policy
    }

    /// `08:00` or `08:00:30` as seconds after midnight.
    static func timeOfDay(_ text: String) -> Double? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil }) else { return nil }
        let (hours, minutes, seconds) = (parts[0]!, parts[1]!, parts.count == 3 ? parts[2]! : 0)
        guard (0..<24).contains(hours), (0..<60).contains(minutes), (0..<60).contains(seconds) else { return nil }
        return Double(hours * 3600 + minutes * 60 + seconds)
    }

    /// The `${NAME}` variables the channels read: secrets of every output.
    var variables: Set<String> { channels.values.reduce(into: []) { $0.formUnion($1.variables) } }
}
