import Foundation
@testable import QualityGates
import TestSupport
import Testing

/// `git:REF:PATH` baselines, read from git's own files: a repository built with git, read at
/// branches, annotated tags and commit ids, first from loose objects and refs, then after
/// `git repack` (deltas in a pack, against offsets and names) and `git pack-refs`, each read
/// compared with `git show REF:PATH`.
@Suite(.serialized)
struct GitBaselineTests {
    static let git = ["/usr/bin/git", "/usr/local/bin/git"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @discardableResult
    static func git(_ arguments: [String], in folder: TemporaryFolder) async throws -> String {
        let git = Self.git!, home = folder.path("."), directory = folder.url
        let run = try await offPool { try ProcessRunner.run(git, arguments, environment: [
            "PATH": "/usr/bin:/bin", "HOME": home, "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
        ], directory: directory) }
        #expect(run.status == 0, "git \(arguments.joined(separator: " ")): \(run.stderr)")
        return run.stdout
    }

    /// A schema of some size, so that git's packs store the versions as deltas of each other.
    static func schema(_ version: Int) -> String {
        (0..<80).map { "type T\($0) { id: ID!  name: String  count: Int }" }.joined(separator: "\n")
            + "\ntype Query {\n" + (0..<version).map { "  field\($0): T\($0)\n" }.joined() + "}\n"
    }

    @Test("loose and packed objects and refs read as git reads them, at branches, annotated tags and commit ids",
          .enabled(if: git != nil, "git is installed with the test's apt packages"))
    func looseAndPacked() async throws {
        let folder = try TemporaryFolder()
        try await Self.git(["init", "-q", "-b", "main"], in: folder)
        var commits: [String] = []
        for version in 1...6 {
            try folder.write("api/schema.graphql", Self.schema(version))
            try folder.write("README", "version \(version)\n")
            try await Self.git(["add", "-A"], in: folder)
            try await Self.git(["commit", "-q", "-m", "v\(version)"], in: folder)
            commits.append(try await Self.git(["rev-parse", "HEAD"], in: folder).trimmingCharacters(in: .whitespacesAndNewlines))
            if version == 2 { try await Self.git(["tag", "-a", "v2", "-m", "release 2"], in: folder) }
            if version == 4 { try await Self.git(["branch", "release"], in: folder) }
        }
        let refs = ["main", "HEAD", "v2", "release", "refs/heads/release", commits[0], commits[4]]
        func compareAll(_ stage: String) async throws {
            let repository = try #require(GitObjects(containing: folder.path(".")))
            for ref in refs {
                let expected = try await Self.git(["show", "\(ref):api/schema.graphql"], in: folder)
                let read = try repository.file("api/schema.graphql", at: ref)
                #expect(String(decoding: read, as: UTF8.self) == expected, "\(stage): \(ref)")
            }
            #expect(throws: GitObjects.Failure.self) { try repository.file("api/missing.graphql", at: "main") }
            #expect(throws: GitObjects.Failure.self) { try repository.file("api/schema.graphql", at: "no-such-branch") }
            #expect(throws: GitObjects.Failure.self) { try repository.file("api", at: "main") }
        }
        #expect(FileManager.default.fileExists(atPath: folder.path(".git/objects/\(commits[0].prefix(2))/\(commits[0].dropFirst(2))")))
        try await compareAll("loose")
        try await Self.git(["repack", "-a", "-d", "-f", "--depth=50", "--window=50"], in: folder)
        try await Self.git(["pack-refs", "--all"], in: folder)
        try await Self.git(["prune-packed"], in: folder)
        #expect(!FileManager.default.fileExists(atPath: folder.path(".git/objects/\(commits[0].prefix(2))/\(commits[0].dropFirst(2))")))
        #expect(!FileManager.default.fileExists(atPath: folder.path(".git/refs/heads/release")))
        let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path(".git/objects/pack")).first { $0.hasSuffix(".idx") })
        let verify = try await Self.git(["verify-pack", "-v", folder.path(".git/objects/pack/\(pack)")], in: folder)
        #expect(verify.contains("chain length"), "the pack holds deltas: \(verify.suffix(300))")
        try await compareAll("packed")
    }

    @Test("graphql_diff against git:main:PATH fails on a breaking change of the working copy's schema, and says where it read the baseline",
          .enabled(if: git != nil, "git is installed with the test's apt packages"))
    func baselineFromGit() async throws {
        let folder = try TemporaryFolder()
        try await Self.git(["init", "-q", "-b", "main"], in: folder)
        try folder.write("backend/schema.graphql", "type Query {\n  me: User\n  dashboard(childId: ID!): Int\n}\ntype User { id: ID! }\n")
        try await Self.git(["add", "-A"], in: folder)
        try await Self.git(["commit", "-q", "-m", "deployed"], in: folder)
        try await Self.git(["repack", "-a", "-d"], in: folder)
        try folder.write("backend/schema.graphql", "type Query {\n  me: User\n}\ntype User { id: ID! }\n")
        try folder.write("gates.yml", """
            gates:
              schema:
                title: Schema
                severity: P0
                checks:
                  - {name: compatible, kind: graphql_diff, sdl: backend/schema.graphql, baseline: "git:main:backend/schema.graphql"}
                  - {name: unknown ref, kind: graphql_diff, sdl: backend/schema.graphql, baseline: "git:gone:backend/schema.graphql"}

            """)
        let run = try await offPool { try Binary.run(["run", "--config", "gates.yml", "--history", "none"], in: folder) }
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        // Int is no longer referenced: graphql-core calls that a breaking removal too.
        #expect(run.stdout.contains("2 breaking changes: BREAKING Int: type removed; BREAKING Query.dashboard: field removed in backend/schema.graphql against git:main:backend/schema.graphql"), "\(run.stdout)")
        #expect(run.stdout.contains("git:gone:backend/schema.graphql: no commit, branch or tag 'gone'"), "\(run.stdout)")
    }
}
