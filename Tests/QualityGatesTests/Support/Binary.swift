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

    /// Runs the executable under the test venv's Python, which waits for it with wait4 and writes
    /// its own peak resident memory (KiB) to a file: the peak of this one process, where
    /// getrusage(RUSAGE_CHILDREN) would give the largest of every child the tests ever waited for.
    /// Nil without QG_TEST_PYTHON.
    static func runMeasured(_ arguments: [String], in folder: TemporaryFolder,
                            timeout: Double = 60) throws -> (result: ProcessRunner.Result, peakKiB: Int)? {
        guard let python = ProcessInfo.processInfo.environment["QG_TEST_PYTHON"] else { return nil }
        let peakFile = NSTemporaryDirectory() + "qg-peak-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: peakFile) }
        let script = """
            import os, sys
            pid = os.fork()
            if pid == 0:
                os.execv(sys.argv[2], sys.argv[2:])
            _, status, usage = os.wait4(pid, 0)
            open(sys.argv[1], "w").write(str(usage.ru_maxrss))
            sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)
            """
        let result = try ProcessRunner.run(python, ["-c", script, peakFile, path] + arguments, environment: environment(),
                                           directory: folder.url, timeout: timeout)
        let peak = Int((try? String(contentsOfFile: peakFile, encoding: .utf8)) ?? "") ?? Int.max
        return (result, peak)
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
