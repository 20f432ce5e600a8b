import Synchronization

/// A value computed on a thread of its own while the caller goes on: the run opens its history
/// while it loads the gate files, and closes it while it writes the reports (on two cores each
/// pair takes the time of the longer, not of both).
final class Background<Value: Sendable>: Sendable {
    private enum State {
        case running
        case waited(CheckedContinuation<Value, Never>)
        case done(Value)
    }

    private let state = Mutex<State>(.running)

    /// Starts `body` on a new thread, or runs it now when the system refuses one.
    init(_ body: @escaping @Sendable () -> Value) {
        let started = DetachedThread.start { [self] in
            let value = body()
            let waiter = self.state.withLock { state -> CheckedContinuation<Value, Never>? in
                defer { state = .done(value) }
                if case .waited(let continuation) = state { return continuation }
                return nil
            }
            waiter?.resume(returning: value)
        }
        if !started { state.withLock { $0 = .done(body()) } }
    }

    /// The value, once `body` returned.
    func value() async -> Value {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Value? in
                if case .done(let value) = state { return value }
                state = .waited(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
