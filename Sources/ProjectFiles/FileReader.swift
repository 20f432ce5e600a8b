import FoundationEssentials
import Glibc

/// Reads a project file for a check, as `cat` would (a FIFO waits for its writer; the check's
/// timeout bounds that), but never more than `limit` bytes, so `/dev/zero` or a runaway
/// generated file cannot exhaust memory.
public enum FileReader {
    /// Why a file could not be read.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case missing(String)
        case folder(String)
        case tooLarge(String, limit: Int)
        case unreadable(String, reason: String)

        public var description: String {
            switch self {
            case .missing(let path): "\(path) does not exist"
            case .folder(let path): "\(path) is a folder, not a file"
            case .tooLarge(let path, let limit): "\(path) is larger than \(limit >> 20) MiB"
            case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
            }
        }
    }

    public static let defaultLimit = 16 << 20

    /// The bytes of `url`; `display` names it in errors.
    public static func read(_ url: URL, display: String, limit: Int = defaultLimit) throws(Problem) -> [UInt8] {
        try read(path: url.path, display: display, limit: limit)
    }

    /// The bytes of the file at `path`: one open, one fstat, reads sized from it.
    public static func read(path: String, display: String, limit: Int = defaultLimit) throws(Problem) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw errno == ENOENT || errno == ENOTDIR ? .missing(display) : .unreadable(display, reason: FileSystem.lastError())
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(display, reason: FileSystem.lastError()) }
        if info.st_mode & S_IFMT == S_IFDIR { throw .folder(display) }
        // Regular files say their size; FIFOs and devices say 0 and are read in chunks.
        let expected = info.st_mode & S_IFMT == S_IFREG ? Int(info.st_size) : 0
        guard expected <= limit else { throw .tooLarge(display, limit: limit) }
        var bytes: [UInt8] = []
        // A regular file arrives in one read; others in 64 KiB chunks.
        var chunkSize = expected > 0 ? expected + 1 : 64 << 10
        while true {
            var readCount = 0
            let chunk = [UInt8](unsafeUninitializedCapacity: chunkSize) { buffer, count in
                readCount = Glibc.read(descriptor, buffer.baseAddress, chunkSize)
                count = max(0, readCount)
            }
            if readCount < 0 {
                if errno == EINTR { continue }
                throw .unreadable(display, reason: FileSystem.lastError())
            }
            if readCount == 0 { return bytes }
            guard bytes.count + readCount <= limit else { throw .tooLarge(display, limit: limit) }
            if bytes.isEmpty { bytes = chunk } else { bytes += chunk }
            // A regular file that delivered the size fstat promised is done: no read for EOF.
            if expected > 0, bytes.count == expected { return bytes }
            chunkSize = expected > 0 ? 4096 : 64 << 10
        }
    }

    /// The bytes of a small regular file in as few system calls as there can be (open, read,
    /// close): a read that returns less than asked is the end of a regular file. For folders of
    /// many small files, such as Alembic versions; nil when the file is larger than `guess`, so the
    /// caller can fall back to `read(path:)`.
    public static func readSmallRegularFile(_ name: String, in folder: FileSystem.Folder, display: String,
                                     guess: Int = 8 << 10) throws(Problem) -> [UInt8]? {
        let descriptor = openat(folder.descriptor, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw errno == ENOENT || errno == ENOTDIR ? .missing(display) : .unreadable(display, reason: FileSystem.lastError())
        }
        defer { close(descriptor) }
        var readCount = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: guess) { buffer, count in
            repeat { readCount = Glibc.read(descriptor, buffer.baseAddress, guess) } while readCount < 0 && errno == EINTR
            count = max(0, readCount)
        }
        if readCount < 0 {
            if errno == EISDIR { throw .folder(display) }
            throw .unreadable(display, reason: FileSystem.lastError())
        }
        return readCount < guess ? bytes : nil
    }

    /// The file as text (invalid UTF-8 replaced, as a reader of config files would see it).
    public static func text(_ url: URL, display: String, limit: Int = defaultLimit) throws(Problem) -> String {
        String(decoding: try read(url, display: display, limit: limit), as: UTF8.self)
    }
}
