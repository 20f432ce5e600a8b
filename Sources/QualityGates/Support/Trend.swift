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

    /// The verdict on a series: rising when Mann-Kendall is significant and the Theil-Sen line
    /// rises by at least `minimumIncrease` (a fraction) of the series' median over the window.
    static func judge(_ values: [Double], minimumIncrease: Double) -> (rising: Bool, z: Double, increase: Double) {
        let (_, z) = mannKendall(values)
        let base = median(values)
        let increase = base > 0 ? theilSenSlope(values) * Double(values.count - 1) / base : 0
        return (z > risingZ && increase >= minimumIncrease, z, increase)
    }
}
