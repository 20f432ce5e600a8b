import Foundation
import HTTPClient
import TestSupport

/// A `quality-gates watch` running in the background for a test: its output in files of the test's
/// folder, its /metrics and /health on the port it printed, stopped by SIGTERM (killed if it
/// outlives the test).
final class WatchProcess: @unchecked Sendable {
    let process = Process()
    let name: String
    private let folder: TemporaryFolder
    private(set) var address: String?

    init(_ arguments: [String], in folder: TemporaryFolder, name: String = "watch", environment: [String: String] = [:]) throws {
        self.folder = folder
        self.name = name
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["watch"] + arguments
        process.currentDirectoryURL = folder.url
        process.environment = Binary.environment(environment.merging(["NO_COLOR": "1"]) { $1 })
        _ = FileManager.default.createFile(atPath: folder.path("\(name).out"), contents: nil)
        _ = FileManager.default.createFile(atPath: folder.path("\(name).err"), contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: folder.url.appendingPathComponent("\(name).out"))
        process.standardError = try FileHandle(forWritingTo: folder.url.appendingPathComponent("\(name).err"))
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var stdout: String { folder.read("\(name).out") }
    var stderr: String { folder.read("\(name).err") }

    /// Waits (off the test pool) until `condition` holds, for at most `seconds`; whether it did.
    func waitUntil(seconds: Double, _ condition: @escaping @Sendable () -> Bool) async throws -> Bool {
        try await offPool {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                if condition() { return true }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return condition()
        }
    }

    /// The address the watch printed it listens on.
    func listening() async throws -> String? {
        _ = try await waitUntil(seconds: 20) { [self] in stdout.contains("listening on http://") }
        guard let line = stdout.split(separator: "\n").first(where: { $0.hasPrefix("listening on http://") }) else { return nil }
        address = String(line.dropFirst("listening on http://".count).prefix { $0 != " " })
        return address
    }

    /// GET `path` from the watch's server: status and body.
    func get(_ path: String) async throws -> (status: Int, body: String) {
        let url = "http://\(address ?? "127.0.0.1:1")\(path)"
        return try await offPool {
            let response = try HTTPClient.perform(HTTPRequest(method: "GET", url: url))
            return (response.status, String(decoding: response.body, as: UTF8.self))
        }
    }

    /// SIGTERM, then the seconds until it exited (nil: it did not within 10 s and was killed) and its
    /// status. Timed on the thread that waits, not after the test's task resumes: a test pool that
    /// other suites keep busy would add its own delay.
    func terminate() async throws -> (seconds: Double?, status: Int32) {
        let seconds = try await offPool { [process] () -> Double? in
            let started = Date()
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<1000 where process.isRunning { Thread.sleep(forTimeInterval: 0.01) }
            return process.isRunning ? nil : Date().timeIntervalSince(started)
        }
        if seconds == nil { kill(process.processIdentifier, SIGKILL) }
        try await offPool { [process] in process.waitUntilExit() }
        return (seconds, process.terminationStatus)
    }
}
