import Foundation
@testable import QualityGates
import TestSupport
import Testing

/// HEAD read from the repository's files agrees with `git rev-parse HEAD` in the layouts git makes.
struct GitCommitTests {
    @discardableResult
    private func git(_ arguments: [String], in folder: String) throws -> String {
        let result = try ProcessRunner.run("/usr/bin/git", ["-C", folder] + arguments,
                                           environment: ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory(), "GIT_AUTHOR_NAME": "t",
                                                         "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                                                         "GIT_COMMITTER_EMAIL": "t@example.com"])
        guard result.status == 0 else { throw GitError(message: result.stderr) }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct GitError: Error { let message: String }

    @Test("loose and packed refs, a detached HEAD, a subfolder and a worktree", .enabled(if: FileManager.default.fileExists(atPath: "/usr/bin/git")))
    func layouts() throws {
        let folder = try TemporaryFolder(files: ["repo/src/a.txt": "a"])
        let repo = folder.path("repo")
        try git(["init", "-q", "-b", "main"], in: repo)
        try git(["add", "."], in: repo)
        try git(["commit", "-q", "-m", "one"], in: repo)
        let first = try git(["rev-parse", "HEAD"], in: repo)
        #expect(GitCommit.readHead(from: repo) == first)                 // loose ref
        #expect(GitCommit.readHead(from: repo + "/src") == first)        // from a subfolder
        try git(["pack-refs", "--all"], in: repo)
        #expect(GitCommit.readHead(from: repo) == first)                 // packed-refs only
        try git(["commit", "-q", "--allow-empty", "-m", "two"], in: repo)
        let second = try git(["rev-parse", "HEAD"], in: repo)
        #expect(second != first && GitCommit.readHead(from: repo) == second)
        try git(["worktree", "add", "-q", "--detach", folder.path("tree"), first], in: repo)
        #expect(GitCommit.readHead(from: folder.path("tree")) == first)  // a .git file, a detached HEAD
        try git(["checkout", "-q", "-b", "side"], in: folder.path("tree"))
        try git(["commit", "-q", "--allow-empty", "-m", "three"], in: folder.path("tree"))
        #expect(GitCommit.readHead(from: folder.path("tree")) == (try git(["rev-parse", "HEAD"], in: folder.path("tree"))))
        #expect(GitCommit.readHead(from: folder.path("tree")) != second)
        #expect(GitCommit.readHead(from: "/") == nil)
    }
}
