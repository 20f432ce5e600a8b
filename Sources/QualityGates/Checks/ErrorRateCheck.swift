/// The share of gate results that failed or errored over recent runs, this run included, stays
/// under a threshold; and no gate fails run after run.
struct ErrorRateCheck: Check {
    static let description = CheckDescription(
        kind: "error_rate",
        summary: "Over the last N runs of this target, this run included (the check judges after every other check of the run), the share of gate results that failed or errored (one gate in one run is one health check; skipped gates do not count) at or above a threshold fails, and so does a gate that failed or errored in each of the last runs in a row. Gates made only of checks that judge the run are not counted. Too few runs is skipped, with the reason.",
        parameters: [
            ParameterDoc("gate", "gate id", "Count only this gate's results; all gates when absent."),
            ParameterDoc("window", "whole number", "How many of the newest runs count, this one included (default 10)."),
            ParameterDoc("max_rate", "percentage", "The share of failed or errored gate results at which the check fails (default 20%: 2 of 10 fail it)."),
            ParameterDoc("min_runs", "whole number", "Fewer runs than this (this one included) is skipped (default 5, or the window when it is shorter); more than the window is refused."),
            ParameterDoc("consecutive", "whole number", "A gate that failed or errored in each of this many newest runs fails the check (default 3; 0 turns it off)."),
        ],
        defaultTargets: [.build, .staging],
        thresholds: ["max_rate", "consecutive"],
        judgesTheRun: true,
        examples: [
            CheckExample("""
                kind: error_rate
                max_rate: 20%
                """, history: Array(repeating: "db_health/connect passed", count: 9) + ["db_health/connect failed"], .passes),
            CheckExample("""
                kind: error_rate
                max_rate: 20%
                consecutive: 0
                """, history: ["db_health/connect failed", "db_health/connect errored"] + Array(repeating: "db_health/connect passed", count: 8),
                .fails("2 of 10 gate results failed or errored over the last 10 runs (20 %), at or above 20 %")),
            CheckExample("""
                kind: error_rate
                gate: auth_health
                """, history: ["auth_health/sign-in passed"] + Array(repeating: "auth_health/sign-in failed", count: 3)
                    + ["db_health/connect failed"],
                .fails("auth_health failed or errored in each of the last 3 runs")),
            CheckExample("""
                kind: error_rate
                """, history: ["db_health/connect failed", "db_health/connect passed"],
                .skips("only 2 runs of this target, this one included; the error rate needs 5")),
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
    let consecutive: Int

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        gate = try parameters.string("gate")
        window = try parameters.wholeNumber("window", default: 10, range: 1...100_000)
        maxRate = try parameters.fraction("max_rate", default: 0.2)
        minRuns = try parameters.wholeNumber("min_runs", default: min(5, window), range: 1...100_000)
        if minRuns > window {
            throw parameters.invalid("min_runs", "\(minRuns) is more than the window of \(window) runs: the rate could never be judged")
        }
        consecutive = try parameters.wholeNumber("consecutive", default: 3, range: 0...1000)
    }

    /// Each counted run, oldest first: every gate's result in it.
    typealias Observation = [[String: Outcome]]

    func observe(_ context: CheckContext) throws(CheckStop) -> Observation {
        guard let history = context.history else { throw CheckStop(CheckResult.skipped(.notEnoughHistory, "no history is kept (--history none)")) }
        let current = context.currentRun.filter { !context.judgingGates.contains($0.gate) && (gate == nil || $0.gate == gate) }
        let earlier: [HistoryStore.Execution]
        do {
            earlier = try history.executions(target: context.target, runs: current.isEmpty ? window : window - 1, gate: gate)
        } catch {
            throw CheckStop(.errored(error.message))
        }
        var runs: [Int64: [(String, Outcome)]] = [:]
        for execution in earlier where !context.judgingGates.contains(execution.gate) {
            runs[execution.run, default: []].append((execution.gate, execution.outcome))
        }
        var observed = runs.keys.sorted().map { Self.gateResults(runs[$0]!) }
        if !current.isEmpty { observed.append(Self.gateResults(current.map { ($0.gate, $0.outcome) })) }
        return observed
    }

    /// A gate's result from its checks': failed, else errored, else skipped when all were, else passed.
    static func gateResults(_ checks: [(String, Outcome)]) -> [String: Outcome] {
        var byGate: [String: [Outcome]] = [:]
        for (gate, outcome) in checks { byGate[gate, default: []].append(outcome) }
        return byGate.mapValues { outcomes in
            if outcomes.contains(.failed) { return .failed }
            if outcomes.contains(.errored) { return .errored }
            return outcomes.allSatisfy { $0 == .skipped } ? .skipped : .passed
        }
    }

    func judge(_ runs: Observation) -> CheckResult {
        let results = runs.flatMap(\.values).filter { $0 != .skipped }
        let bad = results.filter { $0 == .failed || $0 == .errored }.count
        let rate = results.isEmpty ? 0 : Double(bad) / Double(results.count)
        let text = "\(bad) of \(results.count) gate results failed or errored over the last \(runs.count) runs (\(Self.percent(rate)))"
        var problems: [String] = []
        if runs.count >= minRuns, rate >= maxRate, bad > 0 { problems.append("\(text), at or above \(Self.percent(maxRate))") }
        // A gate failing run after run needs no long history to be worth a page.
        if consecutive > 0, runs.count >= consecutive {
            let newest = runs.suffix(consecutive)
            let gates = Set(runs.flatMap(\.keys)).sorted()
            for gate in gates where newest.allSatisfy({ $0[gate] == .failed || $0[gate] == .errored }) {
                problems.append("\(gate) failed or errored in each of the last \(consecutive) runs")
            }
        }
        guard runs.count >= minRuns || !problems.isEmpty else {
            return CheckResult.skipped(.notEnoughHistory, "only \(runs.count) run\(runs.count == 1 ? "" : "s") of this target, this one included\(gate.map { ", with \($0)" } ?? ""); the error rate needs \(minRuns)")
        }
        var result = problems.isEmpty ? CheckResult.passed("\(text), under \(Self.percent(maxRate))") : CheckResult.failed(problems.joined(separator: "; "))
        result.measurements = [Measurement(name: "error_rate", value: rate * 100, unit: "%")]
        return result
    }

    static func percent(_ fraction: Double) -> String { NumberText.percent(fraction) }
}
