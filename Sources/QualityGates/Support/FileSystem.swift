import Glibc

/// The few questions about paths the checks and the loader ask, answered by `stat(2)` and
/// `realpath(3)` directly.
public enum FileSystem {
    /// What a path names.
    public enum Kind: Sendable { case file, directory, other }

    /// What `path` names, following symbolic links; nil when nothing is there.
    public static func kind(of path: String) -> Kind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        default: return .other
        }
    }

    /// The size of the file at `path` in bytes; nil when it cannot be read.
    public static func size(of path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    /// `path` made absolute with every symbolic link, `.` and `..` resolved; nil when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The text of the last system error (`strerror(errno)`).
    static func lastError() -> String { String(cString: strerror(errno)) }
}
