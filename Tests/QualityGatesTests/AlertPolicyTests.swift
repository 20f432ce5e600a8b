@testable import QualityGates
import Testing
import TestSupport
import YAMLReader

/// The `alerts:` section's new keys read as documented, and the pure parts of watching: rates,
/// times of day, the digest's next time, the health thresholds, the exposition format's escapes.
struct AlertPolicyTests {
    static func policy(_ text: String) throws(ConfigError) -> AlertPolicy {
        let node = try! YAMLReader.read(Array(text.utf8))!
        guard case .mapping(let pairs, _) = node, let section = pairs.first(where: { $0.key.value == "alerts" })?.value else {
            preconditionFailure("no alerts section")
        }
        return try AlertPolicy.read(section, file: "alerts.yml")
    }

    @Test("email, rate limits, retries, backoff, timeout and the digest read as written; defaults otherwise")
    func reads() throws {
        let policy = try Self.policy("""
            alerts:
              channels:
                mail: {kind: email, url: "smtp://127.0.0.1:25", from: a@b.ca, to: [c@d.ca, e@f.ca], username: u, password: "${P}", rate_limit: 5/10m}
                chat: {kind: slack, url: "${SLACK}"}
              retries: 2
              backoff: 500ms
              timeout: 3s
              digest: {at: "07:30:15", channels: [mail]}
            """)
        #expect(policy.retries == 2 && policy.backoff == 0.5 && policy.timeout == 3)
        #expect(policy.backoff(attempt: 1) == 0.5 && policy.backoff(attempt: 3) == 2)
        #expect(policy.digest?.at == 7 * 3600 + 30 * 60 + 15 && policy.digest?.channels == ["mail"])
        #expect(policy.channels["mail"]?.rateLimit.count == 5 && policy.channels["mail"]?.rateLimit.seconds == 600)
        #expect(policy.channels["chat"]?.rateLimit.count == AlertChannel.defaultRateLimit.count)
        #expect(policy.variables == ["P", "SLACK"])
        // The runbook's policy: P1 to chat and email, P2 to email, P3 to the digest only.
        #expect(policy.route[.p1] == ["chat", "mail"] && policy.route[.p2] == ["mail"] && policy.route[.p3] == [])
        let defaults = try Self.policy("alerts:\n  channels:\n    chat: {kind: slack, url: x}\n")
        #expect(defaults.retries == 5 && defaults.backoff == 30 && defaults.timeout == 10 && defaults.digest == nil)
    }

    @Test("what an alerts section may not say is refused at its place")
    func refuses() {
        func message(_ text: String) -> String {
            do {
                _ = try Self.policy(text)
                return "accepted"
            } catch {
                return error.description
            }
        }
        let head = "alerts:\n  channels:\n"
        #expect(message(head + "    m: {kind: email, url: \"smtp://h:25\", from: a@b.ca}\n").contains("alerts.yml:3:5: missing required key 'to'"))
        #expect(message(head + "    m: {kind: email, url: \"http://h\", from: a@b.ca, to: x@y.ca}\n").contains("'http://h': an smtp://host:port or smtps://host:port URL"))
        #expect(message(head + "    m: {kind: email, url: \"smtp://h\", from: a, to: b, password: p}\n").contains("missing required key 'username'"))
        #expect(message(head + "    c: {kind: slack, url: x, to: [a]}\n").contains("a slack channel takes url"))
        #expect(message(head + "    c: {kind: slack, url: x, rate_limit: lots}\n").contains("'lots': alerts per period, such as 20/h"))
        #expect(message(head + "    c: {kind: slack, url: x}\n  digest: {at: \"25:00\", channels: [c]}\n").contains("'25:00': a time of day in UTC"))
        #expect(message(head + "    c: {kind: slack, url: x}\n  digest: {at: \"08:00\", channels: [d]}\n").contains("channels names no channel 'd'"))
        #expect(message(head + "    c: {kind: slack, url: x}\n  retries: 50\n").contains("'50': a whole number from 0 to 20"))
        #expect(message(head + "    c: {kind: slack, url: x}\n  backoff: soon\n").contains("'soon': a duration"))
    }

    @Test("rates, times of day and the digest's next time")
    func times() {
        #expect(AlertChannel.parseRate("20/h")! == (20, 3600))
        #expect(AlertChannel.parseRate("5/10m")! == (5, 600))
        #expect(AlertChannel.parseRate("0/h") == nil && AlertChannel.parseRate("5") == nil && AlertChannel.parseRate("5/0s") == nil)
        #expect(AlertPolicy.timeOfDay("08:00") == 28_800 && AlertPolicy.timeOfDay("23:59:59") == 86_399)
        #expect(AlertPolicy.timeOfDay("8") == nil && AlertPolicy.timeOfDay("12:60") == nil)
        let day = 20_000 * 86_400.0
        #expect(Digest.next(at: 28_800, after: day + 3600) == day + 28_800, "later today")
        #expect(Digest.next(at: 28_800, after: day + 28_800) == day + 86_400 + 28_800, "at the time itself: tomorrow")
        #expect(Digest.next(at: 3600, after: day + 7200) == day + 86_400 + 3600)
    }

    @Test("health by the 80 %/60 % rule; label values escaped for the exposition format")
    func healthAndEscapes() {
        #expect(WatchHealth.state(passRate: nil) == "unknown")
        #expect(WatchHealth.state(passRate: 1) == "healthy" && WatchHealth.state(passRate: 0.8) == "healthy")
        #expect(WatchHealth.state(passRate: 0.79) == "degraded" && WatchHealth.state(passRate: 0.6) == "degraded")
        #expect(WatchHealth.state(passRate: 0.59) == "unhealthy")
        #expect(WatchStatus.escape("a\"b\\c\nd") == "a\\\"b\\\\c\\nd")
        #expect(WatchStatus.number(2) == "2" && WatchStatus.number(0.25) == "0.25" && WatchStatus.number(.infinity) == "+Inf")
    }
}

extension AlertPolicyTests {
    /// The YAML blocks of a document that hold an `alerts:` section.
    static func alertBlocks(in path: String) throws -> [String] {
        let text = try String(contentsOf: Paths.packageRoot.appendingPathComponent(path), encoding: .utf8)
        return text.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```").first ?? "" }
            .filter { $0.hasPrefix("alerts:") }
    }

    @Test("the alerts sections the README and docs/gates.md show load as they are written")
    func documentedSections() throws {
        for path in ["README.md", "docs/gates.md"] {
            let blocks = try Self.alertBlocks(in: path)
            #expect(!blocks.isEmpty, "\(path) shows no alerts section")
            for block in blocks {
                guard case .success(let configuration) = loadGates(block) else {
                    Issue.record("\(path): an alerts example does not load:\n\(block)")
                    continue
                }
                #expect(configuration.alerts?.channels.isEmpty == false, "\(path)")
            }
        }
    }
}
