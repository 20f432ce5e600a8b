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

    public static func write(_ bytes: [UInt8], to path: String) throws {
        // An atomic write renames a new file over the path: over /dev/null or a FIFO, as root, that
        // would replace the device. Anything but a regular file is written in place.
        if let kind = FileSystem.kind(of: path), kind != .file {
            let descriptor = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
            guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
            close(descriptor)
            return try append(bytes, to: path)
        }
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw WriteError(path: path, reason: "\(error)")
        }
    }

    /// Makes the folder `path` goes in, so a history file can be created there.
    public static func makeFolder(for path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: path, reason: "\(error)")
        }
    }

    public static func append(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
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
