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

    private func yamlDocument(_ name: String) throws -> String {
        let source = try text(name)
        let document = try YAMLReader.read(Array(source.utf8))
        guard case .mapping? = document else {
            Issue.record("\(name) is not a mapping")
            return source
        }
        return source
    }

    /// The template without its comment lines: what a CI would actually run.
    private func active(_ source: String) -> String {
        source.split(separator: "\n").filter { !$0.drop { $0 == " " }.hasPrefix("#") }.joined(separator: "\n")
    }

    @Test("the GitHub Actions template runs the Action pinned by a commit SHA, with SARIF, the history kept whatever happened, and the secret history URL")
    func github() throws {
        let source = active(try yamlDocument("github-actions.yml"))
        #expect(source.contains(try Regex("uses: OWNER/quality-gates@[0-9a-f]{40}")), "pinned by SHA")
        #expect(source.contains("security-events: write"))
        #expect(source.contains("sarif: reports/quality-gates.sarif"))
        #expect(source.contains("junit: reports/junit.xml"))
        #expect(source.contains("path: reports/history.sqlite"))
        #expect(source.contains("if: always()"))
        #expect(source.contains("history: ${{ secrets.QUALITY_GATES_HISTORY_URL || 'reports/history.sqlite' }}"))
    }

    @Test("the GitLab template downloads the release and checks its sha256, hands GitLab JUnit and Code Quality always, and names every file the tool writes")
    func gitlab() throws {
        let source = active(try yamlDocument("gitlab-ci.yml"))
        for file in Self.written { #expect(source.contains(file), "gitlab-ci.yml does not name \(file)") }
        #expect(source.contains("sha256sum -c"))
        #expect(source.contains("when: always"))
        #expect(source.contains("codequality: reports/gl-code-quality.json") && source.contains("--gitlab-codequality reports/gl-code-quality.json"))
        #expect(source.contains("junit: reports/junit.xml"))
        #expect(source.contains("--history \"${QUALITY_GATES_HISTORY_URL:-reports/history.sqlite}\""))
    }

    @Test("the Jenkinsfile records JUnit in post/always, names every file, and its braces balance")
    func jenkins() throws {
        let source = try text("Jenkinsfile")
        #expect(source.contains("sha256sum -c"))
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
