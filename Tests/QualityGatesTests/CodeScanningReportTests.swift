import Foundation
@testable import QualityGates
import TestSupport
import Testing

/// SARIF for GitHub code scanning and GitLab's Code Quality report, from real runs of the binary:
/// a file finding (a loosened pin), a runtime problem (an endpoint that refuses connections) and a
/// warning (a `severity: warn` check), plus a broken gate file.
@Suite(.serialized)
struct CodeScanningReportTests {
    static let python = ProcessInfo.processInfo.environment["QG_TEST_PYTHON"]

    /// A gate file beside the pack, with a runtime check and a warning; the endpoint's port is one
    /// nothing listens on.
    static let extra = """
        gates:
          status_page:
            title: Status page
            severity: P2
            runbook: ["Open the status page service's logs"]
            checks:
              - name: status page answers
                kind: http
                url: http://127.0.0.1:\(StrawberryServer.freePort())/health
                targets: [build]
                timeout: 5s
              - name: changelog kept
                kind: file
                path: CHANGELOG.md
                severity: warn

        """

    /// Runs the example with a loosened gotrue pin and the extra gate file; the SARIF and GitLab
    /// reports' JSON.
    static func run(in folder: TemporaryFolder) throws -> (sarif: [String: Any], gitlab: [[String: Any]], status: Int32) {
        let result = try Binary.run(["run", "--config", "gates/nestsync.yml", "--config", "extra.yml", "--project-root", "project",
                                     "--target", "build", "--sarif", "reports/results.sarif", "--gitlab-codequality", "reports/gl-code-quality.json"],
                                    in: folder)
        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(folder.read("reports/results.sarif").utf8)) as? [String: Any],
                                 "\(result.stdout)\(result.stderr)")
        let gitlab = try #require(try JSONSerialization.jsonObject(with: Data(folder.read("reports/gl-code-quality.json").utf8)) as? [[String: Any]])
        return (sarif, gitlab, result.status)
    }

    static func plantedFolder() throws -> TemporaryFolder {
        let folder = try TemporaryFolder(files: ["extra.yml": extra])
        try Binary.copyExample(into: folder)
        let requirements = folder.path("project/NestSync-backend/requirements.txt")
        let text = try String(contentsOfFile: requirements, encoding: .utf8).replacingOccurrences(of: "gotrue==2.5.4", with: "gotrue>=2.5")
        try text.write(toFile: requirements, atomically: true, encoding: .utf8)
        return folder
    }

    static func results(_ sarif: [String: Any]) -> [[String: Any]] {
        ((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
    }

    static func place(_ result: [String: Any]) -> (uri: String, line: Int)? {
        guard let location = (result["locations"] as? [[String: Any]])?.first,
              let physical = location["physicalLocation"] as? [String: Any],
              let uri = (physical["artifactLocation"] as? [String: Any])?["uri"] as? String,
              let line = (physical["region"] as? [String: Any])?["startLine"] as? Int else { return nil }
        return (uri, line)
    }

    @Test("SARIF: schema-valid; every result located, file findings at their line, runtime ones at the check's line in the gate file; levels from the outcome; fingerprints the same over two runs")
    func sarif() throws {
        let folder = try Self.plantedFolder()
        let first = try Self.run(in: folder)
        #expect(first.status == 1)
        let results = Self.results(first.sarif)
        #expect(results.count >= 3, "\(results)")
        for result in results {
            #expect(Self.place(result) != nil, "every result has a file and a line: \(result)")
        }
        let pin = try #require(results.first { $0["ruleId"] as? String == "auth_health/gotrue pinned exactly" })
        #expect(Self.place(pin)?.uri == "project/NestSync-backend/requirements.txt")
        #expect(Self.place(pin)?.line == 19)
        #expect(pin["level"] as? String == "error")
        let refused = try #require(results.first { $0["ruleId"] as? String == "status_page/status page answers" })
        #expect(Self.place(refused)?.uri == "extra.yml")
        #expect(Self.place(refused)?.line == 7, "the check's own line in the gate file")
        #expect(refused["level"] as? String == "error", "an errored check is an error")
        let changelog = try #require(results.first { $0["ruleId"] as? String == "status_page/changelog kept" })
        #expect(changelog["level"] as? String == "warning")
        // Every result's rule is declared, with the gate's runbook as help.
        let driver = try #require(((first.sarif["runs"] as? [[String: Any]])?.first?["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        for result in results {
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == result["ruleId"] as? String)
        }
        let statusRule = try #require(rules.first { $0["id"] as? String == "status_page/status page answers" })
        #expect(((statusRule["help"] as? [String: Any])?["text"] as? String)?.contains("status page service's logs") == true)
        // The same problems in the next run: the same fingerprints.
        let second = try Self.run(in: folder)
        func fingerprints(_ sarif: [String: Any]) -> [String] {
            Self.results(sarif).compactMap { ($0["partialFingerprints"] as? [String: String])?["qualityGates/v1"] }
        }
        #expect(fingerprints(first.sarif).count == results.count)
        #expect(fingerprints(first.sarif) == fingerprints(second.sarif))
        #expect(Set(fingerprints(first.sarif)).count == results.count)
        if let python = Self.python {
            let check = try ProcessRunner.run(python, [Paths.fixtures.appendingPathComponent("validate_sarif.py").path, folder.path("reports/results.sarif")])
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        }
    }

    @Test("GitLab Code Quality: the fields GitLab reads, its severities, unique fingerprints; the same over two runs")
    func gitlab() throws {
        let folder = try Self.plantedFolder()
        let first = try Self.run(in: folder)
        #expect(first.gitlab.count >= 3)
        let allowed: Set<String> = ["info", "minor", "major", "critical", "blocker"]
        for entry in first.gitlab {
            #expect((entry["description"] as? String)?.isEmpty == false)
            #expect((entry["check_name"] as? String)?.isEmpty == false)
            #expect(allowed.contains(entry["severity"] as? String ?? ""), "\(entry)")
            let location = try #require(entry["location"] as? [String: Any])
            #expect((location["path"] as? String)?.hasPrefix("/") == false)
            #expect(((location["lines"] as? [String: Any])?["begin"] as? Int).map { $0 >= 1 } == true)
        }
        let fingerprints = first.gitlab.compactMap { $0["fingerprint"] as? String }
        #expect(Set(fingerprints).count == first.gitlab.count)
        let pin = try #require(first.gitlab.first { $0["check_name"] as? String == "auth_health/gotrue pinned exactly" })
        #expect(pin["severity"] as? String == "blocker", "auth_health is P0")
        #expect((pin["location"] as? [String: Any])?["path"] as? String == "project/NestSync-backend/requirements.txt")
        #expect(first.gitlab.first { $0["check_name"] as? String == "status_page/status page answers" }?["severity"] as? String == "major",
                "P2 is major")
        #expect(first.gitlab.first { $0["check_name"] as? String == "status_page/changelog kept" }?["severity"] as? String == "info")
        let second = try Self.run(in: folder)
        #expect(second.gitlab.compactMap { $0["fingerprint"] as? String } == fingerprints)
    }

    @Test("a gate file that does not load is one located result of the configuration rule, in both formats")
    func brokenGateFile() throws {
        let folder = try TemporaryFolder(files: ["gates.yml": "gates:\n  g:\n    title: t\n    severity: P1\n    checks:\n      - {name: c, kind: nope}\n"])
        let result = try Binary.run(["run", "--config", "gates.yml", "--sarif", "r.sarif", "--gitlab-codequality", "gl.json"], in: folder)
        #expect(result.status == 2)
        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(folder.read("r.sarif").utf8)) as? [String: Any])
        let results = Self.results(sarif)
        #expect(results.count == 1)
        #expect(results.first?["ruleId"] as? String == "configuration")
        #expect(results.first.flatMap(Self.place)?.uri == "gates.yml")
        #expect(results.first.flatMap(Self.place)?.line == 6)
        let gitlab = try #require(try JSONSerialization.jsonObject(with: Data(folder.read("gl.json").utf8)) as? [[String: Any]])
        #expect(gitlab.count == 1)
        #expect(gitlab.first?["severity"] as? String == "blocker")
    }

    @Test("places: findings joined to the project's folder, gate files made relative to the repository, numbers left out of fingerprints")
    func places() {
        let paths = RepositoryPaths(projectPrefix: "app", workingPrefix: "", root: "/repo")
        #expect(paths.projectFile("./NestSync-backend/requirements.txt") == "app/NestSync-backend/requirements.txt")
        #expect(paths.gateFile("/repo/gates/x.yml") == "gates/x.yml")
        #expect(paths.gateFile("/elsewhere/x.yml") == "/elsewhere/x.yml")
        #expect(LocatedProblems.normalized("p95 2507 ms (≥ 2000 after 1 of 10 samples)") == "p# # ms (≥ # after # of # samples)")
        #expect(LocatedProblems.parsePlace("gates.yml:12:7: unknown key")! == ("gates.yml", 12, 7))
        #expect(LocatedProblems.parsePlace("no place here") == nil)
        #expect(SARIFReporter.uri("a dir/ü.yml") == "a%20dir/%C3%BC.yml")
    }
}
