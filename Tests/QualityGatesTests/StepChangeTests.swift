import Foundation
@testable import QualityGates
import TestSupport
import Testing

/// The step test of latency_trend: a regression that a deploy brings and that stays is caught on
/// the run after it; a steady, noisy series trips it about as rarely as its false-alarm rate says.
struct StepChangeTests {
    @Test("the exact Mann–Whitney tail: every newest value above every baseline one is 1 / C(n, m)")
    func exactTail() {
        #expect(abs(StepChange.upperTail(36, m: 2, n: 18) - 1 / 190) < 1e-12)
        #expect(abs(StepChange.upperTail(0, m: 2, n: 18) - 1) < 1e-12)
        // m = 1: the newest value's rank among n + 1 is uniform.
        #expect(abs(StepChange.upperTail(15, m: 1, n: 18) - 4.0 / 19) < 1e-12)
    }

    private func noisy(_ random: inout SeededRandom, level: Double, spread: Double) -> Double {
        level * (1 + spread * (Double(random.next() % 20_001) / 10_000 - 1))
    }

    @Test("a +30 % step that stays is caught within 2 runs, on 200 seeded histories with ±5 % noise")
    func catchesSteps() {
        var random = SeededRandom(seed: 31)
        var caughtOnRun: [Int] = []
        for _ in 0..<200 {
            var values = (0..<18).map { _ in noisy(&random, level: 1000, spread: 0.05) }
            var caught: Int?
            for run in 1...4 {
                values.append(noisy(&random, level: 1300, spread: 0.05))
                let window = Array(values.suffix(20))
                if StepChange.judge(window, recent: 2, alpha: 0.01, minimumIncrease: 0.2)?.stepped == true { caught = run; break }
            }
            caughtOnRun.append(caught ?? 99)
        }
        #expect(caughtOnRun.allSatisfy { $0 <= 2 }, "caught on runs \(Dictionary(grouping: caughtOnRun) { $0 }.mapValues(\.count))")
    }

    @Test("±30 % noise around a flat level: the observed false-alarm rate over 1,000 seeded runs, stated and under 1 %")
    func falseAlarms() {
        var random = SeededRandom(seed: 47)
        var alarms = 0
        var values: [Double] = (0..<18).map { _ in noisy(&random, level: 1000, spread: 0.3) }
        for _ in 0..<1000 {
            values.append(noisy(&random, level: 1000, spread: 0.3))
            if StepChange.judge(Array(values.suffix(20)), recent: 2, alpha: 0.01, minimumIncrease: 0.2)?.stepped == true { alarms += 1 }
        }
        print("step test false alarms on ±30 % noise: \(alarms) of 1000 runs (\(Double(alarms) / 10) %)")
        #expect(alarms < 10)
    }

    @Test("a baseline too short to reach alpha leaves the step untested; the trend still judges")
    func shortBaseline() {
        #expect(StepChange.judge([100, 100, 100, 200, 200], recent: 2, alpha: 0.01, minimumIncrease: 0.2) == nil)
        #expect(StepChange.judge(Array(repeating: 100.0, count: 18) + [200, 200], recent: 2, alpha: 0.01, minimumIncrease: 0.2)?.stepped == true)
    }
}
