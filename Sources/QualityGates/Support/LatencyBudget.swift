import TextSearch

/// A latency budget over samples: `p95 < 2000` (milliseconds). Percentiles by nearest rank.
struct LatencyBudget: Sendable, CustomStringConvertible {
    enum Statistic: String, Sendable, CaseIterable { case p50, p95, p99, max }

    let statistic: Statistic
    let limit: Double
    let source: String

    /// Parses `p95 < 2000`, `max < 500ms`, `p50 < 1.5s`; the error says what is expected.
    init(_ text: String) throws(ConditionError) {
        source = text
        let parts = text.split(separator: "<", maxSplits: 1).map { $0.trimmingCharacters(in: " ") }
        guard parts.count == 2, let statistic = Statistic(rawValue: parts[0].lowercased()) else {
            throw ConditionError("write a budget as p50, p95, p99 or max, '<', and milliseconds: p95 < 2000")
        }
        var number = parts[1]
        var scale = 1.0
        if number.hasSuffix("ms") { number.removeLast(2) } else if number.hasSuffix("s") { number.removeLast(); scale = 1000 }
        guard let value = Double(number.trimmingCharacters(in: " ")), value > 0 else {
            throw ConditionError("'\(parts[1])' is not a positive number of milliseconds")
        }
        self.statistic = statistic
        limit = value * scale
    }

    /// The budget's statistic of `samples` (milliseconds), nearest rank.
    func measure(_ samples: [Double]) -> Double { Self.measure(statistic, samples) }

    /// Whether `samples` keep the budget, the measured value (0.1 ms), and the budget with it shown:
    /// `p95 (2412 ms) < 2000 ms`.
    func judge(_ samples: [Double]) -> (holds: Bool, value: Double, text: String) {
        let value = NumberText.tenths(measure(samples))
        return (value < limit, value, "\(statistic.rawValue) (\(NumberText.number(value)) ms) < \(NumberText.number(limit)) ms")
    }

    /// Whether `samples`, the first of `planned`, already break the budget whatever the rest
    /// measure: the statistic is the k-th smallest of all samples, so once more than
    /// `planned − k` are at or over the limit, it is over too. A gate that is failing says so
    /// after the first slow answer instead of waiting out the other nine.
    func isBroken(_ samples: [Double], planned: Int) -> Bool {
        let rank = statistic == .max ? planned : min(max(Int((Self.percent(statistic) / 100 * Double(planned)).rounded(.up)), 1), planned)
        return samples.count(where: { $0 >= limit }) > planned - rank
    }

    static func percent(_ statistic: Statistic) -> Double {
        switch statistic {
        case .p50: 50
        case .p95: 95
        case .p99: 99
        case .max: 100
        }
    }

    /// `statistic` of `samples` (milliseconds), nearest rank.
    static func measure(_ statistic: Statistic, _ samples: [Double]) -> Double {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return 0 }
        switch statistic {
        case .max: return sorted[sorted.count - 1]
        case .p50: return percentile(sorted, 50)
        case .p95: return percentile(sorted, 95)
        case .p99: return percentile(sorted, 99)
        }
    }

    static func percentile(_ sorted: [Double], _ percent: Double) -> Double {
        let rank = Int((percent / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    var description: String { source }
}

extension CheckParameters {
    /// A latency budget (`p95 < 2000`), parsed now so `lint` finds a bad one; nil when absent.
    mutating func latencyBudget(_ key: String) throws(ConfigError) -> LatencyBudget? {
        guard let text = try string(key) else { return nil }
        do {
            return try LatencyBudget(text)
        } catch {
            throw invalid(key, error.reason)
        }
    }
}
