import Foundation
import Testing
@testable import QualityGates

struct RequirementsTests {
    private func parse(_ text: String) throws -> Requirement {
        try RequirementParser.parse(text, location: RequirementLocation(file: "r.txt", line: 1), isConstraint: false).get()
    }

    @Test("names are normalised as PEP 503 says", arguments: [
        ("GoTrue", "gotrue"), ("python_jose", "python-jose"), ("zope.interface", "zope-interface"), ("A-_.b", "a-b"),
    ])
    func normalisation(_ written: String, _ normalised: String) {
        #expect(Requirement.normalise(written) == normalised)
    }

    @Test("versions compare as PEP 440 says")
    func versions() {
        #expect(PythonVersion("2.5.4") == PythonVersion("2.5.4.0"))
        #expect(PythonVersion("v2.5.4") == PythonVersion("2.5.4"))
        #expect(PythonVersion("2.5.4RC1") == PythonVersion("2.5.4rc1"))
        #expect(PythonVersion("2.5.4-1") == PythonVersion("2.5.4.post1"))
        #expect(PythonVersion("1!2.0") != PythonVersion("2.0"))
        #expect(PythonVersion("2.5.4") != PythonVersion("2.5.4.1"))
        #expect(PythonVersion("2.5.4.dev0")?.description == "2.5.4.dev0")
        #expect(PythonVersion("latest") == nil)
        #expect(PythonVersion("2.5.*") == nil)
    }

    @Test("extras, markers and spaced specifiers are read")
    func pep508() throws {
        let requirement = try parse("uvicorn [standard] >= 0.30 , < 0.31 ; python_version >= \"3.9\"")
        #expect(requirement.name == "uvicorn")
        #expect(requirement.text == "uvicorn[standard]>=0.30,<0.31")
        #expect(requirement.marker == "python_version >= \"3.9\"")
    }

    @Test("URL and path requirements are told apart from pins")
    func directReferences() throws {
        #expect(try parse("gotrue @ https://example.test/gotrue-2.5.4.tar.gz").source
                == .direct(url: "https://example.test/gotrue-2.5.4.tar.gz", editable: false))
        #expect(try parse("https://example.test/wheels/gotrue-2.5.4-py3-none-any.whl").name == "gotrue")
        #expect(try parse("./vendor/gotrue#egg=gotrue").name == "gotrue")
    }

    @Test("a malformed line is an error with its place")
    func malformed() {
        let result = RequirementParser.parse("gotrue =! 2", location: RequirementLocation(file: "r.txt", line: 4), isConstraint: false)
        guard case .failure(let error) = result else { Issue.record("accepted"); return }
        #expect(error.description == "r.txt:4: bad version specifier '=! 2' in 'gotrue =! 2'")
    }

    @Test("continuations, comments and options are handled as pip does")
    func logicalLines() {
        let text = "# top\nfoo==1 \\\n  --hash=sha256:aa \\\n  --hash=sha256:bb  # pinned\nurl#frag==1\n\n--index-url https://x\n"
        let lines = RequirementsFile.logicalLines(Array(text.utf8))
        #expect(lines.map(\.number) == [2, 5, 7])
        #expect(lines.map { String(decoding: $0.text, as: UTF8.self) }
                == ["foo==1   --hash=sha256:aa   --hash=sha256:bb", "url#frag==1", "--index-url https://x"])
        #expect(RequirementsFile.logicalLines(Array("\u{FEFF}a==1\r\nb==2 \\\r\n  ; x\n".utf8)).map(\.number) == [1, 2])
    }

    @Test("includes are followed relative to the including file, in every spelling")
    func includes() throws {
        let folder = try TemporaryFolder(files: [
            "req/main.txt": "-r base/a.txt\n--requirement=base/b.txt\n-cconstraints.txt\n",
            "req/base/a.txt": "alpha==1\n-r ../shared.txt\n",
            "req/base/b.txt": "beta==2 --hash sha256:00\n",
            "req/shared.txt": "gamma==3\n",
            "req/constraints.txt": "delta==4\n",
        ])
        let tree = try RequirementsFile.read("req/main.txt", root: folder.url)
        #expect(tree.requirements.map(\.name) == ["alpha", "gamma", "beta", "delta"])
        #expect(tree.requirements.map(\.isConstraint) == [false, false, false, true])
        #expect(tree.requirements[1].location.description == "req/shared.txt:1")
    }

    @Test("a file included twice without a cycle is read once")
    func diamond() throws {
        let folder = try TemporaryFolder(files: ["r.txt": "-r a.txt\n-r b.txt\n", "a.txt": "-r c.txt\n", "b.txt": "-r c.txt\n", "c.txt": "x==1\n"])
        #expect(try RequirementsFile.read("r.txt", root: folder.url).requirements.count == 1)
    }

    @Test("a remote include is an error, not a download")
    func remoteInclude() throws {
        let folder = try TemporaryFolder(files: ["r.txt": "-r https://example.test/r.txt\n"])
        #expect(throws: RequirementError.self) { try RequirementsFile.read("r.txt", root: folder.url) }
    }
}

struct DotEnvTests {
    @Test("reads quotes, exports, comments and escapes")
    func parsing() throws {
        let text = "\u{FEFF}# c\nexport A=1\nB = 'x # y'\nC=\"a\\nb\" # note\nD=plain # comment\nE=\nF=a#b\n"
        let entries = try DotEnv.parse(text)
        #expect(entries.map(\.name) == ["A", "B", "C", "D", "E", "F"])
        #expect(entries.map(\.value) == ["1", "x # y", "a\nb", "plain", "", "a#b"])
        #expect(entries.map(\.line) == [2, 3, 4, 5, 6, 7])
    }

    @Test("a bad line is an error at its line and column")
    func errors() {
        #expect(throws: DotEnv.SyntaxError(line: 2, column: 3, reason: "expected KEY=value")) { try DotEnv.parse("A=1\n  nonsense\n") }
        #expect(throws: DotEnv.SyntaxError(line: 1, column: 3, reason: "unterminated double-quoted value")) { try DotEnv.parse("A=\"open\n") }
        #expect(throws: DotEnv.SyntaxError(line: 1, column: 1, reason: "'1A' is not a variable name")) { try DotEnv.parse("1A=x\n") }
    }
}

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

struct PythonVersionGrammarTests {
    @Test("accepts what PEP 440 accepts", arguments: [
        ("1.0", "1"), ("1.0.0.0", "1"), ("V1.2", "1.2"), ("1!2.3", "1!2.3"), ("1.0a1", "1a1"), ("1.0-alpha-2", "1a2"),
        ("1.0.beta", "1b0"), ("1.0c3", "1rc3"), ("1.0preview1", "1rc1"), ("1.0.post2", "1.post2"), ("1.0-3", "1.post3"),
        ("1.0rev", "1.post0"), ("1.0.dev4", "1.dev4"), ("1.0dev", "1.dev0"), ("1.0+ubuntu-1_a", "1+ubuntu.1.a"),
        ("  2.5.4  ", "2.5.4"), ("1.0a1.post2.dev3", "1a1.post2.dev3"),
    ])
    func accepts(_ text: String, _ canonical: String) {
        #expect(PythonVersion(text)?.description == canonical)
    }

    @Test("refuses what PEP 440 refuses", arguments: ["", "latest", "1.", "1..2", "1.0+", "1.0+a..b", "1.0 beta", "1.*", "x1.0", "1.0-", "!1"])
    func refuses(_ text: String) {
        #expect(PythonVersion(text) == nil)
    }
}
