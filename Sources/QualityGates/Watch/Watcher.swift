import FoundationEssentials
import Glibc
import ProjectFiles
import Synchronization

/// `quality-gates watch`: runs the gates on cadences (by severity), appends every run to the
/// history, and turns failures into incidents: an incident opens when a gate fails and alerts its
/// route once; it resolves, with one more alert, when the gate passes again. Open incidents live
/// in the history, so a restarted watcher does not alert twice. Stops within a moment of SIGINT
/// or SIGTERM, the run in flight interrupted (its reports written).
public final class Watcher: Sendable {
    public struct Settings: Sendable {
        /// What each run does (`only` and `skip` narrow the gates watched).
        public var run = RunSession.Settings()
        /// One run of every gate, then exit with its status.
        public var once = false
        /// Seconds between runs of a gate, by severity (the runbook's monitoring: sign-in and the
        /// database every minute, performance every 3, the rest every 10 and 15).
        public var cadence: [Severity: Double] = [.p0: 60, .p1: 180, .p2: 600, .p3: 900]

        public init() {}
    }

    private let settings: Settings
    private let stopped = Mutex<String?>(nil)
    private let current = Mutex<RunSession?>(nil)

    public init(_ settings: Settings) {
        self.settings = settings
    }

    /// Ends the watch: the run in flight is interrupted, and no other starts. Any thread.
    public func stop(by signal: String) {
        stopped.withLock { if $0 == nil { $0 = signal } }
        current.withLock { $0?.interrupt(by: signal) }
    }

    private var isStopped: Bool { stopped.withLock { $0 != nil } }

    /// Watches until stopped (or once); the exit status.
    public func run() async -> Int32 {
        let environment: Environment
        switch GateSources.environment(envFiles: settings.run.envFiles) {
        case .success(let value): environment = value
        case .failure(let error):
            Console.error("error: \(Redactor(environment: .process()).redact(error.description))")
            return ExitStatus.configurationError
        }
        let configuration: GateConfiguration
        switch GateSources.load(configs: settings.run.configs, LoadOptions(environment: environment, target: settings.run.target,
                                                                           selection: settings.run.selection)) {
        case .success(let loaded): configuration = loaded
        case .failure(let errors):
            let redactor = Redactor(environment: environment)
            errors.errors.forEach { Console.error("error: \(redactor.redact($0.description))") }
            return ExitStatus.configurationError
        }
        let redactor = Redactor(environment: environment, secretNames: configuration.secretNames)
        let watched = configuration.gates.filter { settings.run.selection.includes($0.id) }
        var nextDue = Dictionary(uniqueKeysWithValues: watched.map { ($0.id, 0.0) })
        var incidents = Incidents(history: settings.run.history, target: settings.run.target.rawValue)
        var status: Int32 = 0
        while !isStopped {
            let now = Date().timeIntervalSince1970
            let due = watched.filter { settings.once || nextDue[$0.id, default: 0] <= now }
            if !due.isEmpty {
                var run = settings.run
                run.selection = GateSelection(only: Set(due.map(\.id)))
                let session = RunSession(run)
                current.withLock { $0 = session }
                status = await session.run().exitStatus
                current.withLock { $0 = nil }
                for gate in due { nextDue[gate.id] = now + (gate.every ?? settings.cadence[gate.severity] ?? 300) }
                if isStopped { break }
                if let report = try? JSONReporter.decode(Array((try? FileReader.read(path: run.json, display: run.json)) ?? [])) {
                    Console.out("\(Timestamp.iso8601(Date())) ran \(due.map(\.id).joined(separator: ", ")): exit \(status)\n")
                    for gate in report.gates {
                        incidents.update(gate, configuration: configuration, environment: environment, redactor: redactor)
                    }
                }
            }
            if settings.once { break }
            // Until the next gate is due, awake to a stop every tenth of a second.
            let wake = nextDue.values.min() ?? (now + 60)
            while !isStopped, Date().timeIntervalSince1970 < wake {
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        incidents.close()
        return settings.once ? status : 0
    }
}

/// The incidents of a watch: in the history when there is one, else for this process only.
struct Incidents {
    private let store: HistoryStore?
    private let target: String
    private var open: [String: Double] = [:]
    /// When each open incident last alerted, without a history.
    private var alerted: [String: Double] = [:]
    /// Failing and passing runs in a row, per gate, when there is no history to count them in.
    private var streak: [String: Int] = [:]
    private var passes: [String: Int] = [:]

    init(history: String, target: String) {
        self.target = target
        guard history != "none" else {
            store = nil
            return
        }
        do {
            if !HistoryStore.isDatabaseURL(history) { try ReportFiles.makeFolder(for: history) }
            store = try HistoryStore(location: history)
        } catch {
            // The runs report the history's problem themselves; incidents fall back to this process.
            Console.error("warning: incidents are kept for this process only: \(error)")
            store = nil
        }
    }

    func close() { store?.close() }

    /// How many of the gate's newest runs failed (or, with `failing` false, did not) in a row, up
    /// to `wanted`: from the history, where the runs of earlier watchers count too, else from this
    /// process's own.
    private func runsInARow(_ gate: String, failing: Bool, wanted: Int) -> Int {
        guard wanted > 1, let store, let target = Target(rawValue: target),
              let executions = try? store.executions(target: target, runs: wanted * 50, gate: gate) else {
            return (failing ? streak : passes)[gate, default: 0]
        }
        let runs = Dictionary(grouping: executions, by: \.run).sorted { $0.key > $1.key }.prefix(wanted)
        return runs.prefix { _, checks in checks.contains { $0.outcome == .failed || $0.outcome == .errored } == failing }.count
    }

    /// Opens or resolves the gate's incident, and alerts its route when either happens.
    mutating func update(_ gate: GateReport, configuration: GateConfiguration, environment: Environment, redactor: Redactor) {
        let now = Date().timeIntervalSince1970
        let failing = gate.status == .failed || gate.status == .errored
        let passing = gate.status == .passed || gate.status == .warned
        streak[gate.id] = failing ? streak[gate.id, default: 0] + 1 : 0
        passes[gate.id] = passing ? passes[gate.id, default: 0] + 1 : 0
        var action: String?
        var openedAt: Double?
        let needed = configuration.gates.first { $0.id == gate.id }?.consecutive ?? 1
        if failing, runsInARow(gate.id, failing: true, wanted: needed) >= needed {
            let opened: Bool
            if let store {
                opened = (try? store.openIncident(target: target, gate: gate.id, at: now)) ?? false
            } else {
                opened = open[gate.id] == nil
            }
            if opened {
                open[gate.id] = now
                alerted[gate.id] = now
                action = "trigger"
            } else if let every = configuration.alerts?.repeatAfter {
                // Still failing: alert again once the last alert is `repeat_after` old.
                let repeated: Bool
                if let store {
                    repeated = (try? store.repeatIncident(target: target, gate: gate.id, at: now, after: every)) ?? false
                } else {
                    repeated = now - alerted[gate.id, default: now] >= every
                    if repeated { alerted[gate.id] = now }
                }
                if repeated { action = "trigger" }
            }
        } else if passing, runsInARow(gate.id, failing: false, wanted: configuration.alerts?.successThreshold ?? 1)
                    >= (configuration.alerts?.successThreshold ?? 1) {
            if let store {
                openedAt = try? store.resolveIncident(target: target, gate: gate.id, at: now)
            } else {
                openedAt = open.removeValue(forKey: gate.id)
            }
            if openedAt != nil { action = "resolve" }
        }
        guard let action, let policy = configuration.alerts else { return }
        let failure = gate.checks.first { $0.outcome == .failed || $0.outcome == .errored }
        let message: String
        if action == "resolve" {
            let minutes = Int(((now - (openedAt ?? now)) / 60).rounded())
            message = "passing again after \(minutes) minute\(minutes == 1 ? "" : "s")"
        } else {
            message = failure.map { "\($0.name): \($0.message)" } ?? "the gate \(gate.status.rawValue)"
        }
        let alert = Alert(gate: gate.id, title: gate.title, severity: gate.severity, responseTime: gate.responseTime,
                          escalation: gate.escalation, action: action, message: message, runbook: action == "resolve" ? [] : gate.runbook)
        for name in policy.route[gate.severity] ?? [] {
            guard let channel = policy.channels[name] else { continue }
            do {
                let delivery = try AlertSender.send(alert, via: channel, file: policy.file, environment: environment)
                let line = "\(action == "resolve" ? "resolved" : "alert") \(gate.id) via \(name): HTTP \(delivery.status)"
                if delivery.delivered { Console.out(line + "\n") } else { Console.error("warning: \(line), not delivered") }
            } catch {
                Console.error("warning: \(redactor.redact(error.description))")
            }
        }
    }
}
