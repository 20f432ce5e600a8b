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

    /// Whether `path` is itself a symbolic link (`lstat(2)`).
    public static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
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

    /// An open folder: its entries, and files opened relative to it (`openat`), so the kernel
    /// resolves one name per file instead of the whole path. Closed in `deinit`.
    public final class Folder: @unchecked Sendable {
        // @unchecked: the descriptor is only read after init, and openat on it is thread-safe.
        public let descriptor: Int32

        private init(descriptor: Int32) { self.descriptor = descriptor }

        /// The folder at `path`, or the errno that says why it cannot be opened.
        public static func open(_ path: String) -> Result<Folder, FolderError> {
            let descriptor = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            return descriptor >= 0 ? .success(Folder(descriptor: descriptor)) : .failure(FolderError(code: errno))
        }

        deinit { close(descriptor) }

        /// The names of the entries, without `.` and `..`, in the order the file system keeps them.
        public func names() -> [String] { entries().map(\.name) }

        /// One entry of a folder, with what `readdir` says it is: a file, a folder, a symbolic
        /// link, or unknown (some file systems do not say; then ask `kind(of:)`).
        public struct Entry: Sendable, Equatable {
            public enum Kind: Sendable { case file, directory, symbolicLink, other, unknown }
            public let name: String
            public let kind: Kind
        }

        /// The entries, without `.` and `..`, in the order the file system keeps them; one
        /// `readdir` pass, no `stat` per entry.
        public func entries() -> [Entry] {
            // fdopendir takes ownership of the descriptor it is given, so it gets a copy.
            guard let stream = fdopendir(dup(descriptor)) else { return [] }
            defer { closedir(stream) }
            rewinddir(stream)
            var entries: [Entry] = []
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
                }
                guard name != "." && name != ".." else { continue }
                let kind: Entry.Kind = switch Int32(entry.pointee.d_type) {
                case Int32(DT_REG): .file
                case Int32(DT_DIR): .directory
                case Int32(DT_LNK): .symbolicLink
                case Int32(DT_UNKNOWN): .unknown
                default: .other
                }
                entries.append(Entry(name: name, kind: kind))
            }
            return entries
        }
    }

    /// Why a folder could not be opened.
    public struct FolderError: Error {
        public let code: Int32
        public var missing: Bool { code == ENOENT }
        public var notAFolder: Bool { code == ENOTDIR }
        public var reason: String { String(cString: strerror(code)) }
    }

    /// The text of the last system error (`strerror(errno)`).
    public static func lastError() -> String { String(cString: strerror(errno)) }
}
