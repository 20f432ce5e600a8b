import Foundation
@testable import QualityGates
import TestSupport
import Testing
import XMLWriter

/// The real binary, end to end: exit statuses, reports, and what reaches the terminal.
@Suite(.serialized)
struct CommandLineTests {
    @Test("the healthy example passes: exit 0 and all three reports")
    func healthyExample() throws {
        let folder = try TemporaryFolder()
        try Binary.copyExample(into: folder)
        let result = try Binary.run(["run", "--project-root", "project", "--target", "build"], in: folder)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        for report in ["reports/junit.xml", "reports/report.json", "reports/summary.md"] {
            #expect(FileManager.default.fileExists(atPath: folder.path(report)), "\(report) missing")
        }
        let validator = try XMLSchemaValidator(schemaPath: Paths.fixtures.appendingPathComponent("junit-10.xsd").path)
        #expect(validator.errors(in: Array(folder.read("reports/junit.xml").utf8)) == [])
        #expect(result.stdout.contains("PASSED"))
        #expect(!result.stdout.contains("\u{1B}["), "colours must stay off when stdout is not a terminal")
    }

    @Test("a frontend operation whose required variable nothing gives is a configuration error before anything runs; a needed check exposing it is enough")
    func frontendOperationVariables() throws {
        let query = "const Q = gql`\n  query GetAnalyticsDashboard($childId: ID!) { getAnalyticsDashboard(childId: $childId) { totalChanges } }\n`;\n"
        let gates = """
            gates:
              analytics_performance:
                title: Analytics
                severity: P1
                checks:
                  - name: children
                    kind: graphql_query
                    url: http://127.0.0.1:1/graphql
                    query: "{ myChildren { id } }"
                    expose: {firstChild: "[DATA].myChildren.0.id"}
                  - name: dashboard
                    kind: graphql_query
                    url: http://127.0.0.1:1/graphql
                    documents: [app]
                    operation: GetAnalyticsDashboard
                    needs: [children]

            """
        let folder = try TemporaryFolder(files: ["project/app/dashboard.ts": query, "gates.yml": gates])
        let result = try Binary.run(["run", "--config", "gates.yml", "--project-root", "project", "--target", "staging"], in: folder)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("gates.yml:11:9: invalid 'analytics_performance/dashboard': operation GetAnalyticsDashboard (app/dashboard.ts:2:3) needs $childId (ID!), and nothing gives it"),
                "\(result.stderr)")
        #expect(folder.read("reports/junit.xml").contains("needs $childId (ID!)"))
        try folder.write("gates.yml", gates.replacingOccurrences(of: "firstChild", with: "childId"))
        let exposed = try Binary.run(["run", "--config", "gates.yml", "--project-root", "project", "--target", "staging"], in: folder)
        #expect(exposed.status == 1, "runs, and fails to reach the endpoint: \(exposed.stdout)\(exposed.stderr)")
        #expect(exposed.stdout.contains("needs 'children', which errored"))
    }

    @Test("a frontend operation that is a mutation is refused before anything runs, and sent with allow_mutation: true")
    func frontendMutation() throws {
        let mutation = "const M = gql`\n  mutation LogDiaperChange { logDiaperChange(childId: \"c1\") { id } }\n`;\n"
        let gates = """
            gates:
              writes:
                title: Writes
                severity: P1
                checks:
                  - name: log a change
                    kind: graphql_query
                    url: http://127.0.0.1:1/graphql
                    documents: [app]
                    operation: LogDiaperChange
                    samples: 5

            """
        let folder = try TemporaryFolder(files: ["project/app/log.ts": mutation, "gates.yml": gates])
        let refused = try Binary.run(["run", "--config", "gates.yml", "--project-root", "project", "--target", "staging"], in: folder)
        #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("invalid 'writes/log a change': LogDiaperChange (app/log.ts:2:3) is a mutation: this gate would change the application's data on every run (5 times)"),
                "\(refused.stderr)")
        try folder.write("gates.yml", gates.replacingOccurrences(of: "samples: 5", with: "samples: 5\n        allow_mutation: true"))
        let allowed = try Binary.run(["run", "--config", "gates.yml", "--project-root", "project", "--target", "staging"], in: folder)
        #expect(allowed.status == 1, "runs, and fails to reach the endpoint: \(allowed.stdout)\(allowed.stderr)")
        #expect(allowed.stdout.contains("cannot connect to http://127.0.0.1:1/graphql"), "\(allowed.stdout)")
    }

    @Test("a loosened gotrue pin fails auth_health with the file and line: exit 1")
    func loosenedPin() throws {
        let folder = try TemporaryFolder()
        try Binary.copyExample(into: folder)
        let requirements = folder.path("project/NestSync-backend/requirements.txt")
        let text = try String(contentsOfFile: requirements, encoding: .utf8).replacingOccurrences(of: "gotrue==2.5.4", with: "gotrue>=2.5")
        try text.write(toFile: requirements, atomically: true, encoding: .utf8)
        let result = try Binary.run(["--project-root", folder.path("project")], in: folder, environment: ["GITHUB_ACTIONS": "true"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("::error file=project/NestSync-backend/requirements.txt,line=19,title=P0 auth_health / gotrue pinned exactly::"),
                "annotations must name the file relative to the working folder: \(result.stdout)")
        let junit = folder.read("reports/junit.xml")
        let suite = try #require(junit.range(of: "<testsuite name=\"auth_health\"").map { junit[$0.lowerBound...] })
        let failure = try #require(suite.range(of: "<failure ").map { suite[$0.lowerBound...].prefix(200) })
        #expect(failure.contains("gotrue&gt;=2.5 at NestSync-backend/requirements.txt:19, expected ==2.5.4"))
        #expect(result.stdout.contains("Immediate actions"))
    }

    @Test("a renamed resolver fails graphql_schema_health from the exported SDL alone")
    func renamedResolver() throws {
        let folder = try TemporaryFolder()
        try Binary.copyExample(into: folder)
        let schema = folder.path("project/NestSync-backend/schema.graphql")
        let text = try String(contentsOfFile: schema, encoding: .utf8).replacingOccurrences(of: "getAnalyticsDashboard", with: "getAnalyticsOverview")
        try text.write(toFile: schema, atomically: true, encoding: .utf8)
        let result = try Binary.run(["--project-root", "project", "--only", "graphql_schema_health"], in: folder)
        #expect(result.status == 1)
        #expect(result.stdout.contains("critical resolvers: Query.getAnalyticsDashboard is missing from NestSync-backend/schema.graphql; closest: getAnalyticsOverview"),
                "\(result.stdout)")
    }

    @Test("--fail-on decides which severities block")
    func failOn() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": gateFile(checks: "      - {name: region, kind: env, variable: DATA_REGION}", severity: "P2")])
        #expect(try Binary.run(["run", "--config", "gates.yml"], in: folder).status == 0)
        #expect(try Binary.run(["run", "--config", "gates.yml", "--fail-on", "P2"], in: folder).status == 1)
    }

    struct BrokenFile: CustomTestStringConvertible, Sendable {
        let label: String
        let bytes: @Sendable () -> [UInt8]
        let expected: String
        var testDescription: String { label }
    }

    static let brokenFiles: [BrokenFile] = [
        BrokenFile(label: "unknown key", bytes: { Array(gateFile(checks: "      - {name: a, kind: env, variable: A, equal: x}").utf8) },
                   expected: "gates.yml:6:43: unknown key 'equal'; did you mean 'equals'?"),
        BrokenFile(label: "unset variable", bytes: { Array(gateFile(checks: "      - {name: a, kind: file, path: \"${NOPE}/x\"}").utf8) },
                   expected: "gates.yml:6:38: variable ${NOPE} is not set"),
        BrokenFile(label: "100,000 nested brackets", bytes: { Array(("gates: " + String(repeating: "[", count: 100_000)).utf8) },
                   expected: "gates.yml:1:71: collections nest deeper than 64 levels"),
        BrokenFile(label: "alias bomb", bytes: {
            var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
            for i in 1...9 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]") }
            return Array(lines.joined(separator: "\n").utf8)
        }, expected: "gates.yml:6:15: alias *a4 expands to 66430 nodes (its anchor &a4 is at line 5), taking the document past 200000 nodes; is it an alias bomb?"),
        BrokenFile(label: "duplicate keys", bytes: { Array("gates: {}\ngates: {}\n".utf8) },
                   expected: "gates.yml:2:1: duplicate key \"gates\" (first defined at line 1)"),
        BrokenFile(label: "invalid UTF-8", bytes: { Array("gates:\n  x: ".utf8) + [0xFF, 0xFE, 0x41] },
                   expected: "gates.yml:2:6: YAML syntax: invalid leading UTF-8 octet"),
        BrokenFile(label: "binary garbage", bytes: { (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) } },
                   expected: "gates.yml:"),
        BrokenFile(label: "a 50 MB file", bytes: { Array(repeating: UInt8(ascii: "#"), count: 50 << 20) },
                   expected: "gates.yml: file is 52428800 bytes, larger than the 4194304-byte limit for a gate file"),
        BrokenFile(label: "an unknown tag", bytes: { Array("gates: !!python/object:os.system {}\n".utf8) },
                   expected: "gates.yml:1:8: unknown tag !!python/object:os.system"),
    ]

    @Test("a broken gate file: exit 2, one line with its place, reports still written, bounded time and memory",
          arguments: brokenFiles)
    func brokenGateFile(_ broken: BrokenFile) throws {
        let folder = try TemporaryFolder()
        try folder.write("gates.yml", broken.bytes())
        let result = try Binary.run(["run", "--config", "gates.yml"], in: folder, timeout: 30)
        #expect(result.reason == .exit, "\(broken.label): the process crashed")
        #expect(result.status == 2, "\(broken.label): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(broken.label): \(result.stderr)")
        #expect(result.stderr.contains(broken.expected), "\(broken.label): \(result.stderr)")
        #expect(result.seconds < 10, "\(broken.label) took \(result.seconds) s")
        // The same run again, its own peak memory measured.
        if let measured = try Binary.runMeasured(["run", "--config", "gates.yml"], in: folder, timeout: 30) {
            #expect(measured.result.status == 2)
            #expect(measured.peakKiB < 300_000, "\(broken.label): peak memory \(measured.peakKiB) KiB")
        }
        #expect(folder.read("reports/junit.xml").contains("<error message=\"gates.yml"), "\(broken.label): JUnit lacks the error")
    }

    @Test("explain, list and lint work from an empty folder with the compiled-in pack, and look into a project when told")
    func builtInPackAnywhere() throws {
        let folder = try TemporaryFolder()
        let explain = try Binary.run(["explain", "db_health"], in: folder)
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.hasPrefix("P0 CRITICAL · db_health: Database Health Failure"))
        #expect(explain.stdout.contains("Defined at: gates/nestsync.yml (built in):"))
        let list = try Binary.run(["list"], in: folder)
        #expect(list.status == 0 && list.stdout.contains("P2 error_rate_trends"), "\(list.stdout)")
        #expect(try Binary.run(["lint"], in: folder).status == 0)
        let railway = Paths.packageRoot.appendingPathComponent("examples/nestsync-railway").path
        let looked = try Binary.run(["explain", "data_residency_compliance", "--project-root", railway], in: folder)
        #expect(looked.stdout.contains("✓ data region declared canadian: DATA_REGION = ca-central-1 at backend/railway.toml:11"), "\(looked.stdout)")
        let listed = try Binary.run(["list", "--project-root", railway], in: folder)
        #expect(listed.stdout.contains("✓ gotrue==2.5.4 at backend/requirements/base.txt:8"), "\(listed.stdout)")
        #expect(try Binary.run(["lint", "--project-root", railway, "--target", "staging"], in: folder,
                               environment: ["DATABASE_URL": "postgresql://x@h/d", "SUPABASE_URL": "https://x", "SUPABASE_ANON_KEY": "k",
                                             "SUPABASE_JWT_SECRET": "s", "SMOKE_PASSWORD": "p"]).status == 0)
    }

    @Test("usage errors exit 2 with one line")
    func usageErrors() throws {
        let folder = try TemporaryFolder()
        let unknownFlag = try Binary.run(["run", "--no-such-flag"], in: folder)
        #expect(unknownFlag.status == 2)
        #expect(unknownFlag.stderr.hasPrefix("Unknown option '--no-such-flag'"))
        #expect(try Binary.run(["run", "--target", "prod"], in: folder).status == 2)
        let missing = try Binary.run(["run", "--config", "missing.yml"], in: folder)
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("error: missing.yml: cannot read: no such file"), "\(missing.stderr)")
        // Without --config and without gates/nestsync.yml, the compiled-in pack runs: an empty
        // project has nothing it must have, so every check is skipped and nothing fails.
        let builtIn = try Binary.run(["run", "--history", "none"], in: folder)
        #expect(builtIn.status == 0, "\(builtIn.stdout)\(builtIn.stderr)")
        #expect(folder.read("reports/report.json").contains("\"defined_at\": \"gates/nestsync.yml (built in):"))
        #expect(try Binary.run(["run", "--only", "nope", "--config", "g.yml"], in: folder).status == 2)
    }

    @Test("lint lists every error, and passes a good file without running anything")
    func lint() throws {
        let folder = try TemporaryFolder(files: [
            "bad.yml": gateFile(checks: "      - {name: a, kind: nope}\n      - {name: b, kind: env, variable: B, colour: red}"),
            "good.yml": gateFile(checks: "      - {name: f, kind: file, path: /dev/null/not-there}"),
        ])
        let bad = try Binary.run(["lint", "--config", "bad.yml"], in: folder)
        #expect(bad.status == 2)
        #expect(bad.stderr.split(separator: "\n").count == 2)
        let good = try Binary.run(["lint", "--config", "good.yml"], in: folder)
        #expect(good.status == 0)
        #expect(!FileManager.default.fileExists(atPath: folder.path("reports")))
    }

    @Test("explain shows a gate's runbook and a kind's examples")
    func explain() throws {
        let folder = try TemporaryFolder()
        try Binary.copyExample(into: folder)
        let gate = try Binary.run(["explain", "auth_health"], in: folder)
        #expect(gate.status == 0)
        #expect(gate.stdout.contains("Immediate actions:\n  1. Check the gotrue SDK version"))
        let kind = try Binary.run(["explain", "requirements_pin"], in: folder)
        #expect(kind.stdout.contains("### `requirements_pin`"))
        let unknown = try Binary.run(["explain", "auth"], in: folder)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("did you mean 'auth_health'?"))
    }

    @Test("secret values never reach stdout, stderr or any report")
    func secretsStayHidden() throws {
        let secrets = ["SUPABASE_JWT_SECRET": "jwt-secret-4c1d", "SMOKE_PASSWORD": "Shazam11#",
                       "SUPABASE_ANON_KEY": "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJl",
                       "DECLARED": "declared-value-77", "DATABASE_URL": "postgresql://app:pg-pass-99@db:5432/nestsync"]
        let checks = """
              - {name: jwt, kind: env, variable: SUPABASE_JWT_SECRET, equals: other}
              - {name: smoke, kind: env, variable: SMOKE_PASSWORD, matches: "x+"}
              - {name: anon, kind: env, variable: SUPABASE_ANON_KEY, one_of: [a]}
              - {name: declared, kind: env, variable: DECLARED, equals: nope}
              - {name: db, kind: env, variable: DATABASE_URL, matches: "mysql:.*"}
              - {name: path, kind: file, path: "${SMOKE_PASSWORD}/${DECLARED}.txt"}
        """
        let folder = try TemporaryFolder(files: ["gates.yml": "secrets: [DECLARED]\n" + gateFile(checks: checks),
                                                 "vars.env": "DECLARED=declared-value-77\n"])
        var environment = secrets
        environment.removeValue(forKey: "DECLARED")
        environment["GITHUB_ACTIONS"] = "true"
        environment["GITHUB_STEP_SUMMARY"] = folder.path("step-summary.md")
        let result = try Binary.run(["run", "--config", "gates.yml", "--env-file", "vars.env"], in: folder, environment: environment)
        #expect(result.status == 1)
        let outputs = [result.stdout, result.stderr, folder.read("reports/junit.xml"), folder.read("reports/report.json"),
                       folder.read("reports/summary.md"), folder.read("step-summary.md")]
        #expect(outputs[2].contains("[REDACTED]"), "the secrets were not in the messages at all: the test proves nothing")
        for (name, value) in secrets {
            for (index, output) in outputs.enumerated() {
                #expect(!output.contains(value), "\(name)'s value appears in output \(index)")
                #expect(!output.contains(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!), "\(name) (encoded) in \(index)")
            }
        }
        let broken = try TemporaryFolder(files: ["gates.yml": gateFile(checks: "      - {name: a, kind: env, variable: A, equal: \"Shazam11#\"}")])
        let configError = try Binary.run(["run", "--config", "gates.yml"], in: broken, environment: secrets)
        #expect(configError.status == 2)
        #expect(!configError.stderr.contains("Shazam11#"))
    }

    @Test("secret values the project's own files hold (a committed .env.production, a railway.toml with an unquoted secret) never reach an output; others are shown")
    func fileSecretsStayHidden() throws {
        let checks = """
              - {name: shape, kind: config, file: .env.production, key: SUPABASE_JWT_SECRET, matches: "^[A-Za-z0-9]{40,}$"}
              - {name: anon, kind: config, file: .env.production, key: SUPABASE_ANON_KEY, equals: other}
              - {name: region, kind: config, file: .env.production, key: DATA_REGION, equals: canada-central}
              - {name: railway, kind: config, file: railway.toml, key: env.SERVICE_ROLE_KEY}
        """
        let folder = try TemporaryFolder(files: [
            "gates.yml": gateFile(checks: checks),
            "project/.env.production": "SUPABASE_JWT_SECRET=file-jwt-secret-5e6f\nSUPABASE_ANON_KEY=file-anon-key-7a8b\nDATA_REGION=us-east-1\n",
            "project/railway.toml": "[env]\nSERVICE_ROLE_KEY = service-role-9c0d\n",
        ])
        let result = try Binary.run(["run", "--config", "gates.yml", "--project-root", "project"], in: folder)
        #expect(result.status == 1)
        let outputs = [result.stdout, result.stderr, folder.read("reports/junit.xml"), folder.read("reports/report.json"),
                       folder.read("reports/summary.md"), folder.read("reports/index.html")]
        #expect(result.stdout.contains("SUPABASE_JWT_SECRET = [REDACTED] (20 characters) at .env.production:1"), "\(result.stdout)")
        #expect(result.stdout.contains("the value of SERVICE_ROLE_KEY is not a TOML value"), "\(result.stdout)")
        #expect(result.stdout.contains("DATA_REGION = us-east-1"), "a value that is no secret is shown: \(result.stdout)")
        for secret in ["file-jwt-secret-5e6f", "file-anon-key-7a8b", "service-role-9c0d"] {
            for (index, output) in outputs.enumerated() { #expect(!output.contains(secret), "\(secret) appears in output \(index)") }
        }
    }

    @Test("a check past its timeout errors, and --deadline bounds the run")
    func timeoutAndDeadline() throws {
        let folder = try TemporaryFolder(files: [
            "gates.yml": gateFile(checks: "      - {name: blocked read, kind: file, path: fifo, contains: x, timeout: 500ms}", severity: "P0"),
            "deadline.yml": gateFile(checks: "      - {name: blocked read, kind: file, path: fifo, contains: x}", severity: "P0"),
        ])
        #expect(mkfifo(folder.path("fifo"), 0o600) == 0)
        let timedOut = try Binary.run(["run", "--config", "gates.yml", "--project-root", "."], in: folder, timeout: 20)
        #expect(timedOut.status == 1)
        #expect(timedOut.stdout.contains("blocked read: timed out after 0.5 s"))
        let deadline = try Binary.run(["run", "--config", "deadline.yml", "--deadline", "1"], in: folder, timeout: 20)
        #expect(deadline.status == 1)
        #expect(deadline.seconds < 10)
        #expect(folder.read("reports/junit.xml").contains("not finished: the run&apos;s deadline of 1 s was reached")
                || folder.read("reports/junit.xml").contains("not finished: the run's deadline of 1 s was reached"))
    }

    @Test("SIGTERM and SIGINT still write the reports of what finished, and exit non-zero", arguments: [SIGTERM, SIGINT])
    func signals(_ signal: Int32) throws {
        let folder = try TemporaryFolder(files: [
            "gates.yml": gateFile(checks: "      - {name: quick, kind: env, variable: PATH}\n      - {name: blocked read, kind: file, path: fifo, contains: x}"),
        ])
        #expect(mkfifo(folder.path("fifo"), 0o600) == 0)
        let result = try Binary.run(["run", "--config", "gates.yml"], in: folder, timeout: 20) { process in
            Thread.sleep(forTimeInterval: 1)
            kill(process.processIdentifier, signal)
        }
        let name = signal == SIGTERM ? "SIGTERM" : "SIGINT"
        #expect(result.reason == .exit)
        #expect(result.status == (signal == SIGTERM ? 143 : 130))
        let report = try JSONReporter.decode(Array(folder.read("reports/report.json").utf8))
        #expect(report.stoppedEarly == "interrupted by \(name)")
        #expect(report.gates[0].checks.map(\.outcome) == [.passed, .errored])
    }

    @Test("a signal while the history waits for another process's lock ends the run within 1 s; the reports are written, the append skipped")
    func signalDuringLockedHistory() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": gateFile(checks: "      - {name: quick, kind: env, variable: PATH}")])
        // The history exists, and another process holds its write lock for 30 s.
        #expect(try Binary.run(["run", "--config", "gates.yml"], in: folder).status == 0)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            time.sleep(30)
            """, folder.path("reports/history.sqlite")]
        let locked = Pipe()
        holder.standardOutput = locked
        try holder.run()
        defer { holder.terminate() }
        _ = locked.fileHandleForReading.availableData
        var signalled = Date()
        let run = try Binary.run(["run", "--config", "gates.yml"], in: folder, timeout: 30) { process in
            Thread.sleep(forTimeInterval: 1.5)
            signalled = Date()
            kill(process.processIdentifier, SIGTERM)
        }
        let ended = signalled.addingTimeInterval(run.seconds - 1.5)
        #expect(run.status == 143)
        #expect(ended.timeIntervalSince(signalled) < 1, "took \(ended.timeIntervalSince(signalled)) s after the signal")
        #expect(run.stderr.contains("note: the run history was not appended: SIGTERM came while it waited for another run's lock"), "\(run.stderr)")
        #expect(folder.read("reports/junit.xml").contains("quick"))
    }

    @Test("run's plain arguments read without ArgumentParser: the same options as run --help, the same settings, and anything else goes to ArgumentParser")
    func plainRunArguments() throws {
        let help = try Binary.run(["run", "--help"], in: try TemporaryFolder())
        let listed = Set(help.stdout.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("--") else { return nil }
            return String(trimmed.dropFirst(2).prefix { $0 != " " && $0 != "," })
        }).subtracting(["help", "version"])
        #expect(listed == Set(RunArguments.options.keys), "run --help lists \(listed.sorted())")
        let folder = try TemporaryFolder()
        let settings = try #require(RunArguments.settings(["run", "--config", "a.yml", "--config=b.yml", "--target", "staging", "--fail-on", "p0",
                                                           "--only", "a, b", "--jobs", "2", "--deadline", "1.5", "--history", "none",
                                                           "--project-root", folder.url.path], tool: "t"))
        #expect(settings.configs == ["a.yml", "b.yml"] && settings.target == .staging && settings.failOn == .p0)
        #expect(settings.selection.includes("a") && !settings.selection.includes("c") && settings.jobs == 2 && settings.deadline == 1.5)
        for unusual in [["--help"], ["run", "-h"], ["--jobs", "0"], ["--target", "prod"], ["--junit", "a", "--junit", "b"], ["lint"],
                        ["--project-root", "/nonexistent"], ["--frobnicate", "x"], ["--json"]] {
            #expect(RunArguments.settings(unusual, tool: "t") == nil, "\(unusual) goes to ArgumentParser")
        }
    }

    @Test("colours on a terminal, never with NO_COLOR",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a pseudo-terminal"))
    func colours() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": gateFile(checks: "      - {name: region, kind: env, variable: DATA_REGION}")])
        let command = "\(Binary.path) run --config gates.yml"
        let tty = try ProcessRunner.run("/usr/bin/script", ["-qec", command, "/dev/null"], environment: Binary.environment(),
                                        directory: folder.url)
        #expect(tty.stdout.contains("\u{1B}[31m"))
        let noColor = try ProcessRunner.run("/usr/bin/script", ["-qec", command, "/dev/null"],
                                            environment: Binary.environment(["NO_COLOR": "1"]), directory: folder.url)
        #expect(noColor.stdout.contains("FAILED"))
        #expect(!noColor.stdout.contains("\u{1B}[3"))
    }
}
