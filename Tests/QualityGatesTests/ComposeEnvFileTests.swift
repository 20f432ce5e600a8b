import Foundation
@testable import QualityGates
import TestSupport
import Testing

/// The dotenv files compose services name in `env_file:`, read as their environment, never from
/// outside the project.
struct ComposeEnvFileTests {
    private func region(in folder: TemporaryFolder) throws -> CheckResult {
        let text = gateFile(checks: """
              - name: region
                kind: config
                file: "**/docker-compose*.yml"
                key: services.*.environment.DATA_REGION
                one_of: [canada-central]
                all: true
        """)
        let configured = try #require(try loadGates(text, target: .build).get().gates.first?.checks.first)
        return configured.check.run(CheckContext(projectRoot: folder.url, environment: Environment([:]), target: .build, timeout: 10))
    }

    @Test("a service's env files are its environment, after environment:, with Windows line ends too; a missing one is passed over")
    func read() throws {
        let folder = try TemporaryFolder(files: [
            "docker/docker-compose.yml": "services:\n  api:\n    env_file:\n      - ../api/.env.docker\n      - path: ../api/.env\n        required: false\n    environment:\n      DATA_REGION: canada-central\n",
            "api/.env.docker": "SUPABASE_URL=https://x.supabase.co\r\nDATA_REGION=us-east-1\r\n",
        ])
        let result = try region(in: folder)
        #expect(result.outcome == .failed)
        #expect(result.message == "DATA_REGION = us-east-1 at api/.env.docker:2, expected one of [canada-central]")
    }

    @Test("an env file outside the project, by .. or through a link, is not read")
    func staysInside() throws {
        let outside = try TemporaryFolder(files: ["secret.env": "DATA_REGION=us-east-1\n"])
        let folder = try TemporaryFolder(files: [
            "docker-compose.yml": "services:\n  api:\n    env_file: [../\(outside.url.lastPathComponent)/secret.env, linked.env]\n    environment:\n      DATA_REGION: canada-central\n",
        ])
        try FileManager.default.createSymbolicLink(atPath: folder.path("linked.env"), withDestinationPath: outside.path("secret.env"))
        let result = try region(in: folder)
        #expect(result.outcome == .passed, "\(result.message)")
        #expect(!result.message.contains("secret") && !result.message.contains("linked"))
    }
}
