import Foundation
import Glibc
import HTTPClient
import TestSupport

/// The NestSync backend in Strawberry (Fixtures/nestsync_backend.py) on a free loopback port,
/// with the given switches; killed when the value is released.
final class StrawberryServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    var url: String { "http://127.0.0.1:\(port)/graphql" }

    init(_ switches: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.environment["QG_TEST_PYTHON"] ?? "/usr/bin/python3")
        // Port 0: the server binds a free port and prints it, so no other test's server can take
        // it between the choice and the bind.
        process.arguments = [Paths.fixtures.appendingPathComponent("nestsync_backend.py").path, "0"]
        process.environment = ["PATH": "/usr/bin:/bin"].merging(switches) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw ServerError()
        }
        self.port = port
        let ping = HTTPRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")],
                               body: Array("{\"query\": \"{ __typename }\"}".utf8), timeout: 2)
        for _ in 0..<200 {
            // 401: up, and refusing requests without a token (NESTSYNC_AUTH_EVERYTHING).
            if let response = try? HTTPClient.perform(ping), response.status == 200 || response.status == 401 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw ServerError()
    }

    struct ServerError: Error {}

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// A port nothing listens on now (the kernel's pick for port 0).
    static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
