import Foundation
@testable import QualityGates
import TestSupport
import Testing

/// Untrusted text (server answers, checked files) never reaches a terminal or a CI log raw, and
/// no output grows without bound.
struct UntrustedTextTests {
    @Test("controls, ESC sequences, bidi overrides and separators are shown escaped")
    func escaping() {
        #expect(UntrustedText.escaped("a\u{1B}]0;t\u{07}b\u{1B}[2Jc\0d\r\ne\u{202E}f\u{9B}g\u{2028}") ==
                "a\\x1b]0;t\\x07b\\x1b[2Jc\\x00d\\r\\ne\\u{202e}f\\x9bg\\u{2028}")
        #expect(UntrustedText.escaped("plain, ünïcode 😀") == "plain, ünïcode 😀")
    }

    @Test("long text is cut at a character boundary, never inside an escape, saying how much was left out")
    func capping() {
        let cut = UntrustedText.capped(String(repeating: "é", count: 100), limit: 51)
        #expect(cut == String(repeating: "é", count: 25) + "… (150 more bytes)")
        let escape = UntrustedText.quoted(String(repeating: "a", count: 8) + "\u{1B}" + String(repeating: "b", count: 20), limit: 10)
        #expect(escape.hasPrefix("aaaaaaaa… ("), "\(escape)")
        #expect(UntrustedText.quoted("short") == "short")
    }

    @Test("lines a CI runner would read as workflow commands are neutralised, indented or not")
    func workflowCommands() {
        let text = "ok\n::add-mask::x\n    ::warning::planted\nnot::a command"
        #expect(UntrustedText.neutralisingWorkflowCommands(text) == "ok\n\\::add-mask::x\n    \\::warning::planted\nnot::a command")
    }

    @Test("a report is bounded: message, detail and finding lengths and counts")
    func bounded() {
        let big = String(repeating: "x", count: 100_000)
        let check = CheckReport(name: "c", kind: "http", outcome: .failed, message: big, details: Array(repeating: big, count: 500),
                                findings: Array(repeating: Finding(file: "f", message: big), count: 500))
        let safe = check.sanitized()
        #expect(safe.message.utf8.count <= UntrustedText.messageLimit + 40)
        #expect(safe.details.count == UntrustedText.detailCount + 2)
        #expect(safe.details.allSatisfy { $0.utf8.count <= UntrustedText.lineLimit + 40 })
        #expect(safe.findings.count == UntrustedText.findingCount)
        #expect(safe.details.last == "… 400 more findings left out of the reports")
    }

    @Test("the step summary stays under GitHub's 1 MiB, cut at a line with a notice")
    func stepSummary() {
        let markdown = String(repeating: "| a line of the summary |\n", count: 60_000)
        let summary = MarkdownReporter.forStepSummary(markdown)
        #expect(summary.utf8.count <= 1024 * 1024)
        #expect(summary.hasSuffix("the whole of it is in the Markdown report.\n"))
        #expect(summary.contains("|\n\n> The summary was cut"))
    }

    @Test("a summary over the limit loses whole sections from the end: the headline, the table and the first failures stay whole")
    func stepSummaryBySection() {
        let table = "## Quality gates: ❌ failed\n\n| Gate | Severity | Status | Checks |\n| --- | --- | --- | --- |\n| `a` | P0 | failed | 1 failed |\n"
        let first = "\n### ❌ `a` first gate\n\n- **c**: short\n"
        let second = "\n### ❌ `b` second gate\n\n" + String(repeating: "- **c**: a long finding line\n", count: 40_000)
        let trend = "\n<details><summary>Trend</summary>\n\n" + String(repeating: "| x | y |\n", count: 20_000) + "</details>\n"
        let summary = MarkdownReporter.forStepSummary(table + first + second + trend)
        #expect(summary.utf8.count <= 1024 * 1024)
        #expect(summary.hasPrefix(table + first))
        #expect(!summary.contains("second gate") && !summary.contains("<details>"), "the section that did not fit went whole, and what came after it")
        #expect(summary.contains("2 sections were left out; the whole of it is in the Markdown report."))
    }
}

/// The same, end to end, against a server that misbehaves on purpose.
@Suite(.serialized)
struct HardeningTests {
    let server: MisbehavingServer

    init() throws { server = try MisbehavingServer() }

    private func gate(_ checks: String) -> String {
        "gates:\n  hostile:\n    title: Hostile\n    severity: P0\n    checks:\n" + checks
    }

    /// Every file the run wrote, with stdout and stderr.
    private func outputs(_ run: ProcessRunner.Result, _ folder: TemporaryFolder) -> [(String, Data)] {
        var all: [(String, Data)] = [("stdout", Data(run.stdout.utf8)), ("stderr", Data(run.stderr.utf8))]
        for file in ["reports/junit.xml", "reports/report.json", "reports/summary.md", "step-summary.md", "reports/history.sqlite"] {
            if let data = FileManager.default.contents(atPath: folder.path(file)) { all.append((file, data)) }
        }
        return all
    }

    static let hostileChecks = """
              - {name: text body, kind: http, url: "${SERVER}/hostile-text", conditions: ["[BODY] == ok"]}
              - {name: json body, kind: http, url: "${SERVER}/hostile-json", conditions: ["[BODY].message == ok"]}
              - {name: header, kind: http, url: "${SERVER}/hostile-json", conditions: ["[HEADER].content-type == ok"]}

        """

    /// Our own escape sequences: colours (SGR) only.
    private func foreignEscapes(_ text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let escape = rest.firstIndex(of: "\u{1B}") {
            let after = rest[rest.index(after: escape)...]
            let sgr = after.prefix { $0 != "m" }
            if !(after.hasPrefix("[") && ["[0", "[1", "[2", "[31", "[32", "[33"].contains(String(sgr))) {
                found.append(String(after.prefix(8)))
            }
            rest = after
        }
        return found
    }

    @Test("ESC, OSC, NUL, CR-LF and ::add-mask:: / ::warning:: lines from a server: none reaches a terminal, the CI log or a report raw")
    func hostileTextNeutralised() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": gate(Self.hostileChecks)])
        let environment = ["SERVER": server.url(""), "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": folder.path("step-summary.md")]
        let ci = try Binary.run(["run", "--config", "gates.yml", "--target", "staging"], in: folder, environment: environment)
        #expect(ci.status == 1)
        #expect(ci.stdout.contains("\\x1b]0;pwned\\x07"), "the value is shown, escaped:\n\(ci.stdout)")
        for (name, data) in outputs(ci, folder) where name != "reports/history.sqlite" {
            let text = String(decoding: data, as: UTF8.self)
            let raw = text.unicodeScalars.filter { UntrustedText.needsEscape($0) && $0 != "\n" && $0 != "\t" }
            #expect(raw.isEmpty, "\(name) holds raw \(raw.map { String($0.value, radix: 16) })")
            let commands = text.split(separator: "\n").filter { $0.drop { $0 == " " }.hasPrefix("::") }
            #expect(commands.isEmpty, "\(name) has lines a runner would act on: \(commands)")
        }
        // On a terminal (colours on), the only escapes are our colours.
        let command = "\(Binary.path) run --config gates.yml --target staging --history none"
        let tty = try ProcessRunner.run("/usr/bin/script", ["-qec", command, "/dev/null"],
                                        environment: Binary.environment(["SERVER": server.url("")]), directory: folder.url)
        #expect(tty.stdout.contains("\u{1B}[31m"))
        #expect(foreignEscapes(tty.stdout).isEmpty, "\(foreignEscapes(tty.stdout))")
        #expect(!tty.stdout.unicodeScalars.contains { $0 == "\0" || $0 == "\u{07}" || $0 == "\u{9B}" || $0 == "\u{202E}" })
        #expect(!tty.stdout.replacingOccurrences(of: "\r\n", with: "\n").contains("\r"))
    }

    @Test("a 5 MB body: every output stays under its bound")
    func bigBodyBounded() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": gate("      - {name: big, kind: http, url: \"${SERVER}/big\", conditions: [\"[BODY] == ok\"]}\n")])
        let run = try Binary.run(["run", "--config", "gates.yml", "--target", "staging"], in: folder,
                                 environment: ["SERVER": server.url(""), "GITHUB_STEP_SUMMARY": folder.path("step-summary.md")])
        #expect(run.status == 1)
        #expect(run.stdout.contains("more bytes)"), "\(run.stdout.prefix(2000))")
        for (name, data) in outputs(run, folder) where name != "reports/history.sqlite" {
            #expect(data.count < 32 * 1024, "\(name) is \(data.count) bytes")
        }
    }

    /// Secrets of the shapes that broke masking before: quotes and backslashes, URL-special
    /// characters, XML-special ones, non-ASCII, spaces and pluses, a long token.
    static let secrets: [String: String] = [
        "SMOKE_PASSWORD": #"pa"ss\wörd 1+2"#,
        "GQL_PASSWORD": "p@ss w/rd+%20&x=y?#",
        "API_TOKEN": "sk_live_4eC39HqLyjWDarjtT1zdp7dcAbCdEfGh",
        "API_KEY": "<key attr='v'>&amp;",
        "SUPABASE_ANON_KEY": "anon-пароль-😀-key",
        "CUSTOM_SECRET_VALUE": "Shazam11#Shazam11#",
    ]

    /// Every form a secret could take in an output, computed here independently of the redactor.
    static func forms(of secret: String) -> [String] {
        var forms = [secret]
        let json = String(decoding: try! JSONSerialization.data(withJSONObject: [secret], options: [.fragmentsAllowed]), as: UTF8.self)
        forms.append(String(json.dropFirst(2).dropLast(2)))
        forms.append(secret.unicodeScalars.map { $0.value > 0x7E ? String(format: "\\u%04x", $0.value) : String($0) }.joined())
        forms.append(secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        forms.append(secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: " ")))!
            .replacingOccurrences(of: " ", with: "+"))
        forms.append(secret.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "'", with: "&apos;").replacingOccurrences(of: "\"", with: "&quot;"))
        for alignment in 0..<3 {
            let encoded = Data((String(repeating: "x", count: alignment) + secret).utf8).base64EncodedString()
            let core = encoded.dropFirst(alignment == 0 ? 0 : alignment + 1).dropLast(4)
            if core.count >= 8 { forms.append(String(core)) }
        }
        return Array(Set(forms.filter { $0.utf8.count >= 8 }))
    }

    @Test("a server that echoes headers, query and body in every encoding, as GoTrue and as GraphQL: no secret appears anywhere")
    func echoedSecretsMasked() throws {
        let checks = """
              - name: sign-in echoed
                kind: gotrue_auth
                url: ${SERVER}/echo-gotrue
                apikey: ${SUPABASE_ANON_KEY}
                email: parents@nestsync.com
                password: ${SMOKE_PASSWORD}
              - name: graphql echoed
                kind: graphql_query
                url: ${SERVER}/echo-graphql
                query: "query Q($password: String!) { me { id } }"
                variables: {password: "${GQL_PASSWORD}"}
                headers: {X-Custom: "${CUSTOM_SECRET_VALUE}"}
              - name: http echoed
                kind: http
                url: "${SERVER}/echo-all?key=${API_KEY}"
                headers: {Authorization: "Bearer ${API_TOKEN}"}
                conditions: ["[BODY] == ok"]

        """
        let folder = try TemporaryFolder(files: ["gates.yml": gate(checks)])
        var environment = Self.secrets
        environment["SERVER"] = server.url("")
        environment["GITHUB_ACTIONS"] = "true"
        environment["GITHUB_STEP_SUMMARY"] = folder.path("step-summary.md")
        let run = try Binary.run(["run", "--config", "gates.yml", "--target", "staging"], in: folder, environment: environment)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("[REDACTED]"), "the echoes reached the messages:\n\(run.stdout)")
        for (name, data) in outputs(run, folder) {
            let text = String(decoding: data, as: UTF8.self)
            for (variable, secret) in Self.secrets {
                for form in Self.forms(of: secret) where text.contains(form) {
                    Issue.record("\(variable) appears in \(name) as \(form)")
                }
            }
        }
    }

    @Test("a URL that cannot be parsed is not shown past its scheme")
    func unparseableURL() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": gate("      - {name: pasted, kind: http, url: \"${BAD_URL}\"}\n")])
        let pasted = "https://admin:Sup3r/Secret?Pass#word@api.example.com/graphql"
        let run = try Binary.run(["run", "--config", "gates.yml", "--target", "staging", "--history", "none"], in: folder,
                                 environment: ["BAD_URL": pasted])
        let everything = run.stdout + run.stderr + folder.read("reports/junit.xml") + folder.read("reports/report.json")
        for fragment in ["Sup3r", "Secret", "Pass", "word"] { #expect(!everything.contains(fragment), "\(fragment) shown:\n\(run.stdout)") }
        #expect(run.stdout.contains("https://"), "\(run.stdout)")
    }

    @Test("a body that is not JSON under [BODY].x says so; a lone surrogate does not make a body unreadable")
    func bodyMessages() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": gate("""
              - {name: html, kind: http, url: "${SERVER}/html", conditions: ["[BODY].status == ok"]}
              - {name: surrogate, kind: http, url: "${SERVER}/lone-surrogate", conditions: ["[BODY].ok == yes"]}
              - {name: header, kind: http, url: "${SERVER}/huge-header", retries: 2}

        """)])
        let run = try Binary.run(["run", "--config", "gates.yml", "--target", "staging", "--history", "none"], in: folder,
                                 environment: ["SERVER": server.url("")])
        #expect(run.stdout.contains("[BODY].status (the body is not JSON: text/html, 245 bytes) == ok"), "\(run.stdout)")
        let report = try JSONReporter.decode(Array(folder.read("reports/report.json").utf8))
        let checks = Dictionary(uniqueKeysWithValues: report.allChecks.map { ($0.name, $0) })
        #expect(checks["surrogate"]?.outcome == .passed)
        #expect(checks["header"]?.message.contains("a response header is larger than libcurl accepts") == true, "\(checks["header"]?.message ?? "")")
        #expect(checks["header"]?.attempts == 1, "a header over the limit is over it again: not retried")
    }

    @Test("a certificate that does not verify, and a 4xx, are not retried; a 5xx is", arguments: ["tls", "404", "500"])
    func retriesOnlyWhatCouldChange(kind: String) throws {
        let url = kind == "tls" ? "https://127.0.0.1:\(server.tlsPort)/" : server.url("/graphql-\(kind)")
        let check = kind == "tls" ? "kind: http, url: \"\(url)\"" : "kind: graphql_query, url: \"\(url)\", query: \"{ me { id } }\""
        let folder = try TemporaryFolder(files: ["gates.yml": gate("      - {name: once, \(check), retries: 2}\n")])
        let before = try server.hits(kind == "tls" ? "/tls" : "/graphql-\(kind)")
        let run = try Binary.run(["run", "--config", "gates.yml", "--target", "staging", "--history", "none"], in: folder)
        #expect(run.status == 1)
        let hits = try server.hits(kind == "tls" ? "/tls" : "/graphql-\(kind)") - before
        #expect(hits == (kind == "500" ? 3 : 1), "\(kind): \(hits) requests\n\(run.stdout)")
    }

    @Test("a staging signed by its own CA: refused by default, verified with ca_bundle, and with SSL_CERT_FILE or CURL_CA_BUNDLE for every kind that makes requests")
    func internalCertificateAuthority() throws {
        let url = "https://127.0.0.1:\(server.tlsPort)/"
        let checks = [
            "{name: default, kind: http, url: \"\(url)\", conditions: [\"[STATUS] == 200\"]}",
            "{name: bundle, kind: http, url: \"\(url)\", ca_bundle: \"\(server.tlsCertificate)\", conditions: [\"[STATUS] == 200\"]}",
            "{name: schema, kind: graphql_schema, url: \"\(url)\", required: [Query.me]}",
        ].map { "      - \($0)\n" }.joined()
        let folder = try TemporaryFolder(files: ["gates.yml": gate(checks)])
        func run(_ environment: [String: String]) throws -> [String: CheckReport] {
            _ = try Binary.run(["run", "--config", "gates.yml", "--target", "staging", "--history", "none"], in: folder, environment: environment)
            let report = try JSONReporter.decode(Array(folder.read("reports/report.json").utf8))
            return Dictionary(uniqueKeysWithValues: report.allChecks.map { ($0.name, $0) })
        }
        let plain = try run([:])
        #expect(plain["default"]?.outcome == .errored && plain["default"]?.message.contains("TLS failed") == true, "\(plain["default"]?.message ?? "")")
        #expect(plain["bundle"]?.outcome == .passed, "\(plain["bundle"]?.message ?? "")")
        #expect(plain["schema"]?.message.contains("TLS failed") == true, "\(plain["schema"]?.message ?? "")")
        for variable in ["SSL_CERT_FILE", "CURL_CA_BUNDLE"] {
            let trusted = try run([variable: server.tlsCertificate])
            #expect(trusted["default"]?.outcome == .passed, "\(variable): \(trusted["default"]?.message ?? "")")
            // Past TLS, the server (which serves GET alone) answers the introspection's POST with an HTTP error.
            #expect(trusted["schema"]?.message.hasPrefix("\(url) answered introspection with HTTP 501") == true,
                    "\(variable): \(trusted["schema"]?.message ?? "")")
        }
    }

    @Test("Retry-After is honoured: a 503 that asks for 1 s is retried after it, and passes")
    func retryAfter() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": gate("      - {name: busy, kind: http, url: \"${SERVER}/busy\", retries: 1, conditions: [\"[STATUS] == 200\"]}\n")])
        let run = try Binary.run(["run", "--config", "gates.yml", "--target", "staging", "--history", "none"], in: folder,
                                 environment: ["SERVER": server.url("")])
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.seconds >= 1)
        let report = try JSONReporter.decode(Array(folder.read("reports/report.json").utf8))
        #expect(report.allChecks.first?.attempts == 2)
    }
}
