import Glibc

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
            ParameterDoc("min_increase", "percentage", "The smallest rise over the window that counts, as a share of the trend line's starting level (default 20%); also the smallest step."),
            ParameterDoc("step_runs", "whole number", "A step that stays: the newest N runs, this one included, against the `step_baseline` runs before them (default 2, so a deploy's regression is caught on the run after it); 0 turns the step test off."),
            ParameterDoc("step_baseline", "whole number", "Runs before the newest that the step is measured against (default 18)."),
            ParameterDoc("step_alpha", "probability", "The step test's false-alarm rate on a steady series: the exact one-sided Mann–Whitney p-value must be at most this (default 0.01). A baseline too short to reach it leaves the step untested."),
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
                gate: auth_performance
                """, history: ([1010, 990, 1005, 995, 1000, 1012, 988, 1003, 997, 1001, 1008, 992, 1004, 996, 1002, 999, 1006, 994] + [1310, 1295])
                    .map { "auth_performance/sign-in passed auth_p95=\($0)" },
                .fails("sign-in auth_p95 stepped up: 1302.5 ms over the last 2 runs against 1000.5 ms in the 18 before (+30.2 %, Mann-Whitney p = 0.0053)")),
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
    let stepRuns: Int
    let stepBaseline: Int
    let stepAlpha: Double

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        gate = try parameters.requiredString("gate")
        check = try parameters.string("check")
        window = try parameters.wholeNumber("window", default: 20, range: 3...100_000)
        minRuns = try parameters.wholeNumber("min_runs", default: min(8, window), range: 3...100_000)
        if minRuns > window {
            throw parameters.invalid("min_runs", "\(minRuns) is more than the window of \(window) runs: the trend could never be judged")
        }
        minIncrease = try parameters.fraction("min_increase", default: 0.2)
        stepRuns = try parameters.wholeNumber("step_runs", default: 2, range: 0...50)
        stepBaseline = try parameters.wholeNumber("step_baseline", default: 18, range: 2...10_000)
        stepAlpha = try parameters.number("step_alpha") ?? 0.01
        guard stepAlpha > 0, stepAlpha < 1 else { throw parameters.invalid("step_alpha", "must be between 0 and 1, such as 0.01") }
    }

    /// Runs read from the history: the trend's window, or the step's span when longer.
    var lookback: Int { max(window, stepRuns > 0 ? stepRuns + stepBaseline : 0) }

    /// Measurements that are latencies: times and percentiles, not counts or rates.
    static func isLatency(_ name: String) -> Bool {
        name.contains("time") || name.hasPrefix("latency") || ["_p50", "_p95", "_p99", "_max"].contains { name.hasSuffix($0) }
    }

    /// Each measurement's values over the window, oldest first, this run's last.
    func observe(_ context: CheckContext) throws(CheckStop) -> [HistoryStore.SeriesKey: [Double]] {
        guard let history = context.history else { throw CheckStop(CheckResult.skipped(.notEnoughHistory, "no history is kept (--history none)")) }
        var series: [HistoryStore.SeriesKey: [Double]]
        do {
            series = try history.series(target: context.target, runs: lookback, gate: gate, check: check)
        } catch {
            throw CheckStop(.errored(error.message))
        }
        for result in context.currentRun where result.gate == gate && (check == nil || result.check == check) {
            for measurement in result.measurements {
                series[HistoryStore.SeriesKey(check: result.check, measurement: measurement.name), default: []].append(measurement.value)
            }
        }
        return series.mapValues { Array($0.suffix(lookback)) }
    }

    func judge(_ series: [HistoryStore.SeriesKey: [Double]]) -> CheckResult {
        let latencies = series.filter { Self.isLatency($0.key.measurement) }.sorted { $0.key < $1.key }
        let longest = latencies.map { min($0.value.count, window) }.max() ?? 0
        guard longest >= minRuns else {
            return CheckResult.skipped(.notEnoughHistory, "only \(longest) latency value\(longest == 1 ? "" : "s") of \(gate), this run's included; a trend needs \(minRuns)")
        }
        var rising: [String] = []
        var steady: [String] = []
        for (key, all) in latencies {
            let name = "\(key.check) \(key.measurement)"
            if stepRuns > 0, let step = StepChange.judge(all, recent: stepRuns, alpha: stepAlpha, minimumIncrease: minIncrease), step.stepped {
                rising.append("\(name) stepped up: \(Self.number(step.after)) ms over the last \(stepRuns) runs against \(Self.number(step.before)) ms "
                              + "in the \(all.count - stepRuns) before (+\(ErrorRateCheck.percent(step.after / step.before - 1)), "
                              + "Mann-Whitney p = \(Self.significant(step.p)))")
                continue
            }
            let values = Array(all.suffix(window))
            guard values.count >= minRuns else { continue }
            let verdict = Trend.judge(values, minimumIncrease: minIncrease)
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

    /// Two significant digits: `0.0053`.
    static func significant(_ value: Double) -> String {
        guard value > 0 else { return "0" }
        let digits = max(0, 1 - Int(log10(value).rounded(.down)))
        let scale = pow(10, Double(digits))
        return String((value * scale).rounded() / scale)
    }

    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
