import FoundationEssentials
import Glibc
import ProjectFiles

/// Writes report files, making their folders first.
public enum ReportFiles {
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public static func write(_ bytes: [UInt8], to path: String) throws(WriteError) {
        // An atomic write renames a new file over the path: over /dev/null or a FIFO, as root, that
        // would replace the device. Anything but a regular file is written in place.
        let kind = FileSystem.kind(of: path)
        if let kind, kind != .file {
            let descriptor = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
            guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
            close(descriptor)
            return try append(bytes, to: path)
        }
        // A report that is there already has its folder.
        if kind == nil { try makeFolder(for: path) }
        // Written beside the path and renamed over it, so a reader sees the old report or the new
        // one, never half of one. No fsync: CI reads the report after the process ends, from the
        // same page cache (Foundation's atomic write syncs, a tenth of a build run's time). The
        // name is cut from the path as text: URL(fileURLWithPath:) asks the file system again.
        let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
        let folder = slash.map { String(path[..<$0]) + "/" } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = folder + ".\(name).\(getpid()).tmp"
        unlink(temporary)
        do {
            try append(bytes, to: temporary, exclusive: true)
        } catch {
            unlink(temporary)
            throw WriteError(path: path, reason: error.reason)
        }
        if kind == .file, exchange(temporary, path) {
            // The old report now has the temporary name.
            unlink(temporary)
            return
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw WriteError(path: path, reason: reason)
        }
    }

    /// Swaps two names in one step (Linux's renameat2 with RENAME_EXCHANGE), so a reader still
    /// sees the old report or the new one. A plain rename over an existing file costs ext4 (the
    /// usual CI disk) about 0.15 ms a report: it writes the new file's blocks out at once, a
    /// guard for editors that skip fsync (`auto_da_alloc`); a swap and an unlink cost 0.02 ms.
    /// False where the file system or the kernel cannot swap; the caller renames instead.
    private static func exchange(_ first: String, _ second: String) -> Bool {
        guard let renameAt2 else { return false }
        return renameAt2(AT_FDCWD, first, AT_FDCWD, second, 2 /* RENAME_EXCHANGE */) == 0
    }

    /// glibc's renameat2 (2.28+), which Swift's Glibc module does not export; found by name.
    private static let renameAt2: (@convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32)? = {
        dlsym(nil, "renameat2").map {
            unsafeBitCast($0, to: (@convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32).self)
        }
    }()

    /// Makes the folder `path` goes in, so a history file can be created there.
    public static func makeFolder(for path: String) throws(WriteError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        if FileSystem.kind(of: folder) == .directory { return }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: path, reason: "\(error)")
        }
    }

    public static func append(_ bytes: [UInt8], to path: String) throws(WriteError) {
        try append(bytes, to: path, exclusive: false)
    }

    /// Appends to `path` (made when missing; with `exclusive`, only made, never opened when there).
    private static func append(_ bytes: [UInt8], to path: String, exclusive: Bool) throws(WriteError) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL | O_NOFOLLOW : 0), 0o644)
        guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var remaining = bytes[...]
        while !remaining.isEmpty {
            let written = remaining.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
            remaining = remaining.dropFirst(written)
        }
    }
}
