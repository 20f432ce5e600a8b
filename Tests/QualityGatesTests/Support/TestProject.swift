import Foundation
@testable import QualityGates
import TestSupport

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
