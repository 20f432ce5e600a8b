import Foundation
@testable import QualityGates

/// A temporary folder with files in it, removed when the value is released.
final class TemporaryFolder: @unchecked Sendable {
    let url: URL

    init(files: [String: String] = [:]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("qg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (path, content) in files { try write(path, content) }
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ path: String, _ content: String) throws {
        try write(path, Array(content.utf8))
    }

    func write(_ path: String, _ bytes: [UInt8]) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
    }

    func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    func read(_ relative: String) -> String {
        (try? String(contentsOfFile: path(relative), encoding: .utf8)) ?? ""
    }
}

/// Loads gate-file text held in memory.
func loadGates(_ text: String, name: String = "gates.yml", environment: [String: String] = [:],
               target: Target? = .build, selection: GateSelection = GateSelection()) -> Result<GateConfiguration, LoadErrors> {
    GateFileLoader.load(sources: [(name: name, bytes: Array(text.utf8))],
                        options: LoadOptions(environment: Environment(environment), target: target, selection: selection))
}

/// The errors of a load that must fail.
func loadErrors(_ text: String, environment: [String: String] = [:], target: Target? = .build) -> [ConfigError] {
    switch loadGates(text, environment: environment, target: target) {
    case .success: return []
    case .failure(let errors): return errors.errors
    }
}

/// A gate file with one gate holding the given check lines (already indented for a list item).
func gateFile(checks: String, gate: String = "g", severity: String = "P1") -> String {
    """
    gates:
      \(gate):
        title: A gate
        severity: \(severity)
        checks:
    \(checks)
    """
}

/// The folder of the test sources and the package root, found from this file's path.
enum Paths {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let packageRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = testsFolder.appendingPathComponent("Fixtures")
}
