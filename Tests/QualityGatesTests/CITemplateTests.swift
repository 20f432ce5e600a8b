import Foundation
import TestSupport
import Testing
import YAMLReader

/// The CI templates under ci/ parse and name the files quality-gates writes.
struct CITemplateTests {
    static let folder = Paths.packageRoot.appendingPathComponent("ci")
    static let written = ["reports/junit.xml", "reports/report.json", "reports/summary.md", "reports/history.sqlite"]

    private func text(_ name: String) throws -> String {
        try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
    }

    @Test("the GitHub Actions and GitLab templates are valid YAML, upload JUnit always, and name every file the tool writes",
          arguments: ["github-actions.yml", "gitlab-ci.yml"])
    func yaml(_ name: String) throws {
        let source = try text(name)
        let document = try YAMLReader.read(Array(source.utf8))
        guard case .mapping? = document else {
            Issue.record("\(name) is not a mapping")
            return
        }
        for file in Self.written { #expect(source.contains(file), "\(name) does not name \(file)") }
        #expect(source.contains("if: always()") || source.contains("when: always"))
        #expect(source.contains("--history \"${QUALITY_GATES_HISTORY_URL:-reports/history.sqlite}\""))
    }

    @Test("the Jenkinsfile records JUnit in post/always, names every file, and its braces balance")
    func jenkins() throws {
        let source = try text("Jenkinsfile")
        for file in Self.written { #expect(source.contains(file), "Jenkinsfile does not name \(file)") }
        #expect(source.contains("always {") && source.contains("junit testResults: 'reports/junit.xml'"))
        #expect(source.contains("--history \"${QUALITY_GATES_HISTORY_URL:-reports/history.sqlite}\""))
        var depth = 0
        for character in source {
            if character == "{" { depth += 1 }
            if character == "}" { depth -= 1 }
            #expect(depth >= 0)
        }
        #expect(depth == 0)
    }
}
