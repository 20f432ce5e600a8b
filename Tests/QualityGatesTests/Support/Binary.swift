import Foundation
import TestSupport

/// The built `quality-gates` executable and a way to run it in a scratch folder.
enum Binary {
    /// QG_BINARY when set (scripts/test sets it), else the product beside the test bundle.
    static var path: String {
        if let path = ProcessInfo.processInfo.environment["QG_BINARY"] { return path }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if folder.lastPathComponent == "MacOS" { folder = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
        let beside = folder.appendingPathComponent("quality-gates").path
        return FileManager.default.isExecutableFile(atPath: beside) ? beside : Paths.packageRoot.appendingPathComponent(".build/debug/quality-gates").path
    }

    /// A clean environment: no CI variables, no colours, plus `extra`.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var base = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory(), "LANG": "C.UTF-8"]
        base.merge(extra) { _, new in new }
        return base
    }

    @discardableResult
    static func run(_ arguments: [String], in folder: TemporaryFolder, environment extra: [String: String] = [:],
                    timeout: Double = 60, onStart: ((Process) -> Void)? = nil) throws -> ProcessRunner.Result {
        try ProcessRunner.run(path, arguments, environment: environment(extra), directory: folder.url, timeout: timeout, onStart: onStart)
    }

    /// The example project copied into `folder/project`, and the NestSync pack into `folder/gates`.
    static func copyExample(into folder: TemporaryFolder) throws {
        try FileManager.default.copyItem(at: Paths.packageRoot.appendingPathComponent("examples/nestsync"),
                                         to: folder.url.appendingPathComponent("project"))
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("gates"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Paths.packageRoot.appendingPathComponent("gates/nestsync.yml"),
                                         to: folder.url.appendingPathComponent("gates/nestsync.yml"))
    }
}
