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

    @Test("a rate limit errors (not a failed sign-in) with GoTrue's message, how far sampling got and the wait asked for; a 503 without Retry-After stays a refusal")
    func rateLimits() throws {
        let text = gateFile(checks: "      - {name: s, kind: gotrue_auth, url: https://p.test, apikey: a, email: e, password: p, samples: 10, latency: p95 < 2000}")
        let check = try #require(try loadGates(text, target: .staging).get().gates.first?.checks.first?.check as? GoTrueAuthCheck)
        func response(_ status: Int, _ headers: [(String, String)], _ body: String) -> HTTPResponse {
            HTTPResponse(status: status, headers: headers, body: Array(body.utf8),
                         timings: HTTPTimings(dns: 0, connect: 0, tls: 0, firstByte: 0, total: 5), finalURL: "")
        }
        let limited = response(429, [("retry-after", "7")], #"{"code": 429, "error_code": "over_request_rate_limit", "msg": "Request rate limit reached"}"#)
        let third = check.judge(.init(response: limited, timings: [5, 5, 5, 5], now: 0, keySet: nil))
        #expect(third.outcome == .errored)
        #expect(third.message.hasPrefix("sign-in rate limited: Request rate limit reached (over_request_rate_limit, HTTP 429) after 3 of 10 sign-ins; Retry-After 7 s; "), "\(third.message)")
        #expect(third.retryAfter == 7)
        let first = check.judge(.init(response: response(429, [], "{}"), timings: [5], now: 0, keySet: nil))
        #expect(first.message.hasPrefix("sign-in rate limited: HTTP 429; GoTrue limits"), "\(first.message)")
        #expect(first.retryAfter == nil)
        let busy = check.judge(.init(response: response(503, [("retry-after", "2")], "{}"), timings: [5], now: 0, keySet: nil))
        #expect(busy.outcome == .errored && busy.retryAfter == 2)
        let down = check.judge(.init(response: response(503, [], "{}"), timings: [5], now: 0, keySet: nil))
        #expect(down.outcome == .failed && down.message == "sign-in refused: HTTP 503")
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
