import Foundation

/// A temporary folder with files in it, removed when the value is released.
public final class TemporaryFolder: @unchecked Sendable {
    public let url: URL

    public init(files: [String: String] = [:]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("qg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (path, content) in files { try write(path, content) }
    }

    private init(existing url: URL) { self.url = url }

    /// A folder that already exists (inside another temporary folder), with the same helpers.
    public static func existing(_ url: URL) throws -> TemporaryFolder { TemporaryFolder(existing: url) }

    deinit { try? FileManager.default.removeItem(at: url) }

    public func write(_ path: String, _ content: String) throws {
        try write(path, Array(content.utf8))
    }

    public func write(_ path: String, _ bytes: [UInt8]) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
    }

    public func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    public func read(_ relative: String) -> String {
        (try? String(contentsOfFile: path(relative), encoding: .utf8)) ?? ""
    }
}

/// The folder of the test sources and the package root, found from this file's path.
public enum Paths {
    /// Tests/QualityGatesTests, where the fixtures live.
    public static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("QualityGatesTests")
    /// The package's root folder.
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// The Python servers, golden reports and schemas the tests use.
    public static let fixtures = testsFolder.appendingPathComponent("Fixtures")
    /// ../shared/bench: real-world inputs nobody here wrote (GitHub's schema and operations).
    public static let sharedBench = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/bench")
}
