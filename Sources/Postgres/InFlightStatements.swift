import Synchronization

/// The statements a run has sent and not yet read the end of, so a run that stops (a signal, its
/// deadline) can cancel every one of them on the server before the process exits: a server does
/// not notice a client that is gone until it next writes to it, and a `pg_sleep(3600)` would
/// otherwise run on for as long as it likes.
///
/// Each entry is a libpq cancel object (`PQgetCancel`), which `PQcancel` may use from any thread;
/// entries are sent and freed under one lock, so a cancel never races the free. One registry per
/// run, handed to the connections its checks open.
public final class InFlightStatements: Sendable {
    /// A `PGcancel *`, only touched under the lock.
    private struct Handle: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    private struct State {
        var next = 0
        var handles: [Int: Handle] = [:]
        var stopping = false
        /// The library the handles came from; nil until the first statement.
        var pq: LibPQ?
    }

    private let state = Mutex(State())

    public init() {}

    /// Registers a statement; nil once the run is stopping: nothing new may start.
    func register(_ cancel: OpaquePointer?, _ pq: LibPQ) -> Int? {
        state.withLock { state in
            guard !state.stopping else {
                if let cancel { pq.freeCancel(cancel) }
                return nil
            }
            state.pq = pq
            state.next += 1
            if let cancel { state.handles[state.next] = Handle(pointer: cancel) }
            return state.next
        }
    }

    /// Forgets a statement whose results have all been read, and frees its cancel object.
    func finish(_ id: Int) {
        state.withLock { state in
            if let handle = state.handles.removeValue(forKey: id) { state.pq?.freeCancel(handle.pointer) }
        }
    }

    /// Whether `cancelAll` has been called.
    public var isStopping: Bool { state.withLock { $0.stopping } }

    /// Statements sent and not yet finished.
    public var count: Int { state.withLock { $0.handles.count } }

    /// Refuses new connections and statements from now on, and asks the server to cancel every
    /// statement in flight (`PQcancel`). Returns how many were in flight.
    @discardableResult
    public func cancelAll() -> Int {
        state.withLock { state in
            state.stopping = true
            guard let pq = state.pq else { return 0 }
            var buffer = [CChar](repeating: 0, count: 256)
            for handle in state.handles.values { _ = pq.cancel(handle.pointer, &buffer, Int32(buffer.count)) }
            return state.handles.count
        }
    }
}
