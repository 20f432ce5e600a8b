import Foundation
import Testing
@testable import QualityGates

/// `gotrue_auth` against a GoTrue-compatible endpoint issuing real HS256 tokens.
@Suite(.serialized)
struct GoTrueAuthTests {
    let server: MisbehavingServer

    init() throws { server = try MisbehavingServer() }

    private func run(_ extra: String = "", base: String? = nil, target: Target = .staging) throws -> CheckResult {
        let text = gateFile(checks: """
              - name: sign-in works
                kind: gotrue_auth
                url: \(base ?? server.url(""))
                apikey: ${SUPABASE_ANON_KEY}
                email: parents@nestsync.com
                password: ${SMOKE_PASSWORD}
                jwt_secret: ${SUPABASE_JWT_SECRET}
        """ + extra)
        let configured = try #require(try loadGates(text, environment: server.gotrueEnvironment, target: target).get().gates.first?.checks.first)
        return configured.check.run(CheckContext(projectRoot: URL(fileURLWithPath: "/"), environment: Environment(server.gotrueEnvironment),
                                                 target: target, timeout: 10))
    }

    @Test("an expired token fails with how long ago it expired")
    func expired() throws {
        let result = try run(base: server.url("/expired"))
        #expect(result.outcome == .failed)
        #expect(result.message.hasPrefix("the access token expired 6"), "\(result.message)")
    }

    @Test("a wrong apikey is refused with GoTrue's message")
    func wrongKey() throws {
        var environment = server.gotrueEnvironment
        environment["SUPABASE_ANON_KEY"] = "wrong"
        let text = gateFile(checks: "      - {name: s, kind: gotrue_auth, url: \(server.url("")), apikey: wrong, email: e, password: p}")
        let configured = try #require(try loadGates(text, target: .staging).get().gates.first?.checks.first)
        let result = configured.check.run(CheckContext(projectRoot: URL(fileURLWithPath: "/"), environment: Environment(environment), target: .staging, timeout: 10))
        #expect(result.message == "sign-in refused: Invalid API key (HTTP 401)")
    }

    @Test("auth p95 above the budget fails with the measured value; within it passes")
    func latencyBudget() throws {
        let slow = try run("\n        samples: 4\n        latency: p95 < 200", base: server.url("/slow"))
        #expect(slow.outcome == .failed)
        #expect(slow.message.hasPrefix("p95 (3"), "\(slow.message)")
        #expect(slow.message.hasSuffix("ms) < 200 ms over 4 sign-ins"), "\(slow.message)")
        let fast = try run("\n        samples: 4\n        latency: p95 < 2000")
        #expect(fast.outcome == .passed, "\(fast.message)")
        #expect(fast.measurements.map(\.name) == ["auth_time", "auth_p95"])
    }

    @Test("the token and the secrets never appear in any output of a run")
    func secretsStayHidden() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": gateFile(checks: """
              - name: sign-in works
                kind: gotrue_auth
                url: ${SUPABASE_URL}
                apikey: ${SUPABASE_ANON_KEY}
                email: parents@nestsync.com
                password: ${SMOKE_PASSWORD}
                jwt_secret: another-secret-${SUPABASE_JWT_SECRET}
        """)])
        let result = try Binary.run(["run", "--config", "gates.yml", "--target", "staging"], in: folder, environment: server.gotrueEnvironment)
        #expect(result.status == 1, "the signature must fail with the wrong secret: \(result.stdout)")
        let outputs = [result.stdout, result.stderr, folder.read("reports/junit.xml"), folder.read("reports/report.json"), folder.read("reports/summary.md")]
        for value in ["test-anon-key-4d1e", "Shazam11#", "test-jwt-secret-7c2a", "eyJ"] {
            for output in outputs { #expect(!output.contains(value), "\(value) leaked") }
        }
    }
}
