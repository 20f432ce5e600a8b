import Dispatch
import Synchronization

/// One value per index, written by whichever thread handles that index and read after every
/// thread is done. No lock: each index is written by exactly one thread (`inParallel` hands each
/// index out once), and `concurrentPerform` returning orders every write before the reads.
final class Slots<Element>: @unchecked Sendable {
    private let values: UnsafeMutablePointer<Element?>
    let count: Int

    init(count: Int) {
        self.count = count
        values = .allocate(capacity: max(count, 1))
        values.initialize(repeating: nil, count: count)
    }

    deinit {
        values.deinitialize(count: count)
        values.deallocate()
    }

    subscript(index: Int) -> Element? {
        get { values[index] }
        set { values[index] = newValue }
    }
}

/// Runs `body` for every index in 0..<count on `workers` threads. Each thread first calls
/// `makeBody` once for its own state (rules, caches) and then takes indices in small chunks from a
/// shared counter, so documents of uneven sizes keep every thread busy to the end.
func inParallel(count: Int, workers: Int, chunk: Int = 4, makeBody: @Sendable (_ worker: Int) -> (Int) -> Void) {
    let threads = max(1, min(workers, (count + chunk - 1) / chunk))
    if threads == 1 {
        let body = makeBody(0)
        for index in 0..<count { body(index) }
        return
    }
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: threads) { worker in
        let body = makeBody(worker)
        while true {
            let start = next.add(chunk, ordering: .relaxed).oldValue
            guard start < count else { return }
            for index in start..<min(start + chunk, count) { body(index) }
        }
    }
}
