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
            var fetched = false
            let result = check.judge(response, timings: [1], now: 0) { () throws(JSONWebToken.Problem) in
                fetched = true
                return JSONWebKeySet(keys: [], otherKeyIDs: [])
            }
            #expect(result.outcome == .failed)
            #expect(result.message.hasPrefix("the access token is signed with \(algorithm); "), "\(result.message)")
            #expect(!fetched)
        }
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
