import Foundation

/// Runs a program to completion with its output captured in files (no pipe can fill and block),
/// killing it if it outlives `timeout`.
public enum ProcessRunner {
    public struct Result: Sendable {
        public let status: Int32
        public let reason: Process.TerminationReason
        public let stdout: String
        public let stderr: String
        public let seconds: Double
    }

    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                    directory: URL? = nil, timeout: Double = 60, onStart: ((Process) -> Void)? = nil) throws -> Result {
        let folder = try TemporaryFolder()
        let out = folder.url.appendingPathComponent("stdout"), err = folder.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        onStart?(process)
        while process.isRunning {
            if Date().timeIntervalSince(start) > timeout { process.terminate(); kill(process.processIdentifier, SIGKILL) }
            Thread.sleep(forTimeInterval: 0.01)
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, reason: process.terminationReason,
                      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
                      seconds: Date().timeIntervalSince(start))
    }
}

/// Runs blocking work (a child process awaited for seconds) on a thread of its own, so the
/// concurrency pool stays free for the tests that time the runner on it (two threads on two cores).
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// `offPool` for a body that captures what is not Sendable: the caller awaits it, so nothing
/// touches the captures meanwhile. For test set-up that starts servers and runs the binary.
public func offPoolAwaited<T>(_ body: @escaping () throws -> T) async throws -> T {
    let box = AwaitedBody(body)
    try await offPool { box.run() }
    return try box.result!.get()
}

/// A body and its result, handed to one thread and read back after it ended.
private final class AwaitedBody<T>: @unchecked Sendable {
    let body: () throws -> T
    var result: Result<T, any Error>?
    init(_ body: @escaping () throws -> T) { self.body = body }
    func run() { result = Result { try body() } }
}
