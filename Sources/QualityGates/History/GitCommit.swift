import Glibc

/// The commit a run checks: from the CI's variables, else `git rev-parse HEAD` in the project.
public enum GitCommit {
    static let variables = ["GITHUB_SHA", "CI_COMMIT_SHA", "GIT_COMMIT", "BUILD_VCS_NUMBER"]

    public static func current(projectRoot: String) -> String? {
        for name in variables {
            if let value = getenv(name).map({ String(cString: $0) }), !value.isEmpty { return value }
        }
        for git in ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"] where FileSystem.kind(of: git) == .file {
            guard let outcome = try? Subprocess.run(git, arguments: ["-C", projectRoot, "rev-parse", "HEAD"], input: [], timeout: 5),
                  outcome.status == 0, outcome.signal == nil else { return nil }
            let text = String(decoding: outcome.stdout, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            return text.isEmpty ? nil : text
        }
        return nil
    }
}
