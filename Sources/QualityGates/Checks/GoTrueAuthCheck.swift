import FoundationEssentials
import HTTPClient
import JOSE
import JSON
import TextSearch

/// Sign-in through Supabase GoTrue works, and the access token it returns is valid.
struct GoTrueAuthCheck: Check {
    static let description = CheckDescription(
        kind: "gotrue_auth",
        summary: "Sign-in through Supabase GoTrue works (`POST {url}/auth/v1/token?grant_type=password` with the `apikey` header), and the access token verifies: its signature (HS256 with the JWT secret; RS256 or ES256 with the key of the project's JWKS, at `{url}/auth/v1/.well-known/jwks.json`, that the token's `kid` names), `exp` in the future, `aud` as expected. On a refusal, GoTrue's own message and error code are reported, with what to check; a rate limit (HTTP 429) is an error, not a failed sign-in, and is retried after its `Retry-After`. Optionally a latency budget over N sign-ins. Checks that `need` this one receive the access token (`use_token` of graphql_query, graphql_schema, graphql_documents and graphql_diff); the token is never printed.",
        parameters: [
            ParameterDoc("url", "URL", required: true, "The Supabase project URL (`${SUPABASE_URL}`)."),
            ParameterDoc("apikey", "string", required: true, "The anon key (`${SUPABASE_ANON_KEY}`)."),
            ParameterDoc("email", "string", required: true, "The smoke-test account (`${SMOKE_EMAIL}`)."),
            ParameterDoc("password", "string", required: true, "Its password (`${SMOKE_PASSWORD}`)."),
            ParameterDoc("jwt_secret", "string", "The JWT secret (`${SUPABASE_JWT_SECRET}`) an HS256 token's signature must verify with; without it an HS256 signature is not checked (and the report says so). RS256 and ES256 tokens need no secret."),
            ParameterDoc("jwks_url", "URL", "Where the project publishes its signing keys, for RS256 and ES256 tokens (default `{url}/auth/v1/.well-known/jwks.json`)."),
            ParameterDoc("audience", "string", "The `aud` the token must carry (default `authenticated`)."),
            ParameterDoc("samples", "whole number", "Sign-ins to time (default 1)."),
            ParameterDoc("latency", "budget", "`p50`, `p95`, `p99` or `max`, `<`, milliseconds: `p95 < 2000`."),
            ParameterDoc("sign_out", "boolean", "End each sign-in's session (`POST {url}/auth/v1/logout?scope=local` with its token) once it is timed, and the session whose token is handed on once the run's checks are over (default true). A smoke test signing in on every run, every minute under `watch`, would otherwise leave a session and a refresh token in the project's auth database each time. A sign-out that fails is a line of the result's details, never a failure."),
            ParameterDoc("min_samples", "whole number", "Samples taken before sampling may stop early (default 1). Sampling stops as soon as the budget's verdict over all `samples` is certain whatever the rest would measure: a percentile here is the k-th smallest sample, so k samples under the limit keep it, and n − k + 1 at or over it break it."),
        ],
        defaultTargets: [.staging],
        thresholds: ["latency"],
        examples: [
            CheckExample("""
                kind: gotrue_auth
                url: ${SUPABASE_URL}
                apikey: ${SUPABASE_ANON_KEY}
                email: parents@nestsync.com
                password: ${SMOKE_PASSWORD}
                jwt_secret: ${SUPABASE_JWT_SECRET}
                """, needsHTTPServer: true, .passes),
            CheckExample("""
                kind: gotrue_auth
                url: ${SUPABASE_URL}
                apikey: ${SUPABASE_ANON_KEY}
                email: parents@nestsync.com
                password: not-the-password
                jwt_secret: ${SUPABASE_JWT_SECRET}
                """, needsHTTPServer: true, .fails("sign-in refused: Invalid login credentials (invalid_credentials, HTTP 400); check the account's email and password")),
            CheckExample("""
                kind: gotrue_auth
                url: ${SUPABASE_URL}/ratelimited
                apikey: ${SUPABASE_ANON_KEY}
                email: parents@nestsync.com
                password: ${SMOKE_PASSWORD}
                samples: 10
                latency: p95 < 2000
                """, needsHTTPServer: true, .errors("sign-in rate limited: Request rate limit reached (over_request_rate_limit, HTTP 429); GoTrue limits sign-ins per IP address")),
            CheckExample("""
                kind: gotrue_auth
                url: ${SUPABASE_URL}
                apikey: ${SUPABASE_ANON_KEY}
                email: parents@nestsync.com
                password: ${SMOKE_PASSWORD}
                jwt_secret: another-projects-secret
                """, needsHTTPServer: true, .fails("the access token's signature does not verify with the JWT secret")),
            CheckExample("""
                kind: gotrue_auth
                url: ${SUPABASE_URL}/rs256
                apikey: ${SUPABASE_ANON_KEY}
                email: parents@nestsync.com
                password: ${SMOKE_PASSWORD}
                """, needsHTTPServer: true, .passes),
            CheckExample("""
                kind: gotrue_auth
                url: ${SUPABASE_URL}/es256
                apikey: ${SUPABASE_ANON_KEY}
                email: parents@nestsync.com
                password: ${SMOKE_PASSWORD}
                """, needsHTTPServer: true, .passes),
            CheckExample("""
                kind: gotrue_auth
                url: ${SUPABASE_URL}/rs256-rotated
                apikey: ${SUPABASE_ANON_KEY}
                email: parents@nestsync.com
                password: ${SMOKE_PASSWORD}
                """, needsHTTPServer: true, .fails("the access token's kid \"next-key\" (RS256) names no key of the project's JWKS")),
            CheckExample("""
                kind: gotrue_auth
                url: http://127.0.0.1:1
                apikey: anon
                email: parents@nestsync.com
                password: pw
                """, .fails("sign-in failed: cannot connect to http://127.0.0.1:1/auth/v1/token")),
            CheckExample("""
                kind: gotrue_auth
                url: https://project.supabase.test
                apikey: anon
                email: parents@nestsync.com
                """, .invalid("missing required key 'password'")),
        ]
    )

    let url: String
    let apikey: String
    let email: String
    let password: String
    let jwtSecret: String?
    let jwksURL: String
    let audience: String
    let samples: Int
    let latency: LatencyBudget?
    let signOut: Bool

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        url = try parameters.requiredString("url")
        apikey = try parameters.requiredString("apikey")
        email = try parameters.requiredString("email")
        password = try parameters.requiredString("password")
        jwtSecret = try parameters.string("jwt_secret")
        jwksURL = try parameters.string("jwks_url") ?? Self.base(url) + "/auth/v1/.well-known/jwks.json"
        audience = try parameters.string("audience") ?? "authenticated"
        samples = try parameters.wholeNumber("samples", default: 1, range: 1...1000)
        latency = try parameters.latencyBudget("latency")
        signOut = try parameters.bool("sign_out") ?? true
    }

    var exposes: [String] { ["access_token"] }

    var request: HTTPRequest {
        let endpoint = Self.base(url) + "/auth/v1/token?grant_type=password"
        let body = JSONValue.object([("email", .string(email)), ("password", .string(password))]).serialized()
        return HTTPRequest(method: "POST", url: endpoint, headers: [("apikey", apikey), ("Content-Type", "application/json")],
                           body: Array(body.utf8))
    }

    private static func base(_ url: String) -> String { url.hasSuffix("/") ? String(url.dropLast()) : url }

    /// The sign-out of the session `token` belongs to, and no other of the account's.
    func signOutRequest(_ token: String, timeout: Double) -> HTTPRequest {
        HTTPRequest(method: "POST", url: Self.base(url) + "/auth/v1/logout?scope=local",
                    headers: [("apikey", apikey), ("Authorization", "Bearer \(token)")], timeout: min(timeout, 5))
    }

    /// Ends the session of a granted sign-in now; why not, when it could not be.
    private func endSession(_ response: HTTPResponse, timeout: Double) -> String? {
        guard let token = Self.accessToken(response) else { return nil }
        let request = signOutRequest(token, timeout: timeout)
        do {
            let answer = try HTTPClient.perform(request)
            return (200..<300).contains(answer.status) ? nil : "HTTP \(answer.status)"
        } catch {
            return HTTPCheck.message(error, timeout: request.timeout)
        }
    }

    /// The last sign-in response, the timed sign-ins (milliseconds), when they were checked, and
    /// the project's JWKS when the token is signed with a public key (or why it could not be read).
    struct Observation {
        let response: HTTPResponse
        let timings: [Double]
        let now: Double
        let keySet: Result<JSONWebKeySet, JSONWebToken.Problem>?
        /// Why sessions could not be ended, one entry each.
        var signOutProblems: [String] = []
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> Observation {
        var request = self.request
        request.timeout = min(request.timeout, context.timeout)
        var timings: [Double] = []
        var last: HTTPResponse?
        var signOutProblems: [String] = []
        do {
            for _ in 0..<samples {
                let response = try HTTPClient.perform(request)
                timings.append(response.timings.total)
                last = response
                if response.status != 200 || latency?.canStop(timings, planned: samples) == true || timings.count == samples { break }
                // Not the sample whose token is handed on: its session ends now, untimed.
                if signOut, let problem = endSession(response, timeout: request.timeout) { signOutProblems.append(problem) }
            }
        } catch {
            // Sign-in is what this kind checks: an unreachable endpoint is a failed sign-in.
            throw CheckStop(.failed("sign-in failed: \(HTTPCheck.message(error, timeout: request.timeout))"))
        }
        // The last sign-in's token is handed on: its session ends with the run, after the checks
        // that use it. Nothing of the run uses it, or there is no run: it ends now.
        if signOut, let token = Self.accessToken(last!) {
            if context.isNeeded, let cleanup = context.cleanup {
                cleanup.add(signOutRequest(token, timeout: request.timeout), what: "the sign-in session at \(HTTPClient.displayTarget(url))")
            } else if let problem = endSession(last!, timeout: request.timeout) {
                signOutProblems.append(problem)
            }
        }
        var keySet: Result<JSONWebKeySet, JSONWebToken.Problem>?
        if Self.needsKeySet(last!) {
            do {
                keySet = .success(try fetchKeySet(timeout: request.timeout))
            } catch {
                keySet = .failure(error)
            }
        }
        return Observation(response: last!, timings: timings, now: Date().timeIntervalSince1970, keySet: keySet,
                           signOutProblems: signOutProblems)
    }

    /// Whether a sign-in answer carries a token signed with a public key (RS256, ES256), whose
    /// key set must be fetched; nothing is fetched for anything else, `none` included.
    static func needsKeySet(_ response: HTTPResponse) -> Bool {
        guard let token = accessToken(response), let algorithm = try? JSONWebToken(token).algorithm() else { return false }
        return JSONWebToken.publicKeyAlgorithms.contains(algorithm)
    }

    /// The access token of a successful sign-in response.
    static func accessToken(_ response: HTTPResponse) -> String? {
        guard response.status == 200, case .string(let token)? = JSONDocument.parse(response.body)?.value(at: ["access_token"]) else { return nil }
        return token
    }

    /// The project's signing keys, fetched when a token is signed with one (the anon key is sent,
    /// as Supabase's gateway may ask for it).
    func fetchKeySet(timeout: Double) throws(JSONWebToken.Problem) -> JSONWebKeySet {
        let request = HTTPRequest(method: "GET", url: jwksURL, headers: [("apikey", apikey)], timeout: timeout)
        let response: HTTPResponse
        do {
            response = try HTTPClient.perform(request)
        } catch {
            throw .keySetUnavailable(HTTPCheck.message(error, timeout: timeout))
        }
        guard response.status == 200 else { throw .keySetUnavailable("\(jwksURL) answered HTTP \(response.status)") }
        guard let keySet = JSONWebKeySet.parse(response.body) else {
            throw .keySetUnavailable("\(jwksURL): the answer is not a JWKS document (a JSON object with a \"keys\" array)")
        }
        return keySet
    }

    /// The decision from the sign-ins and, for a public-key token, the project's JWKS.
    func judge(_ observed: Observation) -> CheckResult {
        var result = judgeSignIn(observed)
        if !observed.signOutProblems.isEmpty {
            let count = observed.signOutProblems.count
            result.details.append("\(count) sign-in \(count == 1 ? "session" : "sessions") could not be ended (\(Set(observed.signOutProblems).sorted().joined(separator: "; "))); they stay until they expire")
        }
        return result
    }

    private func judgeSignIn(_ observed: Observation) -> CheckResult {
        let (response, timings, now) = (observed.response, observed.timings, observed.now)
        let document = JSONDocument.parse(response.body)
        guard response.status == 200 else { return Self.refusal(response, document, signIns: timings.count, of: samples, now: now) }
        guard case .string(let token)? = document?.value(at: ["access_token"]) else {
            return .failed("sign-in answered 200 without an access_token")
        }
        var notes: [String] = []
        do throws(JSONWebToken.Problem) {
            let jwt = try JSONWebToken(token)
            let algorithm = try jwt.algorithm()
            if JSONWebToken.publicKeyAlgorithms.contains(algorithm) {
                guard let keySet = observed.keySet else { throw JSONWebToken.Problem.keySetUnavailable("it was not fetched") }
                try jwt.verify(keySet: try keySet.get(), source: jwksURL)
            } else if algorithm != "HS256" {
                throw .unsupportedAlgorithm(algorithm)
            } else if let jwtSecret {
                try jwt.verify(secret: jwtSecret)
            } else {
                notes.append("HS256 signature not checked: no jwt_secret")
            }
            try jwt.verifyClaims(audience: audience, now: now)
        } catch {
            return .failed(Self.message(error))
        }
        var result = CheckResult.passed("signed in as \(email) in \(NumberText.number(NumberText.tenths(timings.last!))) ms; token valid"
                                        + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))"))
        result.measurements = [Measurement(name: "auth_time", value: timings.last!, unit: "ms")]
        result.handoff = ["access_token": token]
        if let latency {
            let judged = latency.judge(timings, planned: samples, unit: "sign-ins")
            let text = judged.text
            result.measurements.append(Measurement(name: "auth_\(latency.statistic.rawValue)", value: judged.value, unit: "ms", limit: latency.limit))
            if !judged.holds { return CheckResult(.failed, text, measurements: result.measurements) }  // no handoff
            result.message += "; \(text)"
        }
        return result
    }

    /// A sign-in GoTrue did not grant. Older GoTrue says `error` and `error_description`, newer
    /// `error_code` and `msg` (`{"code":400,"error_code":"invalid_credentials","msg":…}`), and
    /// Supabase's gateway `message` for a bad apikey. A rate limit (429, or 503 with Retry-After)
    /// says nothing about sign-in itself: errored, and retried after the wait asked for.
    static func refusal(_ response: HTTPResponse, _ document: JSONDocument?, signIns: Int, of samples: Int, now: Double) -> CheckResult {
        func text(_ key: String) -> String? {
            if case .string(let value)? = document?.value(at: [key]), !value.isEmpty { value } else { nil }
        }
        let code = text("error_code") ?? text("error")
        let reason = ["error_description", "msg", "message"].lazy.compactMap(text).first
            .map { "\($0) (\(code.map { "\($0), " } ?? "")HTTP \(response.status))" } ?? "HTTP \(response.status)"
        let after = response.retryAfter(now: now)
        if response.status == 429 || (response.status == 503 && after != nil) {
            let progress = signIns > 1 ? " after \(signIns - 1) of \(samples) sign-ins" : ""
            var result = CheckResult.errored("sign-in rate limited: \(reason)\(progress)"
                + (after.map { "; Retry-After \(NumberText.number($0)) s" } ?? "")
                + "; GoTrue limits sign-ins per IP address: fewer samples or runs, or a higher limit for the project")
            result.retryAfter = after
            return result
        }
        let hint: String? = switch code {
        case "invalid_credentials", "invalid_grant": "check the account's email and password against this project's users"
        case "email_not_confirmed": "confirm the account's email (the project's Authentication users), or sign-in stays refused"
        case "user_banned": "the account is banned in this project"
        default: response.status == 401 && text("message")?.lowercased().containsText("api key") == true
            ? "the apikey is not this project's anon key" : nil
        }
        return .failed("sign-in refused: \(reason)" + (hint.map { "; \($0)" } ?? ""))
    }

    static func message(_ problem: JSONWebToken.Problem) -> String {
        switch problem {
        case .malformed(let reason): "the access token is not a valid JWT: \(reason)"
        case .unsupportedAlgorithm(let algorithm):
            "the access token is signed with \(algorithm); HS256 (with jwt_secret), RS256 and ES256 (with the project's JWKS) are what gotrue_auth verifies"
        case .badSignature(nil): "the access token's signature does not verify with the JWT secret (a rotated secret, or another project's?)"
        case .badSignature(let key?): "the access token's signature does not verify with the JWKS \(key) (a rotated signing key, or another project's?)"
        case .keySetUnavailable(let reason): "the project's signing keys (JWKS) cannot be read to verify the access token: \(reason)"
        case .noKey(let kid?, let algorithm, let source, let available):
            "the access token's kid \"\(kid)\" (\(algorithm)) names no key of the project's JWKS at \(source) (it has: \(Self.list(available))); a signing key rotated in before it was published?"
        case .noKey(nil, let algorithm, let source, let available):
            "the access token names no kid, and the project's JWKS at \(source) has no single \(algorithm) key to use (it has: \(Self.list(available)))"
        case .expired(let seconds): "the access token expired \(seconds) s before it was checked (clock skew, or a stale token?)"
        case .wrongAudience(let found, let expected): "the access token's aud is \(found), expected \(expected)"
        }
    }

    private static func list(_ keys: [String]) -> String { keys.isEmpty ? "no keys" : keys.joined(separator: ", ") }
}
