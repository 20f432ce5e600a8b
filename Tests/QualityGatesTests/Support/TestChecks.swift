import Foundation
@testable import QualityGates

/// A check for runner tests: returns scripted results in turn, optionally after sleeping, and
/// counts how many attempts run at once.
final class ScriptedCheck: Check, @unchecked Sendable {
    static let description = CheckDescription(kind: "scripted", summary: "test only", parameters: [], defaultTargets: [.build], examples: [])

    private let lock = NSLock()
    private var results: [CheckResult]
    private let sleep: Double
    private let meter: ConcurrencyMeter?
    private(set) var attempts = 0
    private var finishedAttempts = 0

    /// Whether an attempt has run to its end (sleep included). A run that ended while this is false
    /// did not wait for the check, whatever the wall clock says on a loaded machine.
    var finished: Bool { lock.withLock { finishedAttempts > 0 } }

    init(_ results: [CheckResult], sleep: Double = 0, meter: ConcurrencyMeter? = nil) {
        self.results = results
        self.sleep = sleep
        self.meter = meter
    }

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        throw ConfigError(.usage("test only"), at: nil)
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> CheckResult {
        meter?.enter()
        defer { meter?.leave() }
        if sleep > 0 { Thread.sleep(forTimeInterval: sleep) }
        return lock.withLock {
            attempts += 1
            finishedAttempts += 1
            return results.count > 1 ? results.removeFirst() : results[0]
        }
    }

    func judge(_ observation: CheckResult) -> CheckResult { observation }
}

/// A scripted check that uses what its needs hand on (as graphql_query uses a sign-in's token): it
/// starts only after they have passed, and records when it started.
final class HandoffReadingCheck: Check, @unchecked Sendable {
    static let description = CheckDescription(kind: "scripted_reader", summary: "test only", parameters: [], defaultTargets: [.build],
                                              readsHandoff: true, examples: [])
    let stamps = Stamps()

    init() {}

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        throw ConfigError(.usage("test only"), at: nil)
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> CheckResult {
        stamps.start()
        return .passed("read \(context.handoff.keys.sorted())")
    }

    func judge(_ observation: CheckResult) -> CheckResult { observation }
}

/// A scripted query that uses what its needs hand on and exposes a value of its own (as a query
/// with `expose` hands a child's id on).
final class ExposingReaderCheck: Check, @unchecked Sendable {
    static let description = CheckDescription(kind: "scripted_exposing_reader", summary: "test only", parameters: [],
                                              defaultTargets: [.build], readsHandoff: true, examples: [])
    let stamps = Stamps()

    init() {}

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        throw ConfigError(.usage("test only"), at: nil)
    }

    var exposes: [String] { ["childId"] }

    func observe(_ context: CheckContext) throws(CheckStop) -> CheckResult {
        stamps.start()
        var result = CheckResult.passed("read \(context.handoff.keys.sorted())")
        result.handoff = ["childId": "c1"]
        stamps.end()
        return result
    }

    func judge(_ observation: CheckResult) -> CheckResult { observation }
}

/// When a check's attempt started and ended; another check can wait for the start.
final class Stamps: @unchecked Sendable {
    private let lock = NSLock()
    private var startedAt: ContinuousClock.Instant?
    private var endedAt: ContinuousClock.Instant?
    private let startSignal = DispatchSemaphore(value: 0)

    var started: ContinuousClock.Instant? { lock.withLock { startedAt } }
    var ended: ContinuousClock.Instant? { lock.withLock { endedAt } }

    func start() {
        lock.withLock { startedAt = ContinuousClock.now }
        startSignal.signal()
    }

    func end() { lock.withLock { endedAt = ContinuousClock.now } }

    /// Waits until the check has started, for at most `seconds`.
    func waitForStart(seconds: Double) { _ = startSignal.wait(timeout: .now() + seconds) }
}

/// A check that sleeps and passes, stamping when it ran. It takes nothing from its needs and
/// hands on only what they handed it.
class StampedCheck: Check, @unchecked Sendable {
    class var description: CheckDescription {
        CheckDescription(kind: "scripted_stamped", summary: "test only", parameters: [], defaultTargets: [.build], examples: [])
    }
    let stamps = Stamps()
    private let sleep: Double
    private let until: Stamps?

    /// Sleeps `sleep` seconds; with `until`, also waits (up to 60 s) for that check to start.
    init(sleep: Double, until: Stamps? = nil) {
        self.sleep = sleep
        self.until = until
    }

    required init(_ parameters: inout CheckParameters) throws(ConfigError) {
        throw ConfigError(.usage("test only"), at: nil)
    }

    /// What the check hands on of its own when it passes, and the names it exposes.
    var handoff: [String: String] { [:] }
    var exposes: [String] { [] }

    func observe(_ context: CheckContext) throws(CheckStop) -> CheckResult {
        stamps.start()
        Thread.sleep(forTimeInterval: sleep)
        until?.waitForStart(seconds: 60)
        var result = CheckResult.passed("slept")
        result.handoff = handoff
        stamps.end()
        return result
    }

    func judge(_ observation: CheckResult) -> CheckResult { observation }
}

/// A stamped check that hands a token on, as a sign-in does.
final class HandingCheck: StampedCheck, @unchecked Sendable {
    override class var description: CheckDescription {
        CheckDescription(kind: "scripted_sign_in", summary: "test only", parameters: [], defaultTargets: [.build], examples: [])
    }

    override var handoff: [String: String] { ["access_token": "t0ken"] }
    override var exposes: [String] { ["access_token"] }
}

/// The highest number of attempts seen running at once.
final class ConcurrencyMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var peak = 0

    func enter() { lock.withLock { current += 1; peak = max(peak, current) } }
    func leave() { lock.withLock { current -= 1 } }
}

func configured(_ name: String, _ check: any Check, targets: Set<Target> = [.build], timeout: Double = 10, retries: Int = 0,
                needs: [String] = [], gate: String = "g") -> ConfiguredCheck {
    ConfiguredCheck(name: name, kind: "scripted", check: check, targets: targets, timeout: timeout, retries: retries,
                    needs: needs.map { CheckReference(gate: gate, check: $0) }, location: SourceLocation(file: "t.yml", line: 1, column: 1))
}

func gate(_ id: String, severity: Severity = .p1, _ checks: [ConfiguredCheck]) -> Gate {
    Gate(id: id, title: id, severity: severity, responseTime: "", escalation: "", runbook: ["act"], checks: checks,
         location: SourceLocation(file: "t.yml"))
}

func run(_ gates: [Gate], jobs: Int = 4, deadline: Double? = nil, target: Target = .build,
         selection: GateSelection = GateSelection(), runner: Runner = Runner()) async -> RunReport {
    let options = RunOptions(target: target, projectRoot: URL(fileURLWithPath: "/"), environment: Environment([:]), jobs: jobs,
                             deadline: deadline, selection: selection, retryBackoff: 0.01)
    return await runner.run(GateConfiguration(gates: gates, secretNames: [], files: []), options: options, tool: "test")
}
