/// No latency measurement of a gate rises over recent runs, judged by Mann-Kendall and Theil-Sen.
struct LatencyTrendCheck: Check {
    static let description = CheckDescription(
        kind: "latency_trend",
        summary: "For each latency measurement of a gate's checks (response times, percentiles, connect and sign-in times), a rising trend over the last N runs, this run included (the check judges after every other check of the run), fails: the Mann-Kendall test significant at 99 % (one-sided; exact for up to 10 runs; it uses only the order of values, so one outlier is no trend) and the Theil-Sen line rising by at least a minimum share of where it starts. Too few values is skipped, with the reason.",
        parameters: [
            ParameterDoc("gate", "gate id", required: true, "The gate whose measurements are followed."),
            ParameterDoc("check", "string", "Only this check's measurements."),
            ParameterDoc("window", "whole number", "How many of the newest runs count, this one included (default 20)."),
            ParameterDoc("min_runs", "whole number", "Fewer values than this is skipped (default 8, or the window when it is shorter); more than the window is refused, since the trend could never be judged."),
            ParameterDoc("min_increase", "percentage", "The smallest rise over the window that counts, as a share of the trend line's starting level (default 20%)."),
        ],
        defaultTargets: [.build, .staging],
        thresholds: ["min_increase"],
        judgesTheRun: true,
        examples: [
            CheckExample("""
                kind: latency_trend
                gate: auth_performance
                """, history: [120, 95, 130, 101, 125, 99, 118, 104, 127, 100].map { "auth_performance/sign-in passed auth_p95=\($0)" }, .passes),
            CheckExample("""
                kind: latency_trend
                gate: auth_performance
                """, history: [100, 104, 109, 115, 118, 126, 131, 137, 142, 150].map { "auth_performance/sign-in passed auth_p95=\($0)" },
                .fails("sign-in auth_p95 rises: 100 → 150 ms over 10 runs")),
            CheckExample("""
                kind: latency_trend
                gate: auth_performance
                window: 5
                min_runs: 5
                """, history: [1000, 1050, 1100, 1150, 1200].map { "auth_performance/sign-in passed auth_p95=\($0)" },
                .fails("sign-in auth_p95 rises: 1000 → 1200 ms over 5 runs (Theil-Sen +20 %, Mann-Kendall p = 0.0083)")),
            CheckExample("""
                kind: latency_trend
                gate: auth_performance
                window: 5
                min_runs: 5
                """, history: [1300, 700, 1250, 800, 1100].map { "auth_performance/sign-in passed auth_p95=\($0)" }, .passes),
            CheckExample("""
                kind: latency_trend
                """, .invalid("gate")),
        ]
    )

    let gate: String
    let check: String?
    let window: Int
    let minRuns: Int
    let minIncrease: Double

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        gate = try parameters.requiredString("gate")
        check = try parameters.string("check")
        window = try parameters.wholeNumber("window", default: 20, range: 3...100_000)
        minRuns = try parameters.wholeNumber("min_runs", default: min(8, window), range: 3...100_000)
        if minRuns > window {
            throw parameters.invalid("min_runs", "\(minRuns) is more than the window of \(window) runs: the trend could never be judged")
        }
        minIncrease = try parameters.fraction("min_increase", default: 0.2)
    }

    /// Measurements that are latencies: times and percentiles, not counts or rates.
    static func isLatency(_ name: String) -> Bool {
        name.contains("time") || name.hasPrefix("latency") || ["_p50", "_p95", "_p99", "_max"].contains { name.hasSuffix($0) }
    }

    /// Each measurement's values over the window, oldest first, this run's last.
    func observe(_ context: CheckContext) throws(CheckStop) -> [HistoryStore.SeriesKey: [Double]] {
        guard let history = context.history else { throw CheckStop(CheckResult.skipped(.notEnoughHistory, "no history is kept (--history none)")) }
        var series: [HistoryStore.SeriesKey: [Double]]
        do {
            series = try history.series(target: context.target, runs: window, gate: gate, check: check)
        } catch {
            throw CheckStop(.errored(error.message))
        }
        for result in context.currentRun where result.gate == gate && (check == nil || result.check == check) {
            for measurement in result.measurements {
                series[HistoryStore.SeriesKey(check: result.check, measurement: measurement.name), default: []].append(measurement.value)
            }
        }
        return series.mapValues { Array($0.suffix(window)) }
    }

    func judge(_ series: [HistoryStore.SeriesKey: [Double]]) -> CheckResult {
        let latencies = series.filter { Self.isLatency($0.key.measurement) }.sorted { $0.key < $1.key }
        let longest = latencies.map(\.value.count).max() ?? 0
        guard longest >= minRuns else {
            return CheckResult.skipped(.notEnoughHistory, "only \(longest) latency value\(longest == 1 ? "" : "s") of \(gate), this run's included; a trend needs \(minRuns)")
        }
        var rising: [String] = []
        var steady: [String] = []
        for (key, values) in latencies where values.count >= minRuns {
            let verdict = Trend.judge(values, minimumIncrease: minIncrease)
            let name = "\(key.check) \(key.measurement)"
            if verdict.rising {
                rising.append("\(name) rises: \(Self.number(values.first!)) → \(Self.number(values.last!)) ms over \(values.count) runs "
                              + "(Theil-Sen +\(ErrorRateCheck.percent(verdict.increase)), \(verdict.significance))")
            } else {
                steady.append(name)
            }
        }
        guard rising.isEmpty else { return .failed(rising.joined(separator: "; ")) }
        return .passed("no rising latency in \(gate): \(steady.joined(separator: ", "))")
    }

    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
