/// The state of every check of a run, changed only by the runner's event loop.
struct Schedule {
    struct Entry {
        let gateID: String
        let check: ConfiguredCheck
        let reference: CheckReference
    }

    enum State {
        case pending
        case running
        case waitingForRetry
        /// Finished before the checks it needs: the result counts once they have passed.
        case heldForNeeds(CheckResult)
        case done(CheckResult)
    }

    let entries: [Entry]
    private let gates: [Gate]
    private let indexOf: [CheckReference: Int]
    private(set) var states: [State]
    private(set) var attempts: [Int]
    private var started: [ContinuousClock.Instant?]
    private var durations: [Double]
    private var reported: [Bool]
    /// Started before the checks it needs had passed (see `CheckDescription.readsHandoff`).
    private var early: [Bool]
    /// The checks a check takes something from: for a check that reads what its needs hand on,
    /// the checks whose values reach it. A need that exposes values is one; a need that only
    /// passes on what its own needs handed it is looked through (the query proving that the
    /// backend accepts a sign-in's token passes the token on: a check that reads the token takes
    /// it from the sign-in, and starts beside that query).
    private let takesFrom: [[Int]]
    /// The checks in the order free slots go to them: those on the longest chain of checks that
    /// wait for what the one before hands on first, then the gate files' order. A check waits
    /// only for the values it takes (it starts beside its other needs), so those chains bound the
    /// run; with `--jobs` slots taken, the sign-in, the query that takes its token and the budget
    /// that takes that query's child id each start before a check nothing waits for.
    private let startOrder: [Int]

    init(gates: [Gate], target: Target) {
        self.gates = gates
        entries = gates.flatMap { gate in
            gate.checks.map { Entry(gateID: gate.id, check: $0, reference: CheckReference(gate: gate.id, check: $0.name)) }
        }
        indexOf = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.reference, $0) })
        states = entries.map { entry in
            entry.check.targets.contains(target) ? .pending : .done(.skipped(.notForTarget, Self.targetReason(entry.check.targets)))
        }
        attempts = Array(repeating: 0, count: entries.count)
        started = Array(repeating: nil, count: entries.count)
        durations = Array(repeating: 0, count: entries.count)
        reported = Array(repeating: false, count: entries.count)
        early = Array(repeating: false, count: entries.count)
        takesFrom = Self.takesFrom(entries, indexOf)
        startOrder = Self.startOrder(takesFrom)
    }

    private static func takesFrom(_ entries: [Entry], _ indexOf: [CheckReference: Int]) -> [[Int]] {
        var known: [Int: [Int]] = [:]
        // Needs form no cycle (the loader refuses them), so the recursion ends.
        func origins(_ index: Int) -> [Int] {
            if let answer = known[index] { return answer }
            var answer: [Int] = []
            for need in entries[index].check.needs {
                guard let other = indexOf[need] else { continue }
                for origin in entries[other].check.check.exposes.isEmpty ? origins(other) : [other] where !answer.contains(origin) {
                    answer.append(origin)
                }
            }
            known[index] = answer
            return answer
        }
        return entries.indices.map { index in
            type(of: entries[index].check.check).description.readsHandoff ? origins(index) : []
        }
    }

    /// Every check, by the length of the longest chain of handed-on values it is part of (the
    /// checks before it that it takes from, itself, the checks after it that take from it),
    /// longest first; equal lengths in the gate files' order.
    private static func startOrder(_ takesFrom: [[Int]]) -> [Int] {
        var takers = Array(repeating: [Int](), count: takesFrom.count)
        for (index, origins) in takesFrom.enumerated() {
            for origin in origins { takers[origin].append(index) }
        }
        // Needs form no cycle (the loader refuses them), so the recursions end.
        var before: [Int: Int] = [:], after: [Int: Int] = [:]
        func chainBefore(_ index: Int) -> Int {
            if let known = before[index] { return known }
            let answer = 1 + (takesFrom[index].map(chainBefore).max() ?? 0)
            before[index] = answer
            return answer
        }
        func chainAfter(_ index: Int) -> Int {
            if let known = after[index] { return known }
            let answer = 1 + (takers[index].map(chainAfter).max() ?? 0)
            after[index] = answer
            return answer
        }
        let length = takesFrom.indices.map { chainBefore($0) + chainAfter($0) - 1 }
        return takesFrom.indices.sorted { (length[$0], $1) > (length[$1], $0) }
    }

    private static func targetReason(_ targets: Set<Target>) -> String {
        let names = Target.allCases.filter(targets.contains).map(\.rawValue)
        return names.isEmpty ? "runs on no target" : "runs on the \(names.joined(separator: " and ")) target only"
    }

    var isComplete: Bool {
        states.allSatisfy { if case .done = $0 { true } else { false } }
    }

    private var running: Int {
        states.filter { if case .running = $0 { true } else if case .waitingForRetry = $0 { true } else { false } }.count
    }

    func isRunning(_ index: Int, attempt: Int) -> Bool {
        if case .running = states[index] { return attempts[index] == attempt }
        return false
    }

    /// Whether a check judges the run: it waits until every other check has finished.
    /// Whether a check of the run that has not been settled (one for the target, not skipped)
    /// needs `index`, and so may use what it hands on.
    func isNeeded(_ index: Int) -> Bool {
        let reference = entries[index].reference
        return entries.indices.contains { other in
            if case .done = states[other] { return false }
            return entries[other].check.needs.contains(reference)
        }
    }

    func judgesTheRun(_ index: Int) -> Bool { type(of: entries[index].check.check).description.judgesTheRun }

    /// Whether every check that does not judge the run has finished.
    private var othersFinished: Bool {
        entries.indices.allSatisfy { index in
            if judgesTheRun(index) { return true }
            if case .done = states[index] { return true }
            return false
        }
    }

    /// The run's results so far, for the checks that judge it.
    func currentRun() -> [RunResult] {
        entries.indices.compactMap { index in
            guard case .done(let result) = states[index], !judgesTheRun(index) else { return nil }
            return RunResult(gate: entries[index].gateID, check: entries[index].check.name, outcome: result.outcome,
                             measurements: result.measurements)
        }
    }

    /// The gates whose every check judges the run.
    var judgingGates: Set<String> {
        Set(gates.filter { gate in !gate.checks.isEmpty && gate.checks.allSatisfy { type(of: $0.check).description.judgesTheRun } }.map(\.id))
    }

    /// Whether a check may start while some checks it needs are still going: it does not judge the
    /// run, and every need it takes something from has passed.
    func startsEarly(_ index: Int) -> Bool {
        guard !judgesTheRun(index) else { return false }
        return takesFrom[index].allSatisfy { need in
            // A result held for its own needs has handed its values on already: a check taking
            // them starts, and is held in turn until those needs pass.
            switch states[need] {
            case .done(let result), .heldForNeeds(let result): result.outcome == .passed || result.outcome == .warned
            case .pending, .running, .waitingForRetry: false
            }
        }
    }

    /// Pending checks that may start, up to the free slots: those whose needs have all passed, and
    /// those whose needs that hand them something have (they start beside the others). On the way, checks whose
    /// needs did not pass are settled as skipped (an early one's attempt is dropped), and results
    /// held for their needs are released. Checks that judge the run wait for all the others.
    mutating func startable(limit: Int, at now: ContinuousClock.Instant) -> [Int] {
        var chosen: [Int] = []
        var changed = true
        while changed {
            changed = false
            let othersDone = othersFinished
            for index in startOrder where !chosen.contains(index) {
                switch states[index] {
                case .pending:
                    if judgesTheRun(index), !othersDone { continue }
                    switch needsState(index) {
                    case .blocked(let reason, let why):
                        states[index] = .done(.skipped(why, reason))
                        changed = true
                    case .ready where running + chosen.count < limit:
                        chosen.append(index)
                    case .waiting where startsEarly(index) && running + chosen.count < limit:
                        early[index] = true
                        chosen.append(index)
                    case .ready, .waiting:
                        break
                    }
                case .running, .waitingForRetry, .heldForNeeds:
                    guard early[index] else { continue }
                    switch needsState(index) {
                    case .blocked(let reason, let why):
                        if case .heldForNeeds = states[index] {} else { durations[index] = started[index].map { (now - $0).seconds } ?? 0 }
                        states[index] = .done(.skipped(why, reason))
                        changed = true
                    case .ready:
                        if case .heldForNeeds(let result) = states[index] {
                            states[index] = .done(withHandoff(result, index))
                            changed = true
                        }
                    case .waiting:
                        break
                    }
                case .done:
                    continue
                }
            }
        }
        return chosen
    }

    private enum NeedsState { case ready, waiting, blocked(String, SkipReason) }

    private func needsState(_ index: Int) -> NeedsState {
        for need in entries[index].check.needs {
            let name = need.gate == entries[index].gateID ? need.check : need.description
            guard let other = indexOf[need] else {
                // Only a gate left out by --only or --skip can hold a needed check that is not here.
                return .blocked("needs '\(name)', which is not in this run; select its gate too (--only \(need.gate),…)", .notSelected)
            }
            guard case .done(let result) = states[other] else { return .waiting }
            // A warning does not block: the check met what it must.
            if result.outcome != .passed && result.outcome != .warned {
                return .blocked("needs '\(name)', which \(result.outcome.pastTense)", .needsNotPassed)
            }
        }
        return .ready
    }

    /// What the passed checks that `index` needs handed on, merged in the order of `needs`. A
    /// check hands on what it received too, so values flow down a chain of needs (a sign-in's
    /// token through the check that proves the backend accepts it, to the query that uses it).
    /// For a need still going, what its own needs handed on: what it will pass on is known, and a
    /// check that starts beside it reads that. For a need whose passed result is held for its own
    /// needs, that and its own values.
    func handoff(for index: Int) -> [String: String] {
        var merged: [String: String] = [:]
        for need in entries[index].check.needs {
            guard let other = indexOf[need] else { continue }
            switch states[other] {
            case .done(let result):
                guard result.outcome == .passed || result.outcome == .warned else { continue }
                merged.merge(result.handoff) { first, _ in first }
            case .heldForNeeds(let result):
                guard result.outcome == .passed || result.outcome == .warned else { continue }
                merged.merge(handoff(for: other).merging(result.handoff) { _, own in own }) { first, _ in first }
            case .pending, .running, .waitingForRetry:
                merged.merge(handoff(for: other)) { first, _ in first }
            }
        }
        return merged
    }

    mutating func begin(_ index: Int, at now: ContinuousClock.Instant) -> Int {
        states[index] = .running
        attempts[index] += 1
        if started[index] == nil { started[index] = now }
        return attempts[index]
    }

    mutating func waitForRetry(_ index: Int) { states[index] = .waitingForRetry }

    mutating func finish(_ index: Int, _ result: CheckResult, at now: ContinuousClock.Instant) {
        var result = result
        // A check of severity warn never blocks: what would have failed or errored warns.
        if entries[index].check.level == .warn, result.outcome == .failed || result.outcome == .errored {
            result.outcome = .warned
        }
        let retries = attempts[index] - 1
        if retries > 0 { result.message += " (after \(retries) \(retries == 1 ? "retry" : "retries"))" }
        durations[index] = started[index].map { (now - $0).seconds } ?? 0
        if early[index] {
            switch needsState(index) {
            case .waiting:
                states[index] = .heldForNeeds(result)
                return
            case .blocked(let reason, let why):
                states[index] = .done(.skipped(why, reason))
                return
            case .ready:
                break
            }
        }
        states[index] = .done(withHandoff(result, index))
    }

    /// A passed result hands on what its needs handed it, too.
    private func withHandoff(_ result: CheckResult, _ index: Int) -> CheckResult {
        guard result.outcome == .passed || result.outcome == .warned else { return result }
        var result = result
        result.handoff = handoff(for: index).merging(result.handoff) { _, own in own }
        return result
    }

    mutating func abandonUnfinished(reason: String, at now: ContinuousClock.Instant) {
        for index in entries.indices {
            if case .done = states[index] { continue }
            early[index] = false  // nothing is held any more: the checks it needs will not finish
            finish(index, .errored(reason), at: now)
        }
    }

    /// Checks that finished since the last call, for progress output.
    mutating func drainFinished() -> [Int] {
        entries.indices.filter { index in
            guard !reported[index], case .done = states[index] else { return false }
            reported[index] = true
            return true
        }
    }

    func report(_ index: Int) -> CheckReport {
        let entry = entries[index]
        guard case .done(let result) = states[index] else { preconditionFailure("reported before finishing") }
        return CheckReport(name: entry.check.name, kind: entry.check.kind, outcome: result.outcome, message: result.message,
                           details: result.details, findings: result.findings, measurements: result.measurements,
                           durationSeconds: durations[index], attempts: attempts[index],
                           definedAt: entry.check.location.description, skipReason: result.outcome == .skipped ? result.skipReason : nil,
                           heldBack: result.heldBack, schemaSnapshot: result.schemaSnapshot)
    }

    func gateReports() -> [GateReport] {
        var next = 0
        return gates.map { gate in
            let checks = gate.checks.indices.map { _ in defer { next += 1 }; return report(next) }
            return GateReport(id: gate.id, title: gate.title, severity: gate.severity, responseTime: gate.responseTime,
                              escalation: gate.escalation, runbook: gate.runbook, checks: checks)
        }
    }
}

extension Outcome {
    /// `failed`, `errored`, `was skipped`, `passed`.
    var pastTense: String {
        switch self {
        case .passed: "passed"
        case .failed: "failed"
        case .errored: "errored"
        case .skipped: "was skipped"
        case .warned: "warned"
        }
    }
}
