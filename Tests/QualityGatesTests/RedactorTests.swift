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

    @Test("reaches every string of a report")
    func report() {
        let redactor = Redactor(environment: Environment(["TOKEN": "tok-123"]))
        let check = CheckReport(name: "c tok-123", kind: "env", outcome: .failed, message: "m tok-123", details: ["d tok-123"],
                                findings: [Finding(file: "f", message: "f tok-123")])
        let report = RunReport(tool: "t", target: .build, startedAt: Date(), durationSeconds: 0, stoppedEarly: "tok-123",
                               configurationErrors: ["tok-123"],
                               gates: [GateReport(id: "g", title: "tok-123", severity: .p0, responseTime: "", escalation: "",
                                                  runbook: ["tok-123"], checks: [check])])
        let text = String(decoding: JSONReporter.render(report.redacted(by: redactor)), as: UTF8.self)
        #expect(!text.contains("tok-123"))
        #expect(text.contains("[REDACTED]"))
    }
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
