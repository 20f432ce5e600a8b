/// Paths written in a project's files (`env_file: ../backend/.env`, `script_location = alembic`),
/// resolved against the folder of the file that writes them, without leaving the project.
public enum ProjectPath {
    /// `path` from `folder` (both relative to the project root), with `.` and `..` resolved; nil
    /// for an absolute path or one that climbs out of the project.
    public static func relative(_ path: String, from folder: String) -> String? {
        guard !path.hasPrefix("/") else { return nil }
        var parts = folder.split(separator: "/").filter { $0 != "." }.map(String.init)
        for part in path.split(separator: "/") where part != "." {
            if part == ".." {
                guard !parts.isEmpty, parts.last != ".." else { return nil }
                parts.removeLast()
            } else {
                parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    /// The folder of a file's project-relative path (`""` for the root).
    public static func folder(of path: String) -> String {
        path.split(separator: "/").dropLast().joined(separator: "/")
    }

    /// Whether `path` (absolute), its links resolved, is the project root or inside it.
    public static func isInside(_ path: String, root: String) -> Bool {
        guard let real = FileSystem.realPath(path), let realRoot = FileSystem.realPath(root) else { return false }
        return resolved(real, isWithin: realRoot)
    }

    /// Whether a resolved path is the resolved root or below it.
    static func resolved(_ real: String, isWithin realRoot: String) -> Bool {
        real == realRoot || real.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/")
    }
}
