import Foundation
import ProjectFiles
@testable import QualityGates
import TestSupport
import Testing

/// The trend judges, on seeded series.
struct TrendTests {
    static let rising: [Double] = [100, 104, 109, 115, 118, 126, 131, 137, 142, 150, 155, 161]
    /// The same values in an order with no trend (a fixed shuffle, so the test cannot flake).
    static let shuffled: [Double] = [131, 104, 155, 118, 100, 150, 115, 161, 109, 137, 126, 142]

    /// Heavy noise around a flat level: ±40 % from a fixed linear congruential generator.
    static func noisyFlat(count: Int, seed: UInt64) -> [Double] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return 1000 * (0.6 + 0.8 * Double(state >> 11) / Double(1 << 53))
        }
    }

    @Test("a steadily rising latency is a trend; the same values shuffled are not")
    func risingAndShuffled() {
        let up = Trend.judge(Self.rising, minimumIncrease: 0.2)
        #expect(up.rising && Trend.mannKendall(Self.rising).z > 4 && up.increase > 0.4)
        let mixed = Trend.judge(Self.shuffled, minimumIncrease: 0.2)
        #expect(!mixed.rising, "\(mixed.significance)")
        #expect(Self.shuffled.sorted() == Self.rising.sorted())
    }

    @Test("flat series with heavy noise are not trends: at most 2 false alarms in 200 (the test's confidence is 99 %)")
    func noise() {
        let alarms = (UInt64(1)...200).filter { Trend.judge(Self.noisyFlat(count: 20, seed: $0), minimumIncrease: 0.2).rising }
        #expect(alarms.count <= 2, "false alarms for seeds \(alarms)")
        #expect(!Trend.judge(Self.noisyFlat(count: 20, seed: 7), minimumIncrease: 0.2).rising)
    }

    @Test("one outlier is not a trend; a small significant rise below the minimum increase is not either")
    func outlierAndSmallRise() {
        var spiky = [Double](repeating: 100, count: 15)
        spiky[14] = 5000
        #expect(!Trend.judge(spiky, minimumIncrease: 0.2).rising)
        let gentle = (0..<15).map { 100 + Double($0) * 0.5 }
        let verdict = Trend.judge(gentle, minimumIncrease: 0.2)
        #expect(Trend.mannKendall(gentle).z > Trend.risingZ && !verdict.rising)
    }

    @Test("short windows use the exact Mann-Kendall distribution: five rising values are significant at 99 %, four are not")
    func exact() {
        #expect(Trend.exactUpperTail(s: 10, n: 5) == 1.0 / 120)
        #expect(Trend.exactUpperTail(s: 6, n: 4) == 1.0 / 24)
        #expect(Trend.exactUpperTail(s: -10, n: 5) == 1)
        #expect(abs(Trend.exactUpperTail(s: 8, n: 5) - 5.0 / 120) < 1e-12)
        #expect(Trend.judge([1000, 1050, 1100, 1150, 1200], minimumIncrease: 0.2).rising)
        #expect(!Trend.judge([1000, 1050, 1100, 1150], minimumIncrease: 0.2).rising)
        #expect(!Trend.judge([1000, 1010, 1020, 1030, 1040], minimumIncrease: 0.2).rising, "rising, but by 4 %")
    }

    @Test("±30 % noise around a flat mean over 5 runs trips at most 1 % of the time (chance alone orders 5 values rising once in 120)")
    func shortNoise() {
        var state: UInt64 = 42
        func noisy() -> [Double] {
            (0..<5).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return 1000 * (0.7 + 0.6 * Double(state >> 11) / Double(1 << 53))
            }
        }
        let alarms = (0..<1000).filter { _ in Trend.judge(noisy(), minimumIncrease: 0.2).rising }.count
        #expect(alarms <= 10, "\(alarms) false alarms in 1000")
        #expect(!Trend.judge([1300, 700, 1250, 800, 1100], minimumIncrease: 0.2).rising)
        #expect(!Trend.judge([900, 1200, 800, 1300, 1050], minimumIncrease: 0.2).rising)
    }

    @Test("Mann-Kendall's S counts concordant minus discordant pairs, ties corrected")
    func mannKendall() {
        #expect(Trend.mannKendall([1, 2, 3, 4]).s == 6)
        #expect(Trend.mannKendall([4, 3, 2, 1]).s == -6)
        #expect(Trend.mannKendall([1, 1, 1, 1]) == (0, 0))
        #expect(Trend.theilSenSlope([1, 3, 5, 7]) == 2)
    }
}

/// The SQLite history, with the trend checks reading it.
@Suite(.serialized)
struct HistoryTests {
    private func store(_ runs: [String], in folder: TemporaryFolder) throws -> HistoryStore {
        let store = try HistoryStore(path: folder.path("history.sqlite"))
        for (index, run) in runs.enumerated() { try store.appendExampleRun(run, index: index) }
        return store
    }

    private func check(_ yaml: String, history: HistoryStore) throws -> CheckResult {
        let configured = try #require(try loadGates(gateFile(checks: "      - name: trend\n" + yaml)).get().gates.first?.checks.first)
        return configured.check.run(CheckContext(projectRoot: URL(fileURLWithPath: "/"), environment: Environment([:]), target: .build,
                                                 timeout: 10, history: history))
    }

    @Test("10 runs with 3 failures trip error_rate_trends; 10 runs with 1 do not; too few runs skip")
    func errorRate() throws {
        let folder = try TemporaryFolder()
        let three = try store(["g/c failed", "g/c passed", "g/c errored", "g/c passed", "g/c failed"] + Array(repeating: "g/c passed", count: 5), in: folder)
        let yaml = "        kind: error_rate\n        window: 10\n        max_rate: 20%\n"
        let tripped = try check(yaml, history: three)
        #expect(tripped.outcome == .failed)
        #expect(tripped.message == "3 of 10 gate results failed or errored over the last 10 runs (30 %), at or above 20 %")
        let other = try TemporaryFolder()
        let one = try store(["g/c failed"] + Array(repeating: "g/c passed", count: 9), in: other)
        #expect(try check(yaml, history: one).outcome == .passed)
        let few = try TemporaryFolder()
        let short = try store(["g/c failed", "g/c failed"], in: few)
        let skipped = try check(yaml, history: short)
        #expect(skipped.outcome == .skipped)
        #expect(skipped.message == "only 2 runs of this target, this one included; the error rate needs 5")
    }

    @Test("latency_trend over a seeded history: rising fails, shuffled and noisy pass")
    func latencyTrend() throws {
        let yaml = "        kind: latency_trend\n        gate: auth_performance\n"
        func runs(_ values: [Double]) -> [String] { values.map { "auth_performance/sign-in passed auth_p95=\($0) operations=\($0)" } }
        let rising = try store(runs(TrendTests.rising), in: TemporaryFolder())
        let failed = try check(yaml, history: rising)
        #expect(failed.outcome == .failed)
        #expect(failed.message.hasPrefix("sign-in auth_p95 rises: 100 → 161 ms over 12 runs"), "\(failed.message)")
        #expect(!failed.message.contains("operations"), "a count is not a latency")
        #expect(try check(yaml, history: store(runs(TrendTests.shuffled), in: TemporaryFolder())).outcome == .passed)
        #expect(try check(yaml, history: store(runs(TrendTests.noisyFlat(count: 20, seed: 7)), in: TemporaryFolder())).outcome == .passed)
    }

    @Test("retention keeps the newest runs of the target")
    func retention() throws {
        let folder = try TemporaryFolder()
        let history = try HistoryStore(path: folder.path("h.sqlite"))
        for index in 0..<15 {
            let report = RunReport(tool: "t", target: .build, startedAt: Date(), durationSeconds: 0,
                                   gates: [GateReport(id: "g", title: "g", severity: .p2, responseTime: "", escalation: "", runbook: [],
                                                      checks: [CheckReport(name: "c", kind: "k", outcome: .passed, message: "",
                                                                           measurements: [Measurement(name: "t_time", value: Double(index), unit: "ms")])])])
            try history.append(report, runID: "run-\(index)", commit: nil, retention: 10)
        }
        #expect(try history.runCount(target: .build) == 10)
        #expect(try history.series(target: .build, runs: 100, gate: "g", check: nil).values.first == (5..<15).map(Double.init))
    }

    @Test("a run is in the SQLite file itself once its append returns, and a closed history leaves no -wal or -shm beside it: a CI cache of the file alone keeps every run")
    func fileAloneHoldsTheRuns() throws {
        let folder = try TemporaryFolder()
        let history = try HistoryStore(path: folder.path("h.sqlite"))
        history.prepareAppend()
        let report = RunReport(tool: "t", target: .build, startedAt: Date(), durationSeconds: 0,
                               gates: [GateReport(id: "g", title: "g", severity: .p2, responseTime: "", escalation: "", runbook: [],
                                                  checks: [CheckReport(name: "c", kind: "k", outcome: .failed, message: "")])])
        try history.append(report, runID: "run-1", commit: nil, retention: 0)
        // The file alone, copied while the connection is still open (as a cache step may find it).
        try FileManager.default.createDirectory(atPath: folder.path("copy"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: folder.path("h.sqlite"), toPath: folder.path("copy/h.sqlite"))
        let copy = try HistoryStore(path: folder.path("copy/h.sqlite"))
        #expect(try copy.runCount(target: .build) == 1)
        #expect(try copy.executions(target: .build, runs: 5, gate: nil).map(\.outcome) == [.failed])
        copy.close()
        history.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path(".")).sorted() == ["copy", "h.sqlite"])
    }

    @Test("many runs appended at once to one SQLite history lose no row")
    func concurrentAppends() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("shared.sqlite")
        _ = try HistoryStore(path: path)
        let threads = 8, perThread = 25
        let failures = appendFromThreads(threads, perThread) { try HistoryStore(path: path) }
        #expect(failures.isEmpty, "\(failures)")
        let store = try HistoryStore(path: path)
        #expect(try store.runCount(target: .build) == threads * perThread)
        #expect(try store.executions(target: .build, runs: 1000, gate: "g").count == threads * perThread)
    }

    @Test("concurrent quality-gates runs append to one history; a corrupt history is an error, the reports are still written")
    func binary() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": gateFile(checks: "      - {name: always, kind: env, variable: PATH}")])
        let processes = (0..<5).map { _ in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Binary.path)
            process.arguments = ["run", "--config", "gates.yml", "--history", "h.sqlite", "--junit", "/dev/null", "--json", "/dev/null", "--markdown", "/dev/null"]
            // /dev/null as a report path is written in place, never replaced (checked below).
            process.currentDirectoryURL = folder.url
            process.environment = Binary.environment()
            process.standardOutput = FileHandle.nullDevice
            return process
        }
        try processes.forEach { try $0.run() }
        processes.forEach { $0.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        #expect(FileSystem.kind(of: "/dev/null") == .other, "/dev/null must still be the device")
        #expect(try HistoryStore(path: folder.path("h.sqlite")).runCount(target: .build) == 5)
        let shown = try Binary.run(["history", "--history", "h.sqlite"], in: folder)
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("  ✓✓✓✓✓  always"), "\(shown.stdout)")
        // The Markdown report's trend includes the run that wrote it.
        #expect(try Binary.run(["run", "--config", "gates.yml", "--history", "h.sqlite"], in: folder).status == 0)
        let summary = folder.read("reports/summary.md")
        #expect(summary.contains("<details><summary>Trend: the last 6 build runs, oldest first</summary>"), "\(summary)")
        #expect(summary.contains("| `g` | always | `✓✓✓✓✓✓` | | | |"), "\(summary)")

        try folder.write("corrupt.sqlite", "this is not a database, it only has the name of one")
        let result = try Binary.run(["run", "--config", "gates.yml", "--history", "corrupt.sqlite"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.contains("error: the history corrupt.sqlite is not a usable SQLite database"), "\(result.stderr)")
        #expect(folder.read("reports/junit.xml").contains("always"))
        #expect(try Binary.run(["run", "--config", "gates.yml", "--history", "none"], in: folder).status == 0)
    }
}

/// Appends `perThread` example runs (`g/c passed t_time=…`) from each of `threads` threads at once,
/// each with a store `open` gives it (a connection of its own, as another process would have);
/// returns the errors.
func appendFromThreads(_ threads: Int, _ perThread: Int, open: @escaping @Sendable () throws -> HistoryStore) -> [String] {
    let group = DispatchGroup()
    let failures = Failures()
    for thread in 0..<threads {
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            do {
                let store = try open()
                for index in 0..<perThread {
                    try store.appendExampleRun("g/c passed t_time=\(index)", index: thread * 1000 + index)
                }
            } catch {
                failures.add("\(error)")
            }
        }
    }
    group.wait()
    return failures.all
}

final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) { lock.lock(); items.append(item); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}

/// The Markdown and HTML trend is the history's earlier runs, read while the checks run, with the
/// run itself added in memory: it must be what reading the history after the append would give.
struct TrendOverviewTests {
    /// A seeded run: of 6 possible checks in 3 gates, each present at random, with a random
    /// outcome (held back at times) and 0 to 2 of 3 measurements.
    static func run(_ random: inout UInt64) -> RunReport {
        func next(_ bound: Int) -> Int {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return Int(random >> 33) % bound
        }
        let outcomes: [Outcome] = [.passed, .failed, .errored, .skipped, .warned]
        let gates = ["g1", "g2", "g3"].map { gate in
            let checks = ["a", "b"].filter { _ in next(4) > 0 }.map { name in
                var check = CheckReport(name: name, kind: "k", outcome: outcomes[next(5)], message: "",
                                        measurements: ["p95", "count", "rate"].filter { _ in next(3) == 0 }
                                            .map { Measurement(name: $0, value: Double(next(1000)) / 8, unit: "ms") })
                if next(6) == 0 { check.heldBack = .failed }
                return check
            }
            return GateReport(id: gate, title: gate, severity: .p2, responseTime: "", escalation: "", runbook: [], checks: checks)
        }
        return RunReport(tool: "t", target: .build, startedAt: Date(), durationSeconds: 0, gates: gates)
    }

    @Test("on 60 seeded histories, the earlier runs plus the run in memory equal the history read after the append (outcomes and measurements)")
    func sameAsReadAfterAppend() throws {
        let folder = try TemporaryFolder()
        var random: UInt64 = 2026
        for history in 0..<60 {
            let store = try HistoryStore(path: folder.path("h\(history).sqlite"))
            let retention = [0, 3, 25][history % 3]
            for index in 0..<(history % 30) {
                try store.append(Self.run(&random), runID: "r\(index)", commit: nil, retention: retention)
            }
            let shown = retention > 0 ? min(20, retention) : 20
            let report = Self.run(&random)
            let merged = HistoryStore.overview(try store.overview(target: .build, runs: shown - 1), adding: report)
            try store.append(report, runID: "last", commit: nil, retention: retention)
            let read = try store.overview(target: .build, runs: shown)
            #expect(merged.map { "\($0.gate)/\($0.check)" } == read.map { "\($0.gate)/\($0.check)" }, "history \(history)")
            #expect(merged.map(\.outcomes) == read.map(\.outcomes), "history \(history)")
            #expect(merged.map { $0.measurements.map { "\($0.name)=\($0.values)" } } == read.map { $0.measurements.map { "\($0.name)=\($0.values)" } },
                    "history \(history)")
            store.close()
        }
    }
}
