import Foundation
import Testing
@testable import QualityGates

struct RedactorTests {
    @Test("masks secret variables by name and by declaration")
    func variables() {
        let redactor = Redactor(environment: Environment(["SUPABASE_JWT_SECRET": "s3cr3t-value", "SMOKE_PASSWORD": "Shazam11#",
                                                          "PLAIN": "visible", "CUSTOM": "declared-one", "API_KEY": "k"]),
                                secretNames: ["CUSTOM"])
        #expect(redactor.redact("a s3cr3t-value b Shazam11# c visible declared-one") == "a [REDACTED] b [REDACTED] c visible [REDACTED]")
        #expect(redactor.redact("Shazam11%23 in a URL") == "[REDACTED] in a URL")
        #expect(redactor.redact("k stays: too short to search") == "k stays: too short to search")
    }

    @Test("masks URL passwords, bearer tokens and JWTs whatever the environment")
    func patterns() {
        let redactor = Redactor(environment: Environment([:]))
        #expect(redactor.redact("postgresql://app:hunter2@db:5432/x") == "postgresql://app:[REDACTED]@db:5432/x")
        #expect(redactor.redact("Authorization: Bearer abc.def-ghi") == "Authorization: Bearer [REDACTED]")
        #expect(redactor.redact("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature end") == "token [REDACTED] end")
        #expect(redactor.redact("https://x/cb?access_token=abc&ok=1") == "https://x/cb?access_token=[REDACTED]&ok=1")
    }

    @Test("reaches every string of a report that is not the gate file's own text")
    func report() throws {
        let redactor = Redactor(environment: Environment(["TOKEN": "tok-123"]))
        let check = CheckReport(name: "name tok-123", kind: "env", outcome: .failed, message: "m tok-123", details: ["d tok-123"],
                                findings: [Finding(file: "f", message: "f tok-123")])
        let report = RunReport(tool: "t", target: .build, startedAt: Date(), durationSeconds: 0, stoppedEarly: "tok-123",
                               configurationErrors: ["tok-123"],
                               gates: [GateReport(id: "g", title: "title tok-123", severity: .p0, responseTime: "", escalation: "",
                                                  runbook: ["runbook tok-123"], checks: [check])])
        let text = String(decoding: JSONReporter.render(report.redacted(by: redactor), verdict: .decide(report.redacted(by: redactor), failOn: .p1)), as: UTF8.self)
        for masked in ["m tok-123", "d tok-123", "f tok-123", "\"tok-123\""] { #expect(!text.contains(masked), "\(masked)") }
        // Names, titles and runbooks are written in the gate file: masking them hides nothing and breaks the report.
        for kept in ["name tok-123", "title tok-123", "runbook tok-123"] { #expect(text.contains(kept), "\(kept)") }
    }

    @Test("a secret is masked in every encoding a server may echo it in", arguments: ["pa\"ss\\wörd<&>'/ x+y", "Shazam11#sec/ret?", "plain-alnum-1234"])
    func encodings(secret: String) throws {
        let redactor = Redactor(environment: Environment(["SMOKE_PASSWORD": secret]))
        let json = String(decoding: try JSONSerialization.data(withJSONObject: ["password": secret]), as: UTF8.self)
        let doubleJSON = String(decoding: try JSONSerialization.data(withJSONObject: ["body": json]), as: UTF8.self)
        // Python's json.dumps (ensure_ascii) and Go's encoding/json (HTML-safe) escape more than JSONSerialization.
        let asciiJSON = secret.unicodeScalars.map { scalar -> String in
            scalar.value > 0x7E || "<>&".unicodeScalars.contains(scalar)
                ? String(scalar).utf16.map { String(format: "\\u%04x", $0) }.joined()
                : scalar == "\"" ? "\\\"" : scalar == "\\" ? "\\\\" : String(scalar)
        }.joined()
        var form = URLComponents()
        form.queryItems = [URLQueryItem(name: "password", value: secret)]
        let xml = secret.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&apos;")
        let plus = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~ ")))!
            .replacingOccurrences(of: " ", with: "+")
        var echoes = [json, doubleJSON, asciiJSON, form.percentEncodedQuery!, xml, plus,
                      Array(secret.utf8).map { byte in  // every byte but letters and digits, in lower-case hex
                          (byte < 0x80 && (byte as UInt8).isLetterOrDigit) ? String(UnicodeScalar(byte)) : String(format: "%%%02x", byte)
                      }.joined()]
        // Base64 at each alignment inside a longer value: Basic auth, a JWT's payload, a cookie.
        for prefix in ["", "u:", "us:", "use:"] {
            let encoded = Data((prefix + secret + "!tail").utf8)
            echoes += [encoded.base64EncodedString(),
                       encoded.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")]
        }
        for echo in echoes {
            let redacted = redactor.redact("the server said: \(echo) (end)")
            #expect(redacted.contains("[REDACTED]"), "not masked in \(echo)")
            #expect(!redacted.contains(secret) && !redacted.contains(String(secret.prefix(8))), "\(redacted)")
        }
    }

    @Test("a secret cut by a length cap is masked up to the cut")
    func cutSecret() {
        let secret = "correct-horse-battery-staple-42"
        let redactor = Redactor(environment: Environment(["DB_PASSWORD": secret]))
        let text = UntrustedText.capped(String(repeating: "x", count: 1000) + secret + " and more", limit: 1012)
        #expect(text.contains("correct-hor"))
        let redacted = redactor.redact(text)
        #expect(!redacted.contains("correct-hor"), "\(redacted.suffix(60))")
        #expect(redacted.hasSuffix("x[REDACTED]… (28 more bytes)"))
    }

    @Test("short secrets are named for a warning; short ones are still masked from 3 characters")
    func shortSecrets() {
        let redactor = Redactor(environment: Environment(["API_KEY": "abc", "DB_PASSWORD": "long-enough-value", "X_TOKEN": "ab"]))
        #expect(redactor.shortSecretNames == ["API_KEY", "X_TOKEN"])
        #expect(redactor.redact("key abc") == "key [REDACTED]")
        #expect(redactor.redact("ab stays") == "ab stays")
    }
}

private extension UInt8 {
    var isLetterOrDigit: Bool { (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
}

struct SecretPatternTests {
    private func mask(_ text: String) -> String { SecretPatterns.mask(text, with: "*") }

    @Test("URL passwords are masked, user and host kept")
    func urls() {
        #expect(mask("postgresql://app:pw@db:5432/x and https://a:b@c") == "postgresql://app:*@db:5432/x and https://a:*@c")
        #expect(mask("https://host:8443/path") == "https://host:8443/path")
        #expect(mask("user:pass@host without a scheme") == "user:pass@host without a scheme")
        #expect(mask("postgres://:onlypass@h") == "postgres://:*@h")
    }

    @Test("bearer tokens, JWTs and secret query parameters are masked; lookalikes are not")
    func tokens() {
        #expect(mask("BEARER abc.def") == "BEARER *")
        #expect(mask("unbearer abc") == "unbearer abc")
        #expect(mask("x eyJa.eyJb.c y") == "x * y")
        #expect(mask("eyJonly.one") == "eyJonly.one")
        #expect(mask("/cb?Password=x&access_token=y&ok=1") == "/cb?Password=*&access_token=*&ok=1")
        #expect(mask("?tokenizer=x") == "?tokenizer=x")
    }
}
