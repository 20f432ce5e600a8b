import Dispatch
import Glibc

/// Turns SIGINT and SIGTERM into a call, so the run can write the reports of what finished
/// before it exits. The default handlers are ignored while it watches.
///
/// @unchecked: `sources` is written once in `init` and only cancelled afterwards (cancel is
/// thread-safe).
final class SignalWatcher: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(onSignal: @escaping @Sendable (String) -> Void) {
        let queue = DispatchQueue(label: "quality-gates.signals")
        let watched = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")]
        sources = watched.map { number, _ in
            signal(number, SIG_IGN)
            return DispatchSource.makeSignalSource(signal: number, queue: queue)
        }
        for (source, (_, label)) in zip(sources, watched) {
            source.setEventHandler { onSignal(label) }
            source.resume()
        }
    }

    func stop() {
        sources.forEach { $0.cancel() }
    }
}
