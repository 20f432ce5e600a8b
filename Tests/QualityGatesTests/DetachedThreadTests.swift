import Foundation
@testable import QualityGates
import Synchronization
import Testing

/// Threads for checks and background work: a finished one takes the next closure.
struct DetachedThreadTests {
    /// The calling thread's kernel id, as /proc/thread-self names it ("pid/task/tid").
    private static func kernelThread() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? "unknown"
    }

    /// Waits (polling) until `condition` holds or 5 s pass.
    private func eventually(_ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(5)
        while !condition() {
            if Date() > end { return false }
            usleep(1_000)
        }
        return true
    }

    @Test("closures started one after another, each once the one before has finished, run on a few threads, not one new thread each")
    func reusesFinishedThreads() throws {
        // Kernel thread ids: a new thread gets a new one (pthread_t values repeat, as glibc
        // reuses the memory of ended threads).
        let threads = Mutex<[String]>([])
        for round in 1...20 {
            #expect(DetachedThread.start { threads.withLock { $0.append(Self.kernelThread()) } })
            #expect(eventually { threads.withLock { $0.count } == round })
            usleep(2_000)  // the thread parks after its closure returns
        }
        // Other suites start threads meanwhile and may take a parked one (6 were seen in a full
        // suite run on two cores); without reuse, 20.
        let distinct = Set(threads.withLock { $0 }).count
        #expect(distinct <= 10, "\(distinct) threads for 20 closures")
    }

    @Test("closures started together from several threads each run once, at the same time when they must (one waits for all)")
    func manyAtOnce() throws {
        let total = 64
        let counts = Mutex<[Int: Int]>([:])
        let arrived = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { part in
            for index in stride(from: part, to: total, by: 4) {
                #expect(DetachedThread.start {
                    // Each waits until all have arrived: a closure queued behind a busy one would never run.
                    arrived.add(1, ordering: .relaxed)
                    let end = Date().addingTimeInterval(5)
                    while arrived.load(ordering: .relaxed) < total, Date() < end { usleep(500) }
                    counts.withLock { $0[index, default: 0] += 1 }
                })
            }
        }
        #expect(eventually { counts.withLock { $0.count } == total })
        #expect(counts.withLock { $0.values.allSatisfy { $0 == 1 } })
        #expect(arrived.load(ordering: .relaxed) == total)
    }
}
