import Glibc
import ProjectFiles

/// The commit a run checks: from the CI's variables, else HEAD of the project's repository, read
/// from its files (no process to start on every run), else `git rev-parse HEAD`.
public enum GitCommit {
    static let variables = ["GITHUB_SHA", "CI_COMMIT_SHA", "GIT_COMMIT", "BUILD_VCS_NUMBER"]

    public static func current(projectRoot: String) -> String? {
        for name in variables {
            if let value = getenv(name).map({ String(cString: $0) }), !value.isEmpty { return value }
        }
        return readHead(from: projectRoot) ?? revParse(projectRoot)
    }

    /// HEAD's commit from the files of the repository holding `folder`: `.git` found from there
    /// upward, a folder or a `gitdir:` file (worktrees, submodules); HEAD a commit id (detached) or
    /// `ref: refs/heads/…`, resolved through the loose ref, then packed-refs, in the common folder
    /// of a worktree. Nil for anything else (a reftable repository, say): git is asked then.
    static func readHead(from folder: String) -> String? {
        GitObjects(containing: folder)?.resolve("HEAD")
    }

    static func findGitFolder(from start: String) -> String? {
        var folder = FileSystem.realPath(start) ?? start
        while true {
            let candidate = folder + (folder.hasSuffix("/") ? "" : "/") + ".git"
            switch FileSystem.kind(of: candidate) {
            case .directory?: return candidate
            case .file?:
                guard let line = firstLine(candidate), line.hasPrefix("gitdir: ") else { return nil }
                let target = String(line.dropFirst(8))
                return target.hasPrefix("/") ? target : folder + "/" + target
            default:
                guard folder != "/", let slash = folder.lastIndex(of: "/") else { return nil }
                folder = slash == folder.startIndex ? "/" : String(folder[..<slash])
            }
        }
    }

    static func firstLine(_ path: String) -> String? {
        guard FileSystem.kind(of: path) == .file, let bytes = try? FileReader.read(path: path, display: path, limit: 4096) else { return nil }
        let line = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        return line.isEmpty ? nil : line
    }

    private static func revParse(_ projectRoot: String) -> String? {
        for git in ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"] where FileSystem.kind(of: git) == .file {
            guard let outcome = try? Subprocess.run(git, arguments: ["-C", projectRoot, "rev-parse", "HEAD"], input: [], timeout: 5),
                  outcome.status == 0, outcome.signal == nil else { return nil }
            let text = String(decoding: outcome.stdout, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            return text.isEmpty ? nil : text
        }
        return nil
    }
}
