import Foundation
import Testing
import HTTPClient
import TestSupport

/// The misbehaving HTTP server (Fixtures/misbehaving_server.py), started on a free loopback port
/// and killed when the value is released.
final class MisbehavingServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    /// A TLS port with a self-signed certificate (verification refuses it); `/hits/tls` counts its handshakes.
    let tlsPort: Int
    /// That certificate (for 127.0.0.1), which verifies it when given as the CA bundle.
    let tlsCertificate: String

    init() throws {
        let python = ProcessInfo.processInfo.environment["QG_TEST_PYTHON"] ?? "/usr/bin/python3"
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Paths.fixtures.appendingPathComponent("misbehaving_server.py").path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        let fields = String(decoding: line, as: UTF8.self).split(separator: " ").map(String.init)
        guard fields.count == 3, let port = Int(fields[0]), let tlsPort = Int(fields[1]) else { throw ServerError() }
        self.port = port
        self.tlsPort = tlsPort
        tlsCertificate = fields[2]
    }

    struct ServerError: Error {}

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// The sign-in sessions its GoTrue routes granted and nobody signed out.
    func openSessions() throws -> Int {
        let response = try HTTPClient.perform(HTTPRequest(url: url("/auth/v1/qg-open-sessions")))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return try #require(object?["open"] as? Int)
    }

    /// How many requests reached `path` (`/tls` for TLS handshakes).
    func hits(_ path: String) throws -> Int {
        let response = try HTTPClient.perform(HTTPRequest(url: url("/hits\(path)")))
        return (try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Int])?["hits"] ?? -1
    }

    /// The GoTrue endpoint's fixed test credentials, as the check kinds' examples read them.
    var gotrueEnvironment: [String: String] {
        ["SUPABASE_URL": url(""), "SUPABASE_ANON_KEY": "test-anon-key-4d1e", "SMOKE_PASSWORD": "Shazam11#",
         "SUPABASE_JWT_SECRET": "test-jwt-secret-7c2a"]
    }

    deinit {
        // SIGKILL: a handler thread asleep in /hang must not keep the server, or the test, alive.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
