import FoundationEssentials
import Glibc

/// Reads a project file for a check, as `cat` would (a FIFO waits for its writer; the check's
/// timeout bounds that), but never more than `limit` bytes, so `/dev/zero` or a runaway
/// generated file cannot exhaust memory.
enum FileReader {
    /// Why a file could not be read.
    enum Problem: Error, Equatable, CustomStringConvertible {
        case missing(String)
        case folder(String)
        case tooLarge(String, limit: Int)
        case unreadable(String, reason: String)

        var description: String {
            switch self {
            case .missing(let path): "\(path) does not exist"
            case .folder(let path): "\(path) is a folder, not a file"
            case .tooLarge(let path, let limit): "\(path) is larger than \(limit >> 20) MiB"
            case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
            }
        }
    }

    static let defaultLimit = 16 << 20

    /// The bytes of `url`; `display` names it in errors.
    static func read(_ url: URL, display: String, limit: Int = defaultLimit) throws(Problem) -> [UInt8] {
        switch FileSystem.kind(of: url.path) {
        case nil:
            throw errno == ENOENT || errno == ENOTDIR ? .missing(display) : .unreadable(display, reason: FileSystem.lastError())
        case .directory:
            throw .folder(display)
        case .file, .other:
            break
        }
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(display, reason: FileSystem.lastError()) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        // Uninitialised: the kernel fills what is read, and only that much is used.
        var chunk = [UInt8](unsafeUninitializedCapacity: 64 << 10) { _, count in count = 64 << 10 }
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(display, reason: FileSystem.lastError())
            }
            if count == 0 { return bytes }
            guard bytes.count + count <= limit else { throw .tooLarge(display, limit: limit) }
            bytes += chunk[..<count]
        }
    }

    /// The file as text (invalid UTF-8 replaced, as a reader of config files would see it).
    static func text(_ url: URL, display: String, limit: Int = defaultLimit) throws(Problem) -> String {
        String(decoding: try read(url, display: display, limit: limit), as: UTF8.self)
    }
}
