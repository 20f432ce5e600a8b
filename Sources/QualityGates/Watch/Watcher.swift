import FoundationEssentials
import Glibc
import ProjectFiles
import Synchronization

/// `quality-gates watch`: runs the gates on cadences (a gate's `every:`, else by severity),
/// appends every run to the history, and turns failures into incidents whose alerts go through
/// an outbox in the history (`AlertDelivery` sends them, retried with backoff). Watchers sharing
/// a history share the work through its schedule: each gate's run is claimed by one of them under
/// a lease that a running watcher renews, so a watcher that dies leaves its gates to the others
/// once the lease runs out. `--listen` serves /metrics and /health. Stops within a moment of
/// SIGINT or SIGTERM, the run in flight interrupted (its reports written).
public final class Watcher: Sendable {
    public struct Settings: Sendable {
        /// What each run does (`only` and `skip` narrow the gates watched).
        public var run = RunSession.Settings()
        /// One run of every gate, then exit with its status.
        public var once = false
        /// Seconds between runs of a gate, by severity (the runbook's monitoring: sign-in and the
        /// database every minute, performance every 3, the rest every 10 and 15).
        public var cadence: [Severity: Double] = [.p0: 60, .p1: 180, .p2: 600, .p3: 900]
        /// Every gate's cadence, whatever its `every:` and severity say (`--every`).
        public var every: Double?
        /// `host:port` for /metrics and /health; nil: no server.
        public var listen: String?

        /// Seconds between runs of `gate`.
        func cadence(of gate: Gate) -> Double { every ?? gate.every ?? cadence[gate.severity] ?? 300 }

        public init() {}
    }

    private let settings: Settings
    private let stopped = Mutex<String?>(nil)
    private let stoppedAt = Mutex<ContinuousClock.Instant?>(nil)
    private let current = Mutex<RunSession?>(nil)
    /// The watcher's own connection to the history, told to stop waiting for locks on a stop.
    private let openStore = Mutex<HistoryStore?>(nil)

    public init(_ settings: Settings) {
        self.settings = settings
    }

    /// Ends the watch: the run in flight is interrupted, and no other starts. Any thread.
    public func stop(by signal: String) {
        stopped.withLock { if $0 == nil { $0 = signal } }
        stoppedAt.withLock { if $0 == nil { $0 = .now } }
        current.withLock { $0?.interrupt(by: signal) }
        openStore.withLock { $0?.abandonWaiting() }
    }

    private var isStopped: Bool { stopped.withLock { $0 != nil } }

    /// A duration as gate files write them (`30s`, `5m`), for the command line.
    public static func duration(_ text: String) -> Double? { DurationText.seconds(text) }

    /// A name for this watcher in the schedule and the outbox: host, process and a random part.
    static func ownerName() -> String {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        return "\(String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))/\(getpid())/\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
    }

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
        let target = settings.run.target
        let watched = configuration.gates.filter { settings.run.selection.includes($0.id) }
        // Without a history, incidents, the outbox and the schedule live in memory, and the
        // watcher keeps its runs there itself (the consecutive counts read them).
        let ownHistory = settings.run.history == "none"
        let store: HistoryStore
        do {
            if !ownHistory, !HistoryStore.isDatabaseURL(settings.run.history) { try ReportFiles.makeFolder(for: settings.run.history) }
            store = try HistoryStore(location: ownHistory ? ":memory:" : settings.run.history)
        } catch {
            Console.error("error: \(redactor.redact("\(error)"))")
            return ExitStatus.configurationError
        }
        openStore.withLock { $0 = store }
        defer {
            openStore.withLock { $0 = nil }
            store.close()
            if let signal = stopped.withLock({ $0 }), let at = stoppedAt.withLock({ $0 }) {
                log("stopped by \(signal), \(Int(((ContinuousClock.now - at).seconds * 1000).rounded())) ms after it came", redactor)
            }
        }
        let owner = Self.ownerName()
        let status = WatchStatus()
        let delivery = configuration.alerts.map {
            AlertDelivery(store: store, policy: $0, environment: environment, redactor: redactor, owner: owner, status: status)
        }
        var server: StatusServer?
        if let listen = settings.listen {
            do {
                server = try Self.statusServer(listen: listen, store: store, target: target, gates: watched, configuration: configuration,
                                               owner: owner, status: status)
            } catch {
                Console.error("error: \(error.description)")
                return ExitStatus.configurationError
            }
            Console.out("listening on http://\(server!.address) (/metrics, /health)\n")
        }
        defer { server?.stop() }
        if !settings.once { delivery?.start() }
        defer { delivery?.stop() }
        let incidents = Incidents(store: store, target: target)
        var schedule: WatchSchedule
        do {
            schedule = try WatchSchedule(store: store, target: target, owner: owner, gates: watched, cadence: settings.cadence(of:),
                                         digestAt: configuration.alerts?.digest?.at, now: Date().timeIntervalSince1970)
        } catch {
            Console.error("error: \(redactor.redact(error.message))")
            return ExitStatus.configurationError
        }
        var exitStatus: Int32 = 0
        var outage = OutageIncidents()
        while !isStopped {
            let now = Date().timeIntervalSince1970
            var due = watched
            if !settings.once {
                let claim = schedule.claimDue(now: now)
                due = claim.gates
                if let note = claim.note { log(note, redactor) }
            }
            if !due.isEmpty {
                exitStatus = await runGates(due, schedule: schedule, store: store, outage: &outage, delivery: delivery,
                                            configuration: configuration, incidents: incidents, status: status,
                                            ownHistory: ownHistory, redactor: redactor)
                if !settings.once { schedule.finished(due, claimedAt: now) }
            }
            if !isStopped, let policy = configuration.alerts, let digest = policy.digest, schedule.claimDigest(now: now) {
                do {
                    let count = try Digest.send(store: store, policy: policy, target: target, owner: owner, now: now)
                    log(count == 0 ? "digest: nothing to report"
                        : "digest: \(count) item\(count == 1 ? "" : "s") queued for \(digest.channels.joined(separator: ", "))", redactor)
                } catch {
                    log("warning: the digest: \(error.message)", redactor)
                }
                schedule.finishDigest(now: now)
            }
            if settings.once {
                // Cron's watcher: the alerts due (the digest's too, once its time has passed) go now.
                delivery?.deliverDueOnce()
                break
            }
            // Until the next gate is due, awake to a stop every tenth of a second.
            let wake = schedule.nextWake(now: now)
            while !isStopped, Date().timeIntervalSince1970 < wake {
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        return settings.once ? exitStatus : 0
    }

    /// One run of `due`, its lease renewed while it goes on; then its incidents. The run's exit status.
    /// One run of `due`, its claims renewed while it goes on; then its incidents. The run's exit status.
    private func runGates(_ due: [Gate], schedule: WatchSchedule, store: HistoryStore, outage: inout OutageIncidents, delivery: AlertDelivery?,
                          configuration: GateConfiguration, incidents: Incidents, status: WatchStatus, ownHistory: Bool,
                          redactor: Redactor) async -> Int32 {
        let target = settings.run.target
        var run = settings.run
        run.selection = GateSelection(only: Set(due.map(\.id)))
        let session = RunSession(run)
        current.withLock { $0 = session }
        let renewing = settings.once ? nil : Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(schedule.lease / 3))
                if Task.isCancelled { break }
                schedule.renew(due)
            }
        }
        let exitStatus = await session.run().exitStatus
        renewing?.cancel()
        current.withLock { $0 = nil }
        guard !isStopped, let bytes = try? FileReader.read(path: run.json, display: run.json), let report = try? JSONReporter.decode(Array(bytes)) else {
            return exitStatus
        }
        log("ran \(due.map(\.id).joined(separator: ", ")): exit \(exitStatus)", redactor)
        status.record(report.gates)
        if ownHistory {
            do { try store.append(report, runID: UUID().uuidString.lowercased(), commit: nil, retention: 500) } catch { log("warning: \(error.message)", redactor) }
        }
        let now = Date().timeIntervalSince1970
        for gate in report.gates {
            outage.count(gate)
            do {
                if outage.hasChanges { try outage.catchUp(store, target: target) }
                try incidents.update(gate, configuration: configuration, at: now)
                outage.remember(gate.id, openedAt: try incidents.isOpen(gate.id))
                if outage.down {
                    outage.down = false
                    log("note: the history is back: incidents and alerts go through it again", redactor)
                }
            } catch {
                // The history is down: the incident is decided here and its alert sent straight away.
                if !outage.down {
                    outage.down = true
                    log("warning: the history cannot be reached (\(error.message)): this watcher decides incidents alone and "
                        + "sends their alerts straight to the channels until it is back", redactor)
                }
                if let alert = outage.update(gate, configuration: configuration, at: now), let delivery {
                    delivery.sendDirect(alert, channels: configuration.alerts?.route[gate.severity] ?? [])
                }
            }
        }
        return exitStatus
    }

    /// `--listen`: /metrics from this watcher's state, /health from the history.
    private static func statusServer(listen: String, store: HistoryStore, target: Target, gates: [Gate], configuration: GateConfiguration,
                                     owner: String, status: WatchStatus) throws(StatusServer.Problem) -> StatusServer {
        let channels = configuration.alerts.map { Array($0.channels.keys) } ?? []
        return try StatusServer(listen: listen) { path in
            switch path {
            case "/metrics":
                let open = (try? store.openIncidents(target: target.rawValue).count) ?? 0
                return (200, "text/plain; version=0.0.4; charset=utf-8", status.metrics(incidents: open, channels: channels))
            case "/health":
                let health = WatchHealth.document(store: store, target: target, gates: gates, owner: owner, status: status,
                                                  now: Date().timeIntervalSince1970)
                return (health.status, "application/json", health.body)
            default:
                return (404, "text/plain; charset=utf-8", "not found: try /metrics or /health\n")
            }
        }
    }

    private func log(_ line: String, _ redactor: Redactor) {
        let text = Timestamp.iso8601(Date()) + " " + redactor.redact(line) + "\n"
        if line.hasPrefix("warning:") || line.hasPrefix("error:") { Console.error(text) } else { Console.out(text) }
    }
}
