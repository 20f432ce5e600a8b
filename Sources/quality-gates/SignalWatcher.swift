import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a call, so the run can write the reports of what finished
/// before it exits. The default handlers are ignored while it watches.
final class SignalWatcher: @unchecked Sendable {
    private let sources: [DispatchSourceSignal]
    private let lock = NSLock()
    private var name: String?

    /// The first signal received, if any.
    var received: String? { lock.withLock { name } }

    init(onSignal: @escaping @Sendable (String) -> Void) {
        let queue = DispatchQueue(label: "quality-gates.signals")
        let watched = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")]
        sources = watched.map { number, _ in
            signal(number, SIG_IGN)
            return DispatchSource.makeSignalSource(signal: number, queue: queue)
        }
        for (source, (_, label)) in zip(sources, watched) {
            source.setEventHandler { [weak self] in
                self?.lock.withLock { if self?.name == nil { self?.name = label } }
                onSignal(label)
            }
            source.resume()
        }
    }

    func stop() {
        sources.forEach { $0.cancel() }
    }
}
