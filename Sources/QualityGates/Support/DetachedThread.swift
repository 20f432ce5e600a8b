import Glibc
import Synchronization

/// Runs a closure on a POSIX thread that nobody joins: a check that blocks in a C library call
/// holds only its own thread, never the concurrency pool the runner's clock needs.
///
/// A thread whose closure returned waits a while for the next one instead of ending: a run
/// starts a dozen short ones (checks, the history's reads and writes, a report), and each new
/// thread costs a stack to map and, when it ends, a flush of the other cores' address caches.
enum DetachedThread {
    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// A thread waiting for its next closure, woken by its semaphore.
    private final class Worker: @unchecked Sendable {
        // @unchecked: `wake` is a semaphore (thread-safe by itself); `next` is behind a Mutex.
        let wake: UnsafeMutablePointer<sem_t>
        let next = Mutex<(@Sendable () -> Void)?>(nil)

        init() {
            wake = .allocate(capacity: 1)
            sem_init(wake, 0, 0)
        }

        deinit {
            sem_destroy(wake)
            wake.deallocate()
        }
    }

    private static let idle = Mutex<[Worker]>([])
    /// How long a finished thread waits for another closure before it ends.
    private static let linger: Int = 2
    static let defaultStackSize = 8 << 20

    /// Starts `body`; false when the system refused a new thread (the caller reports an error).
    @discardableResult
    static func start(stackSize: Int = defaultStackSize, _ body: @escaping @Sendable () -> Void) -> Bool {
        if stackSize == defaultStackSize, let worker = idle.withLock({ $0.popLast() }) {
            worker.next.withLock { $0 = body }
            sem_post(worker.wake)
            return true
        }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        pthread_attr_setstacksize(&attributes, stackSize)
        let run: @Sendable () -> Void
        if stackSize == defaultStackSize { run = { serve(body) } } else { run = body }
        let box = Unmanaged.passRetained(Box(run)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { context in
            let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        if result != 0 { Unmanaged<Box>.fromOpaque(box).release() }
        return result == 0
    }

    /// Runs `first`, then each closure handed to this thread while it waits, until none comes
    /// for `linger` seconds.
    private static func serve(_ first: @escaping @Sendable () -> Void) {
        let worker = Worker()
        var body = first
        while true {
            body()
            idle.withLock { $0.append(worker) }
            var deadline = timespec()
            clock_gettime(CLOCK_REALTIME, &deadline)
            deadline.tv_sec += linger
            var woken = false
            while true {
                if sem_timedwait(worker.wake, &deadline) == 0 { woken = true; break }
                if errno != EINTR { break }
            }
            if !woken {
                // Still listed: nobody picked this thread, and it ends. Picked meanwhile: its
                // closure is on the way, and the semaphore is about to be posted.
                let picked = idle.withLock { list in
                    guard let index = list.firstIndex(where: { $0 === worker }) else { return true }
                    list.remove(at: index)
                    return false
                }
                guard picked else { return }
                while sem_wait(worker.wake) != 0 && errno == EINTR {}
            }
            guard let next = worker.next.withLock({ value -> (@Sendable () -> Void)? in defer { value = nil }; return value }) else { return }
            body = next
        }
    }

    /// Sleeps the calling thread: only for detached threads, never the cooperative pool's.
    static func sleep(_ seconds: Double) {
        var time = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1_000_000_000))
        var left = timespec()
        while nanosleep(&time, &left) == -1 && errno == EINTR { time = left }
    }
}
