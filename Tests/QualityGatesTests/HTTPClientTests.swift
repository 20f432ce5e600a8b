import Foundation
import HTTPClient
@testable import QualityGates
import Testing

/// libcurl against a real server on 127.0.0.1 that misbehaves on purpose: nothing hangs, nothing
/// crashes, and each case has its own error.
@Suite(.serialized)
struct HTTPClientTests {
    let server: MisbehavingServer

    init() throws { server = try MisbehavingServer() }

    /// `seconds` is far below every misbehaviour's own length (60 s), so passing it proves the
    /// client stopped early, with room for a loaded machine.
    private func expectError(_ kind: HTTPError.Kind, _ request: HTTPRequest, within seconds: Double,
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let start = Date()
        do {
            let response = try HTTPClient.perform(request)
            Issue.record("expected \(kind), got status \(response.status)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        }
        #expect(Date().timeIntervalSince(start) < seconds, "took \(Date().timeIntervalSince(start)) s", sourceLocation: sourceLocation)
    }

    @Test("a good response: status, headers, body and a timing breakdown")
    func ok() throws {
        let response = try HTTPClient.perform(HTTPRequest(url: server.url("/ok")))
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        #expect(String(decoding: response.body, as: UTF8.self).contains("\"me\": {\"id\": \"u1\"}"))
        #expect(response.timings.total > 0)
        #expect(response.timings.firstByte <= response.timings.total)
        #expect(response.timings.connect <= response.timings.firstByte)
    }

    @Test("method, headers and body are sent")
    func sends() throws {
        let response = try HTTPClient.perform(HTTPRequest(method: "POST", url: server.url("/echo"), headers: [("X-Test", "yes")],
                                                          body: Array("{\"q\":1}".utf8)))
        let echo = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String?])
        #expect(echo["method"] == "POST")
        #expect(echo["body"] == "{\"q\":1}")
        #expect(echo["x-test"] == "yes")
    }

    @Test("a server that never answers is a timeout, at the timeout")
    func hang() {
        expectError(.timeout, HTTPRequest(url: server.url("/hang"), timeout: 1), within: 10)
    }

    @Test("a server that drips a byte a second is too slow, long before the timeout")
    func drip() {
        expectError(.tooSlow, HTTPRequest(url: server.url("/drip"), timeout: 30, lowSpeedBytes: 100, lowSpeedSeconds: 1), within: 10)
    }

    @Test("an endless body stops at the size limit")
    func endless() {
        expectError(.tooLarge, HTTPRequest(url: server.url("/endless"), maxResponseBytes: 1 << 20), within: 10)
    }

    @Test("a gzip bomb is measured after decoding: 50 KB on the wire, 50 MB inflated")
    func gzipBomb() {
        expectError(.tooLarge, HTTPRequest(url: server.url("/gzip-bomb"), maxResponseBytes: 1 << 20), within: 10)
    }

    @Test("a redirect loop ends at the redirect limit; one redirect is followed")
    func redirects() throws {
        expectError(.tooManyRedirects, HTTPRequest(url: server.url("/redirect-loop")), within: 10)
        let followed = try HTTPClient.perform(HTTPRequest(url: server.url("/redirect-once")))
        #expect(followed.status == 200)
        #expect(followed.finalURL == server.url("/ok"))
    }

    @Test("a 500 or invalid JSON is a response, not a transport error")
    func statuses() throws {
        #expect(try HTTPClient.perform(HTTPRequest(url: server.url("/500"))).status == 500)
        #expect(try HTTPClient.perform(HTTPRequest(url: server.url("/invalid-json"))).body == Array("{not json".utf8))
    }

    @Test("a closed port is refused; other protocols are refused before any connection")
    func refusedAndBadURLs() {
        expectError(.refused, HTTPRequest(url: "http://127.0.0.1:1/"), within: 10)
        expectError(.badURL, HTTPRequest(url: "file:///etc/passwd"), within: 10)
        expectError(.badURL, HTTPRequest(url: "gopher://127.0.0.1/"), within: 10)
    }

    @Test("targets in errors carry neither credentials nor query strings")
    func targets() {
        do {
            _ = try HTTPClient.perform(HTTPRequest(url: "http://user:hunter2@127.0.0.1:1/graphql?token=abc"))
        } catch {
            #expect(error.target == "http://127.0.0.1:1/graphql")
            #expect(!error.description.contains("hunter2"))
            #expect(!error.description.contains("abc"))
        }
    }
}

extension HTTPClientTests {
    @Test("each HTTP example behaves as it says, against the misbehaving server",
          arguments: CheckExamplesTests.all.filter { $0.example.needsHTTPServer })
    func httpExample(_ labelled: CheckExamplesTests.LabelledExample) async throws {
        let environment = labelled.example.environment.merging(["SERVER_URL": server.url("")]) { $1 }.merging(server.gotrueEnvironment) { $1 }
        try await CheckExamplesTests().check(labelled, environment: environment)
    }
}
