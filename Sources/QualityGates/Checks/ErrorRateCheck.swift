/// The share of failed or errored check executions over recent runs stays under a threshold.
struct ErrorRateCheck: Check {
    static let description = CheckDescription(
        kind: "error_rate",
        summary: "The share of failed or errored check executions over the last N runs of this target in the history (one gate's, or all), above a threshold, fails; skipped checks do not count. Too little history is skipped, with the reason.",
        parameters: [
            ParameterDoc("gate", "gate id", "The gate whose checks count; all gates when absent."),
            ParameterDoc("window", "whole number", "How many of the newest earlier runs count (default 10)."),
            ParameterDoc("max_rate", "percentage", "The highest share that passes (default 20%)."),
            ParameterDoc("min_runs", "whole number", "Fewer runs in the history than this is skipped (default 5)."),
        ],
        defaultTargets: [.build, .staging],
        examples: [
            CheckExample("""
                kind: error_rate
                gate: db_health
                max_rate: 20%
                """, history: Array(repeating: "db_health/connect passed", count: 9) + ["db_health/connect failed"], .passes),
            CheckExample("""
                kind: error_rate
                gate: db_health
                max_rate: 20%
                """, history: ["db_health/connect failed", "db_health/connect errored", "db_health/connect failed"]
                    + Array(repeating: "db_health/connect passed", count: 7),
                .fails("3 of 10 executions of db_health failed or errored over the last 10 runs (30 %), above 20 %")),
            CheckExample("""
                kind: error_rate
                max_rate: 120 percent
                """, .invalid("is not a share")),
        ]
    )

    let gate: String?
    let window: Int
    let maxRate: Double
    let minRuns: Int

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        gate = try parameters.string("gate")
        window = try parameters.wholeNumber("window", default: 10, range: 1...100_000)
        maxRate = try parameters.fraction("max_rate", default: 0.2)
        minRuns = try parameters.wholeNumber("min_runs", default: 5, range: 1...100_000)
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> [HistoryStore.Execution] {
        guard let history = context.history else { throw CheckStop(CheckResult(.skipped, "no history is kept (--history none)")) }
        do {
            return try history.executions(target: context.target, runs: window, gate: gate)
        } catch {
            throw CheckStop(.errored(error.message))
        }
    }

    func judge(_ executions: [HistoryStore.Execution]) -> CheckResult {
        let runs = Set(executions.map(\.run)).count
        guard runs >= minRuns else {
            return CheckResult(.skipped, "only \(runs) earlier run\(runs == 1 ? "" : "s") in the history\(gate.map { " with \($0)" } ?? ""); the error rate needs \(minRuns)")
        }
        let counted = executions.filter { $0.outcome != .skipped }
        let bad = counted.filter { $0.outcome == .failed || $0.outcome == .errored }
        let rate = counted.isEmpty ? 0 : Double(bad.count) / Double(counted.count)
        let subject = gate.map { "executions of \($0)" } ?? "check executions"
        let text = "\(bad.count) of \(counted.count) \(subject) failed or errored over the last \(runs) runs (\(Self.percent(rate)))"
        var result = rate > maxRate ? CheckResult.failed("\(text), above \(Self.percent(maxRate))")
                                    : CheckResult.passed("\(text), within \(Self.percent(maxRate))")
        result.measurements = [Measurement(name: "error_rate", value: rate * 100, unit: "%")]
        return result
    }

    static func percent(_ fraction: Double) -> String {
        let value = (fraction * 1000).rounded() / 10
        return (value == value.rounded() ? String(Int(value)) : String(value)) + " %"
    }
}
