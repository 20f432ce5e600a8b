import Glibc
import TextSearch

/// A latency budget over samples: `p95 < 2000` (milliseconds). Percentiles by nearest rank: the
/// p-th percentile of n samples is the k-th smallest, k = ⌈p/100 · n⌉ (at least 1); `max` is the
/// n-th. That definition makes an early verdict exact: once k samples are under the limit the
/// k-th smallest of all n will be too, and once n − k + 1 are at or over it, it cannot be under.
struct LatencyBudget: Sendable, CustomStringConvertible {
    enum Statistic: String, Sendable, CaseIterable { case p50, p95, p99, max }

    let statistic: Statistic
    let limit: Double
    let source: String
    /// Samples taken before any early verdict (`min_samples`).
    var minSamples = 1

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

    /// The verdict over the samples taken of `planned`, said as a person reads it: the statistic,
    /// how many samples, why it stopped early when it did, and a distribution-free 95 % confidence
    /// interval for the percentile when the samples bound one:
    /// `p95 (2507 ms) < 2000 ms: at or over after 1 of 10 sign-ins, whatever the other 9 measure`.
    func judge(_ samples: [Double], planned: Int, unit: String = "samples") -> (holds: Bool, value: Double, text: String) {
        let (holds, value, head) = judge(samples)
        var text = head
        if samples.count < planned, let settled = settled(samples, planned: planned) {
            let rest = planned - samples.count
            text += settled
                ? ": under after \(samples.count) of \(planned) \(unit), whatever the other \(rest) measure"
                : ": at or over after \(samples.count) of \(planned) \(unit), whatever the other \(rest) measure"
            return (settled, value, text)
        }
        text += " over \(samples.count) \(samples.count == 1 ? String(unit.dropLast()) : unit)"
        if let (low, high) = Self.confidenceInterval(statistic, samples) {
            text += "; 95 % CI \(NumberText.number(NumberText.tenths(low)))–\(NumberText.number(NumberText.tenths(high))) ms"
        }
        return (holds, value, text)
    }

    /// The rank k of the statistic among `planned` samples.
    func rank(planned: Int) -> Int {
        statistic == .max ? planned : min(max(Int((Self.percent(statistic) / 100 * Double(planned)).rounded(.up)), 1), planned)
    }

    /// Whether the verdict over all `planned` samples is already certain from the first ones:
    /// true (kept), false (broken), or nil. Never before `minSamples` samples.
    func settled(_ samples: [Double], planned: Int) -> Bool? {
        guard samples.count >= min(minSamples, planned) else { return nil }
        let k = rank(planned: planned)
        if samples.count(where: { $0 >= limit }) > planned - k { return false }
        if samples.count(where: { $0 < limit }) >= k { return true }
        return nil
    }

    /// Whether sampling can stop: the verdict cannot change whatever the remaining samples are.
    func canStop(_ samples: [Double], planned: Int) -> Bool { settled(samples, planned: planned) != nil }

    /// A 95 % confidence interval for the statistic's percentile from order statistics (no
    /// assumption on the distribution): X₍ₗ₎ to X₍ᵤ₎ with the binomial(n, p) mass between l and u at
    /// least 95 %, as narrow as that allows; nil when n samples cannot bound it on both sides
    /// (p95 needs 59 samples for an upper bound; `max` has none).
    static func confidenceInterval(_ statistic: Statistic, _ samples: [Double]) -> (Double, Double)? {
        guard statistic != .max, samples.count >= 2 else { return nil }
        let n = samples.count
        let p = percent(statistic) / 100
        // The binomial cumulative distribution P(B ≤ i), B ~ Bin(n, p).
        var cumulative: [Double] = []
        var total = 0.0
        var term = pow(1 - p, Double(n))
        for i in 0...n {
            if i > 0 { term *= Double(n - i + 1) / Double(i) * p / (1 - p) }
            total += term
            cumulative.append(min(total, 1))
        }
        // The lower bound X₍ₗ₎: the largest l with P(B ≤ l − 1) ≤ 2.5 %; the upper X₍ᵤ₎: the
        // smallest u with P(B ≤ u − 1) ≥ 97.5 %.
        guard let lower = (1...n).last(where: { cumulative[$0 - 1] <= 0.025 }),
              let upper = (1...n).first(where: { cumulative[$0 - 1] >= 0.975 }) else { return nil }
        let sorted = samples.sorted()
        return (sorted[lower - 1], sorted[upper - 1])
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
    /// A latency budget (`p95 < 2000`), parsed now so `lint` finds a bad one, with `min_samples`;
    /// nil when absent.
    mutating func latencyBudget(_ key: String) throws(ConfigError) -> LatencyBudget? {
        let minimum = try wholeNumber("min_samples", default: 1, range: 1...1000)
        guard let text = try string(key) else { return nil }
        do {
            var budget = try LatencyBudget(text)
            budget.minSamples = minimum
            return budget
        } catch {
            throw invalid(key, error.reason)
        }
    }
}
