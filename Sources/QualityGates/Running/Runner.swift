import FoundationEssentials
import Postgres
import ProjectFiles

/// Runs the checks of a configuration: at most `jobs` at once, each attempt on a thread of its own
/// with a timeout, `needs` first, errored attempts retried, and the whole run bounded by the
/// deadline. `interrupt(_:)` ends the run early with what has finished.
///
/// Everything is decided in one loop that consumes events (an attempt finished, timed out, a retry
/// is due, the deadline passed, a signal came), so no state is shared between threads.
public final class Runner: Sendable {
    enum Event: Sendable {
        case finished(index: Int, attempt: Int, result: CheckResult)
        case timedOut(index: Int, attempt: Int)
        case retryDue(index: Int)
        case stop(reason: String)
    }

    private let events: AsyncStream<Event>
    private let sink: AsyncStream<Event>.Continuation

    /// A runner, ready for one run.
    public init() {
        (events, sink) = AsyncStream.makeStream(of: Event.self)
    }

    /// Ends the run early: unfinished checks become errors that give `reason`. Safe from any thread.
    public func interrupt(_ reason: String) {
        sink.yield(.stop(reason: reason))
    }

    /// Runs `configuration`; `onFinish` hears of each check as it ends (for progress output).
    public func run(_ configuration: GateConfiguration, options: RunOptions, tool: String,
                    onFinish: @Sendable (String, CheckReport) -> Void = { _, _ in }) async -> RunReport {
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let gates = configuration.gates.filter { options.selection.includes($0.id) }
        var schedule = Schedule(gates: gates, target: options.target)
        let listings = FolderListings()
        let inFlight = InFlightStatements()
        let runEnds = options.deadline.map { start + .milliseconds(Int64($0 * 1000)) }
        let deadlineTask = options.deadline.map { seconds in
            Task { [sink] in
                try await Task.sleep(for: .seconds(seconds))
                sink.yield(.stop(reason: "the run's deadline of \(Self.format(seconds)) s was reached"))
            }
        }
        defer { deadlineTask?.cancel() }
        var timers: [Int: Task<Void, any Error>] = [:]
        var stoppedEarly: String?
        var iterator = events.makeAsyncIterator()
        while true {
            for index in schedule.startable(limit: options.jobs, at: clock.now) {
                timers[index] = launch(schedule.entries[index], index: index, attempt: schedule.begin(index, at: clock.now),
                                       handoff: schedule.handoff(for: index), options: options, schedule: schedule, listings: listings,
                                       inFlight: inFlight, tool: tool)
            }
            for index in schedule.drainFinished() {
                onFinish(schedule.entries[index].gateID, schedule.report(index))
            }
            if schedule.isComplete { break }
            guard let event = await iterator.next() else { break }
            switch event {
            case .finished(let index, let attempt, let result):
                guard schedule.isRunning(index, attempt: attempt) else { continue }
                timers[index]?.cancel()
                settle(&schedule, index, result, at: clock.now, options: options, runEnds: runEnds)
            case .timedOut(let index, let attempt):
                guard schedule.isRunning(index, attempt: attempt) else { continue }
                let timeout = schedule.entries[index].check.timeout
                settle(&schedule, index, .errored("timed out after \(Self.format(timeout)) s"), at: clock.now, options: options,
                       runEnds: runEnds)
            case .retryDue(let index):
                timers[index] = launch(schedule.entries[index], index: index, attempt: schedule.begin(index, at: clock.now),
                                       handoff: schedule.handoff(for: index), options: options, schedule: schedule, listings: listings,
                                       inFlight: inFlight, tool: tool)
            case .stop(let reason):
                stoppedEarly = reason
                schedule.abandonUnfinished(reason: "not finished: \(reason)", at: clock.now)
                await Self.cancel(inFlight)
            }
            if stoppedEarly != nil {
                for index in schedule.drainFinished() { onFinish(schedule.entries[index].gateID, schedule.report(index)) }
                break
            }
        }
        timers.values.forEach { $0.cancel() }
        return RunReport(tool: tool, target: options.target, startedAt: startedAt,
                         durationSeconds: (clock.now - start).seconds, stoppedEarly: stoppedEarly,
                         gates: schedule.gateReports())
    }

    private func settle(_ schedule: inout Schedule, _ index: Int, _ result: CheckResult, at now: ContinuousClock.Instant,
                        options: RunOptions, runEnds: ContinuousClock.Instant?) {
        let entry = schedule.entries[index]
        let attempt = schedule.attempts[index]
        // Only an attempt that could not be evaluated is retried, and only when another attempt
        // could go otherwise; a failed expectation never is.
        if result.outcome == .errored, result.retryable, attempt <= entry.check.retries {
            var delay = min(options.retryBackoff * Double(1 << min(attempt - 1, 10)), 10)
            if let asked = result.retryAfter { delay = max(delay, asked) }
            // A Retry-After is honoured up to the run's deadline; past it, the attempt stands.
            if let ends = runEnds, now + .milliseconds(Int64(delay * 1000)) >= ends {
                var stands = result
                stands.message += " (not retried: the wait asked would pass the run's deadline)"
                schedule.finish(index, stands, at: now)
                return
            }
            schedule.waitForRetry(index)
            Task { [sink] in
                try? await Task.sleep(for: .seconds(delay))
                sink.yield(.retryDue(index: index))
            }
            return
        }
        schedule.finish(index, Self.flapControlled(result, entry: entry, options: options), at: now)
    }

    /// A failure of a check with flap control blocks only when enough recent runs failed too
    /// (this one included); until then it warns, saying how far it is from blocking.
    static func flapControlled(_ result: CheckResult, entry: Schedule.Entry, options: RunOptions) -> CheckResult {
        guard let flap = entry.check.flap, result.outcome == .failed || result.outcome == .errored else { return result }
        guard let history = options.history else {
            var blocking = result
            blocking.message += " (no history to count \(flap.written) against: blocking)"
            return blocking
        }
        let earlier: [Outcome]
        do {
            let executions = try history.executions(target: options.target, runs: flap.window - 1, gate: entry.gateID)
            let runs = Array(Set(executions.map(\.run))).sorted()
            earlier = runs.map { run in executions.first { $0.run == run && $0.check == entry.check.name }?.outcome ?? .skipped }
        } catch {
            var blocking = result
            blocking.message += " (the history could not be read to count \(flap.written): blocking)"
            return blocking
        }
        let outcomes = earlier + [result.outcome]
        let failing = outcomes.suffix(flap.window).count { $0 == .failed || $0 == .errored }
        let counted = "\(failing) of the last \(min(outcomes.count, flap.window)) runs failing, this one included"
        guard !flap.blocks(outcomes) else {
            var blocking = result
            blocking.message += " (\(counted): \(flap.written))"
            return blocking
        }
        var held = result
        held.heldBack = result.outcome
        held.outcome = .warned
        held.message += " (\(counted); blocks at \(flap.needed)\(flapSuffix(flap)): \(flap.written))"
        return held
    }

    private static func flapSuffix(_ flap: FlapControl) -> String {
        if case .consecutive = flap { return " in a row" }
        return " of \(flap.window)"
    }

    private func launch(_ entry: Schedule.Entry, index: Int, attempt: Int, handoff: [String: String],
                        options: RunOptions, schedule: Schedule, listings: FolderListings,
                        inFlight: InFlightStatements, tool: String) -> Task<Void, any Error> {
        let check = entry.check
        var context = CheckContext(projectRoot: options.projectRoot, environment: options.environment,
                                   target: options.target, timeout: check.timeout, handoff: handoff,
                                   history: options.history)
        context.listings = listings
        context.inFlightStatements = inFlight
        context.cacheFolder = options.cacheFolder
        context.tool = tool
        context.isNeeded = schedule.isNeeded(index)
        context.cleanup = options.cleanup
        if schedule.judgesTheRun(index) {
            context.currentRun = schedule.currentRun()
            context.judgingGates = schedule.judgingGates
        }
        let prepared = context
        let sink = self.sink
        let started = DetachedThread.start {
            let result = check.check.run(prepared, warn: check.warnVariant)
            sink.yield(.finished(index: index, attempt: attempt, result: result))
        }
        if !started {
            sink.yield(.finished(index: index, attempt: attempt, result: .errored("could not start a thread for the check")))
        }
        return Task {
            try await Task.sleep(for: .seconds(check.timeout))
            sink.yield(.timedOut(index: index, attempt: attempt))
        }
    }

    /// A statement left running when the run stops would run on in the server after the process
    /// has gone (a server notices a vanished client only when it next writes to it). Every one is
    /// cancelled, and the checks get a moment to read the cancellation and close their connections.
    static func cancel(_ inFlight: InFlightStatements) async {
        guard inFlight.cancelAll() > 0 else { return }
        let clock = ContinuousClock()
        let end = clock.now + .seconds(2)
        while inFlight.count > 0, clock.now < end {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    static func format(_ seconds: Double) -> String { NumberText.number(seconds) }
}

extension Duration {
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
