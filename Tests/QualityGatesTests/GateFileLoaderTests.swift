@testable import QualityGates
import TestSupport
import Testing

struct GateFileLoaderTests {
    private let envCheck = """
          - name: region
            kind: env
            variable: DATA_REGION
    """

    @Test("loads a gate with defaults from its severity")
    func loadsDefaults() throws {
        let configuration = try loadGates(gateFile(checks: envCheck, severity: "P0")).get()
        let gate = try #require(configuration.gates.first)
        #expect(gate.responseTime == "< 5 minutes")
        #expect(gate.checks.first?.timeout == 30)
        #expect(gate.checks.first?.targets == [.build, .staging])
        #expect(gate.checks.first?.location == SourceLocation(file: "gates.yml", line: 6, column: 9))
    }

    @Test("an unknown key is an error at its place, with a did-you-mean")
    func unknownKey() {
        let errors = loadErrors(gateFile(checks: envCheck + "\n        one_off: [x]"))
        #expect(errors.count == 1)
        #expect(errors.first?.location == SourceLocation(file: "gates.yml", line: 9, column: 9))
        guard case .unknownKey("one_off", let suggestion, _) = errors.first?.problem else { Issue.record("\(errors)"); return }
        #expect(suggestion == "one_of")
    }

    @Test("unknown keys at the top and in a gate are errors too")
    func unknownTopLevelAndGateKeys() {
        let text = "gatse: {}\n"
        #expect(loadErrors(text).map(\.description).contains("gates.yml:1:1: unknown key 'gatse'; did you mean 'gates'? (allowed here: version, secrets, alerts, gates)"))
        let gate = gateFile(checks: envCheck).replacingOccurrences(of: "    title: A gate", with: "    title: A gate\n    sevrity: P1")
        #expect(loadErrors(gate).contains { $0.description.contains("unknown key 'sevrity'; did you mean 'severity'?") })
    }

    @Test("a wrong type names what was expected and what was found")
    func wrongType() {
        let errors = loadErrors(gateFile(checks: envCheck + "\n        one_of: {a: 1}"))
        #expect(errors.map(\.description) == ["gates.yml:9:17: 'one_of' must be a list of strings, found a mapping"])
    }

    @Test("an unknown kind suggests the closest")
    func unknownKind() {
        let errors = loadErrors(gateFile(checks: "      - name: pin\n        kind: requirement_pin"))
        #expect(errors.first?.problem == .unknownKind("requirement_pin", suggestion: "requirements_pin"))
        #expect(errors.first?.location == SourceLocation(file: "gates.yml", line: 7, column: 15))
    }

    @Test("duplicate gate ids across files name both places")
    func duplicateGates() {
        let text = gateFile(checks: envCheck)
        let result = GateFileLoader.load(sources: [(name: "a.yml", bytes: Array(text.utf8)), (name: "b.yml", bytes: Array(text.utf8))],
                                         options: LoadOptions(environment: Environment([:]), target: .build))
        guard case .failure(let errors) = result else { Issue.record("loaded"); return }
        #expect(errors.errors.map(\.description) == ["b.yml:2:3: duplicate gate id 'g' (first defined at a.yml:2:3)"])
    }

    @Test("duplicate check names in a gate are refused")
    func duplicateChecks() {
        let errors = loadErrors(gateFile(checks: envCheck + "\n" + envCheck))
        #expect(errors.first?.problem == .duplicateCheck("region", gate: "g", first: SourceLocation(file: "gates.yml", line: 6, column: 9)))
    }

    @Test("needs naming a missing check is refused with a suggestion")
    func missingNeed() {
        let errors = loadErrors(gateFile(checks: envCheck + "\n        needs: [regoin]"))
        #expect(errors.first?.problem == .unknownNeed("regoin", suggestion: "region"))
        #expect(errors.first?.location == SourceLocation(file: "gates.yml", line: 9, column: 17))
    }

    @Test("needs that form a cycle are refused")
    func needsCycle() {
        let checks = """
              - {name: a, kind: env, variable: A, needs: [b]}
              - {name: b, kind: env, variable: B, needs: [c]}
              - {name: c, kind: env, variable: C, needs: [a]}
        """
        #expect(loadErrors(gateFile(checks: checks)).map(\.problem) == [.needsCycle(["g/a", "g/b", "g/c", "g/a"])])
    }

    @Test("needs may name a check of another gate as gate/name")
    func crossGateNeeds() throws {
        let text = gateFile(checks: envCheck) + "\n  h:\n    title: H\n    severity: P2\n    checks:\n      - {name: x, kind: env, variable: X, needs: [g/region]}\n"
        let configuration = try loadGates(text).get()
        #expect(configuration.gates.last?.checks.first?.needs == [CheckReference(gate: "g", check: "region")])
    }

    @Test("an unset variable is an error naming file, line, column and variable")
    func unsetVariable() {
        let checks = "      - name: pin\n        kind: file\n        path: ${PROJECT_DIR}/app.py"
        let errors = loadErrors(gateFile(checks: checks))
        #expect(errors.map(\.description) == ["gates.yml:8:15: variable ${PROJECT_DIR} is not set; set it, add it to --env-file, or write ${PROJECT_DIR:-default}"])
    }

    @Test("variables expand, with defaults and the $${ escape")
    func interpolation() throws {
        let checks = "      - name: pin\n        kind: file\n        path: ${DIR:-backend}/${NAME}/$${literal}"
        let configuration = try loadGates(gateFile(checks: checks), environment: ["NAME": "app.py"]).get()
        let check = try #require(configuration.gates.first?.checks.first?.check as? FileCheck)
        #expect(check.path.written == "backend/app.py/${literal}")
    }

    @Test("checks for another target, or an unselected gate, need no variables")
    func lenientWhenNotRunning() {
        let staging = "      - name: pin\n        kind: file\n        path: ${STAGING_ONLY}\n        targets: [staging]"
        #expect(loadErrors(gateFile(checks: staging)).isEmpty)
        #expect(loadErrors(gateFile(checks: staging), target: .staging).count == 1)
        let result = loadGates(gateFile(checks: staging), target: .staging, selection: GateSelection(skip: ["g"]))
        #expect((try? result.get()) != nil)
    }

    @Test("an invalid regex is found when the file loads")
    func invalidRegex() {
        let errors = loadErrors(gateFile(checks: envCheck + "\n        matches: \"[a-\""))
        guard case .invalidRegex("[a-", _) = errors.first?.problem else { Issue.record("\(errors)"); return }
        #expect(errors.first?.location?.line == 9)
    }

    @Test("every error in a file is reported, not just the first")
    func collectsAllErrors() {
        let checks = """
              - {name: a, kind: nope}
              - {name: b, kind: env, variable: B, colour: red}
              - {name: c, kind: env}
        """
        #expect(loadErrors(gateFile(checks: checks)).count == 3)
    }

    @Test("severity, targets, timeout and retries are validated")
    func commonValues() {
        #expect(loadErrors(gateFile(checks: envCheck, severity: "P7")).first?.message == "invalid 'severity': 'P7' is not one of P0, P1, P2, P3")
        #expect(loadErrors(gateFile(checks: envCheck + "\n        targets: [prod]")).first?.message == "invalid 'targets': 'prod' is not a target (build, staging)")
        #expect(loadErrors(gateFile(checks: envCheck + "\n        timeout: soon")).first?.message.hasPrefix("'timeout' must be a positive duration") == true)
        #expect(loadErrors(gateFile(checks: envCheck + "\n        retries: 1.5")).first?.message == "invalid 'retries': must be a whole number from 0 to 10")
    }

    @Test("timeouts take units")
    func timeoutUnits() throws {
        let configuration = try loadGates(gateFile(checks: envCheck + "\n        timeout: 500ms")).get()
        #expect(configuration.gates.first?.checks.first?.timeout == 0.5)
    }

    @Test("--only and --skip must name gates")
    func selectionNamesGates() {
        let result = loadGates(gateFile(checks: envCheck, gate: "auth_health"), selection: GateSelection(only: ["auth_helth"]))
        guard case .failure(let errors) = result else { Issue.record("loaded"); return }
        #expect(errors.errors.map(\.description) == ["--only names no gate 'auth_helth'; did you mean 'auth_health'?"])
    }

    @Test("YAML problems become configuration errors with a place")
    func yamlErrors() {
        #expect(loadErrors("gates:\n  a: [\n").first?.location?.line == 2, "the last line, not one past the end")
        #expect(loadErrors("").first?.message == "the file is empty; a gate file needs a 'gates' mapping")
        #expect(loadErrors("- just\n- a list\n").first?.message == "'the gate file' must be a mapping, found a list")
    }

    @Test("gates are ordered by severity, then id")
    func ordering() throws {
        let text = """
        gates:
          zeta: {title: Z, severity: P0, checks: [{name: a, kind: env, variable: A}]}
          beta: {title: B, severity: P2, checks: [{name: a, kind: env, variable: A}]}
          alpha: {title: A, severity: P2, checks: [{name: a, kind: env, variable: A}]}
        """
        #expect(try loadGates(text).get().gates.map(\.id) == ["zeta", "alpha", "beta"])
    }

    @Test("the bundled NestSync pack loads for both targets; staging needs the database and Supabase variables")
    func nestsyncPack() {
        let path = Paths.packageRoot.appendingPathComponent("gates/nestsync.yml").path
        let staging = ["DATABASE_URL", "SUPABASE_URL", "SUPABASE_ANON_KEY", "SMOKE_PASSWORD", "SUPABASE_JWT_SECRET"]
        let withDatabase = Environment(Dictionary(uniqueKeysWithValues: staging.map { ($0, "set") }))
        for (target, environment) in [(Target.build, Environment([:])), (.staging, withDatabase)] {
            let result = GateFileLoader.load(paths: [path], options: LoadOptions(environment: environment, target: target))
            if case .failure(let errors) = result { Issue.record("\(target): \(errors.errors.map(\.description))") }
        }
        guard case .failure(let errors) = GateFileLoader.load(paths: [path], options: LoadOptions(environment: Environment([:]), target: .staging)) else {
            Issue.record("staging loaded without DATABASE_URL")
            return
        }
        let unset = Set(errors.errors.compactMap { error -> String? in
            if case .unsetVariable(let name) = error.problem { return name }
            return nil
        })
        // A check reports its first problem only: the gotrue checks stop at ${SUPABASE_URL}.
        #expect(unset == ["DATABASE_URL", "SUPABASE_URL"])
        #expect(unset.isSubset(of: Set(staging)))
        #expect(errors.errors.allSatisfy { if case .unsetVariable = $0.problem { true } else { false } })
    }
}
