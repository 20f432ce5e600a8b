/// Trend statistics that noise does not fool: the Mann-Kendall test says whether a series rises
/// more often than chance allows (it uses only the order of the values, so one outlier cannot
/// make a trend), and the Theil-Sen slope (the median of all pairwise slopes) says by how much.
enum Trend {
    /// Mann-Kendall's S and its normal approximation Z, with the variance corrected for ties.
    static func mannKendall(_ values: [Double]) -> (s: Int, z: Double) {
        let n = values.count
        guard n >= 3 else { return (0, 0) }
        var s = 0
        for i in 0..<(n - 1) {
            for j in (i + 1)..<n {
                s += values[j] > values[i] ? 1 : values[j] < values[i] ? -1 : 0
            }
        }
        var ties: [Double: Int] = [:]
        for value in values { ties[value, default: 0] += 1 }
        let tieTerm = ties.values.filter { $0 > 1 }.reduce(0.0) { $0 + Double($1 * ($1 - 1) * (2 * $1 + 5)) }
        let variance = (Double(n * (n - 1) * (2 * n + 5)) - tieTerm) / 18
        guard variance > 0 else { return (s, 0) }
        let z = s > 0 ? Double(s - 1) / variance.squareRoot() : s < 0 ? Double(s + 1) / variance.squareRoot() : 0
        return (s, z)
    }

    /// The Theil-Sen slope: the median of (x[j] − x[i]) / (j − i) over all pairs.
    static func theilSenSlope(_ values: [Double]) -> Double {
        var slopes: [Double] = []
        slopes.reserveCapacity(values.count * (values.count - 1) / 2)
        for i in 0..<max(0, values.count - 1) {
            for j in (i + 1)..<values.count {
                slopes.append((values[j] - values[i]) / Double(j - i))
            }
        }
        return median(slopes)
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Z above this is a rising trend at 99 % confidence (one-sided): a trend gate that cries
    /// wolf once in twenty runs of pure noise (95 %) gets ignored, so one in a hundred.
    static let risingZ = 2.326

    /// Below this one-sided p-value a rise is significant (99 %).
    static let risingP = 0.01

    /// The verdict on a series: rising when Mann-Kendall is significant and the Theil-Sen line
    /// rises over the window by at least `minimumIncrease` (a fraction) of where the line starts,
    /// the way the runbook's monitoring compares the latest value with the earliest.
    /// Short series without ties (up to 10 values, the last few runs) use the exact distribution
    /// of S, under which five values in strictly rising order are significant at 99 % (p = 1/120)
    /// while the normal approximation says they are not; longer ones use Z.
    static func judge(_ values: [Double], minimumIncrease: Double) -> (rising: Bool, significance: String, increase: Double) {
        let (s, z) = mannKendall(values)
        let slope = theilSenSlope(values)
        let start = median(values.enumerated().map { $0.element - slope * Double($0.offset) })
        let base = start > 0 ? start : median(values)
        let increase = base > 0 ? slope * Double(values.count - 1) / base : 0
        if values.count <= 10, Set(values).count == values.count {
            let p = exactUpperTail(s: s, n: values.count)
            return (p < risingP && increase >= minimumIncrease, "Mann-Kendall p = \(rounded(p, 4))", increase)
        }
        return (z > risingZ && increase >= minimumIncrease, "Mann-Kendall z = \(rounded(z, 2))", increase)
    }

    /// P(S ≥ s) when the n values come in random order: S = pairs − 2 × inversions, and the
    /// number of permutations with k inversions is the Mahonian number, counted here.
    static func exactUpperTail(s: Int, n: Int) -> Double {
        let pairs = n * (n - 1) / 2
        var counts = [1.0]  // permutations of 1 element by inversions
        for size in 2...max(2, n) {
            var next = [Double](repeating: 0, count: size * (size - 1) / 2 + 1)
            for (inversions, count) in counts.enumerated() {
                for added in 0..<size { next[inversions + added] += count }
            }
            counts = next
        }
        guard n >= 2 else { return 1 }
        let total = counts.reduce(0, +)
        let maxInversions = (pairs - s) / 2
        guard maxInversions >= 0 else { return 0 }
        return counts.prefix(maxInversions + 1).reduce(0, +) / total
    }

    private static func rounded(_ value: Double, _ places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let result = (value * scale).rounded() / scale
        return result == result.rounded() ? String(Int(result)) : String(result)
    }
}
