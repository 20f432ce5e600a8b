@testable import HTTPClient
import JOSE
import Testing
@testable import QualityGates

/// GoTrueAuthCheck's decisions made before any key is used.
struct GoTrueAuthJudgeTests {
    @Test("a token with alg none, or an algorithm not verified here, fails before any key is fetched")
    func unsupportedAlgorithms() throws {
        let check = try GoTrueAuthCheck.make(url: "https://project.supabase.test")
        for (header, algorithm) in [("eyJhbGciOiJub25lIn0", "none"), ("eyJhbGciOiJIUzUxMiJ9", "HS512")] {
            let token = header + ".eyJleHAiOjk5OTk5OTk5OTksImF1ZCI6ImF1dGhlbnRpY2F0ZWQifQ."
            let response = HTTPResponse(status: 200, headers: [], body: Array("{\"access_token\": \"\(token)\"}".utf8),
                                        timings: HTTPTimings(dns: 0, connect: 0, tls: 0, firstByte: 0, total: 1), finalURL: "")
            #expect(!GoTrueAuthCheck.needsKeySet(response))
            let result = check.judge(.init(response: response, timings: [1], now: 0, keySet: nil))
            #expect(result.outcome == .failed)
            #expect(result.message.hasPrefix("the access token is signed with \(algorithm); "), "\(result.message)")
        }
    }

    @Test("an RS256 or ES256 token needs the key set; a key set that could not be read fails the sign-in check with why")
    func keySets() throws {
        let check = try GoTrueAuthCheck.make(url: "https://project.supabase.test")
        let token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJleHAiOjk5OTk5OTk5OTksImF1ZCI6ImF1dGhlbnRpY2F0ZWQifQ.c2ln"
        let response = HTTPResponse(status: 200, headers: [], body: Array("{\"access_token\": \"\(token)\"}".utf8),
                                    timings: HTTPTimings(dns: 0, connect: 0, tls: 0, firstByte: 0, total: 1), finalURL: "")
        #expect(GoTrueAuthCheck.needsKeySet(response))
        let result = check.judge(.init(response: response, timings: [1], now: 0, keySet: .failure(.keySetUnavailable("HTTP 404"))))
        #expect(result.outcome == .failed)
        #expect(result.message == "the project's signing keys (JWKS) cannot be read to verify the access token: HTTP 404")
        let noKey = check.judge(.init(response: response, timings: [1], now: 0, keySet: .success(JSONWebKeySet(keys: [], otherKeyIDs: ["old"]))))
        #expect(noKey.message.hasPrefix("the access token's kid \"k1\" (RS256) names no key"), "\(noKey.message)")
    }
}

extension GoTrueAuthCheck {
    /// The check as a gate file with these keys configures it.
    static func make(url: String) throws -> GoTrueAuthCheck {
        let text = gateFile(checks: "      - {name: s, kind: gotrue_auth, url: \(url), apikey: a, email: e, password: p}")
        let configured = try #require(try loadGates(text, target: .staging).get().gates.first?.checks.first)
        return try #require(configured.check as? GoTrueAuthCheck)
    }
}
