import TextSearch

/// The gate-file reference, rendered from the check kinds' own descriptions: `explain` prints
/// it and `docs/gates.md` holds it (a test keeps the two equal).
public enum Reference {
    /// The keys every check shares, documented once.
    public static let commonKeys: [ParameterDoc] = [
        ParameterDoc("name", "string", required: true, "A stable name, unique in its gate; the JUnit test case name. Keep measured values out of it."),
        ParameterDoc("kind", "string", required: true, "The check kind (below)."),
        ParameterDoc("targets", "list of build, staging", "Where the check runs; the kind's default otherwise. On other targets it is skipped."),
        ParameterDoc("timeout", "duration", "How long one attempt may take: `10`, `500ms`, `30s`, `2m` (default 30 s)."),
        ParameterDoc("retries", "0-10", "How often an errored attempt is tried again (default 0), when another attempt could go otherwise (not after a TLS verification failure, the size cap, a redirect loop or a 4xx); a `Retry-After` is honoured. A failed expectation is never retried."),
        ParameterDoc("needs", "list of check names", "Checks that must pass (or warn): a name in the same gate, or `gate_id/name`. Otherwise this one is skipped. Values a needed check hands on (a sign-in's token, a query's `expose`) reach this one, which starts when they are there; values a need passes on from its own needs come from where they were made; a need it takes nothing from is awaited beside it (both start together, and this one's result counts only if the need passes), so a chain of needs costs its slowest link. When `--jobs` slots are all taken, the checks on the longest chain of handed-on values start first."),
        ParameterDoc("severity", "warn or block", "`warn`: a failure or error of this check is a warning (⚠, never blocking); `block` is the default. The gate's P0–P3 severity is the gate's own."),
        ParameterDoc("warn", "mapping", "Stricter values of the kind's thresholds (listed with each kind): crossing them is a warning, crossing the check's own is a failure. `latency: p95 < 2000` with `warn: {latency: p95 < 1000}`."),
        ParameterDoc("fail", "mapping", "The kind's thresholds written apart from the rest, beside `warn:` (the same as writing them at the top). A threshold may also carry both tiers in place: `latency: {warn: p95 < 1500, fail: p95 < 2000}`."),
        ParameterDoc("consecutive", "whole number", "Flap control: a failure (or error) blocks only when the last N runs, this one included, all failed; until then it warns, saying how many runs are failing. Counted over the run history (without one, a failure blocks). Not for error_rate, whose own `consecutive` it would shadow."),
        ParameterDoc("m_of_n", "[M, N]", "Flap control: a failure blocks only when M of the last N runs, this one included, failed."),
    ]

    /// The generated part of docs/gates.md: the keys every check has, then every check kind.
    public static func markdown() -> String {
        "## Keys every check has\n\n\(table(commonKeys))\n\n## Check kinds\n\n"
            + "Each kind below is generated from the kind's own description; its examples run as tests.\n\n"
            + checkKinds()
    }

    /// Markdown for every check kind, sorted by kind.
    public static func checkKinds() -> String {
        let sorted = CheckRegistry.all.map { $0.description }.sorted { $0.kind < $1.kind }
        return sorted.map(kind).joined(separator: "\n")
    }

    /// Markdown for one check kind: summary, targets, parameters, examples.
    public static func kind(_ description: CheckDescription) -> String {
        var lines = ["### `\(description.kind)`", "", description.summary, ""]
        let targets = Target.allCases.filter(description.defaultTargets.contains).map(\.rawValue)
        lines.append("Runs on: \(targets.joined(separator: ", ")) (by default).")
        if !description.thresholds.isEmpty {
            lines.append("Thresholds (for `warn:` and `fail:`): \(description.thresholds.map { "`\($0)`" }.joined(separator: ", ")).")
        }
        lines += ["", table(description.parameters), "", "Examples:", ""]
        for example in description.examples {
            lines.append("- \(expectationText(example)):")
            lines.append("")
            lines.append("  ```yaml")
            lines += example.yaml.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
            lines.append("  ```")
            if !example.environment.isEmpty {
                lines.append("  with " + example.environment.sorted { $0.key < $1.key }
                    .map { "`\($0.key)=\($0.value)`" }.joined(separator: ", "))
            }
            for (path, content) in example.files.sorted(by: { $0.key < $1.key }) {
                lines.append("  with `\(path)`: `\(content.replacingAll("\n", with: "⏎"))`")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// A Markdown table of parameters.
    public static func table(_ parameters: [ParameterDoc]) -> String {
        var lines = ["| key | type | required | meaning |", "| --- | --- | --- | --- |"]
        for parameter in parameters {
            lines.append("| `\(parameter.name)` | \(parameter.type) | \(parameter.required ? "yes" : "no") | \(parameter.summary.replacingAll("|", with: "\\|")) |")
        }
        return lines.joined(separator: "\n")
    }

    private static func expectationText(_ example: CheckExample) -> String {
        switch example.expectation {
        case .passes: "passes"
        case .fails(let message): "fails with “\(message)”"
        case .errors(let message): "errors with “\(message)”"
        case .skips(let message): "is skipped with “\(message)”"
        case .warns(let message): "warns with “\(message)”"
        case .invalid(let message): "is refused when the gate file loads: “\(message)”"
        }
    }

    /// A gate as `explain` shows it.
    public static func gate(_ gate: Gate) -> String {
        var lines = ["\(gate.severity.rawValue) \(gate.severity.label) · \(gate.id): \(gate.title)",
                     "Response time: \(gate.responseTime)", "Escalation: \(gate.escalation)",
                     "Defined at: \(gate.location)", "", "Immediate actions:"]
        lines += gate.runbook.isEmpty ? ["  (none written)"] : gate.runbook.enumerated().map { index, action in
            "  \(index + 1). " + action.split(whereSeparator: \.isNewline).joined(separator: "\n     ")
        }
        lines += ["", "Checks:"]
        for check in gate.checks {
            let targets = Target.allCases.filter(check.targets.contains).map(\.rawValue).joined(separator: ", ")
            let needs = check.needs.isEmpty ? "" : "; needs \(check.needs.map(\.description).joined(separator: ", "))"
            lines.append("  - \(check.name) [\(check.kind)] on \(targets)\(needs)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
