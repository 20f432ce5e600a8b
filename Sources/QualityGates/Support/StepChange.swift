/// A step that stays: the newest runs' values against the runs before them, for the regression a
/// single deploy brings (a trend test dilutes a jump that then holds still). Two conditions, both
/// needed: the exact one-sided Mann–Whitney test says the newest runs sit above the baseline more
/// than chance allows (at `alpha`, the false-alarm rate on a steady series), and their median is
/// at least `minimumIncrease` above the baseline's (a real step, not a significant wobble).
enum StepChange {
    struct Verdict {
        let stepped: Bool
        /// The newest runs' median, and the baseline's.
        let after: Double
        let before: Double
        /// The exact one-sided p-value of the rank test.
        let p: Double
    }

    /// Judges `values` (oldest first): the last `recent` against the rest; nil when the baseline
    /// is too short for the test to reach `alpha` at all.
    static func judge(_ values: [Double], recent: Int, alpha: Double, minimumIncrease: Double) -> Verdict? {
        guard recent >= 1, values.count > recent else { return nil }
        let after = Array(values.suffix(recent))
        let before = Array(values.dropLast(recent))
        // The smallest p-value possible, every newest value above every baseline one: 1 / C(n, m).
        guard 1 / combinations(values.count, recent) <= alpha else { return nil }
        var u = 0.0
        for a in after {
            for b in before { u += a > b ? 1 : a == b ? 0.5 : 0 }
        }
        let p = upperTail(u, m: after.count, n: before.count)
        let (medianAfter, medianBefore) = (Trend.median(after), Trend.median(before))
        let stepped = p <= alpha && medianBefore > 0 && medianAfter >= medianBefore * (1 + minimumIncrease)
        return Verdict(stepped: stepped, after: medianAfter, before: medianBefore, p: p)
    }

    static func combinations(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, k <= n else { return 0 }
        var result = 1.0
        for i in 0..<min(k, n - k) { result = result * Double(n - i) / Double(i + 1) }
        return result
    }

    /// P(U ≥ u) for the Mann–Whitney U of m values against n under the null hypothesis (every
    /// arrangement of the m + n ranks equally likely), counted exactly by the recurrence
    /// N(m, n, u) = N(m − 1, n, u − n) + N(m, n − 1, u).
    static func upperTail(_ u: Double, m: Int, n: Int) -> Double {
        let maxU = m * n
        // counts[i][j] is the distribution of U for i values against j.
        var counts = [[[Double]]](repeating: [[Double]](repeating: [], count: n + 1), count: m + 1)
        for i in 0...m {
            for j in 0...n {
                if i == 0 || j == 0 {
                    counts[i][j] = [1] + [Double](repeating: 0, count: i * j)
                    continue
                }
                var distribution = [Double](repeating: 0, count: i * j + 1)
                for value in 0...(i * j) {
                    if value >= j { distribution[value] += counts[i - 1][j][value - j] }
                    if value <= (i * (j - 1)) { distribution[value] += counts[i][j - 1][value] }
                }
                counts[i][j] = distribution
            }
        }
        let distribution = counts[m][n]
        let total = distribution.reduce(0, +)
        let threshold = Int(u.rounded(.up))
        guard threshold <= maxU else { return 0 }
        return distribution[max(0, threshold)...].reduce(0, +) / total
    }
}
