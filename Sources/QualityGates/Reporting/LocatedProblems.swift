/// Where the repository is, for formats that place every problem in a file of it (SARIF for code
/// scanning, GitLab Code Quality): paths relative to the repository's root, which CI names
/// (`GITHUB_WORKSPACE`, `CI_PROJECT_DIR`) and which is otherwise the working folder.
public struct RepositoryPaths: Sendable {
    /// The project root relative to the repository ("" when they are the same).
    public let projectPrefix: String
    /// The working folder relative to the repository (gate files are named relative to it).
    public let workingPrefix: String
    /// The repository's root, absolute.
    public let root: String

    public init(projectPrefix: String, workingPrefix: String, root: String) {
        self.projectPrefix = projectPrefix
        self.workingPrefix = workingPrefix
        self.root = root
    }

    /// A file of the project (findings name them relative to the project root).
    public func projectFile(_ path: String) -> String {
        path.hasPrefix("/") ? relative(path) : Self.join(projectPrefix, path)
    }

    /// A gate file as the user named it: relative to the working folder, or absolute.
    public func gateFile(_ path: String) -> String {
        path.hasPrefix("/") ? relative(path) : Self.join(workingPrefix, path)
    }

    private func relative(_ path: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    static func join(_ prefix: String, _ path: String) -> String {
        var path = path
        while path.hasPrefix("./") { path.removeFirst(2) }
        guard !prefix.isEmpty, prefix != "." else { return path }
        return (prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix) + "/" + path
    }
}

/// One problem of a run (a failed, errored or warned check, one per finding; a configuration
/// error), placed at a line of a file of the repository: a file finding where it is, anything else
/// (a database, an endpoint, a sign-in) at the check's own line in the gate file.
public struct LocatedProblem: Sendable, Equatable {
    public enum Level: String, Sendable { case error, warning }

    /// `gate/check`, or `configuration` for a gate file that could not be loaded.
    public let ruleID: String
    public let gate: GateReport?
    public let check: CheckReport?
    public let level: Level
    public let path: String
    /// From 1 (a problem about a whole file is placed on its first line).
    public let line: Int
    /// From 1; 0 when not known.
    public let column: Int
    public let message: String
    /// The same for the same problem in the next run: the rule, the place and the message with
    /// its numbers (latencies, counts, durations) left out; unique within a run.
    public let fingerprint: String
}

public enum LocatedProblems {
    /// Every problem of `report`; configuration errors without a place of their own go to
    /// `gateFile` (the first gate file given).
    public static func collect(_ report: RunReport, paths: RepositoryPaths, gateFile: String) -> [LocatedProblem] {
        var problems: [LocatedProblem] = []
        var seen: [String: Int] = [:]
        func add(rule: String, gate: GateReport?, check: CheckReport?, level: LocatedProblem.Level, place: (String, Int, Int), message: String) {
            let (path, line, column) = place
            let base = [rule, path, String(line), normalized(message)]
            // Two problems alike in everything are told apart by their order, so fingerprints stay unique.
            let count = seen[base.joined(separator: "\u{0}"), default: 0]
            seen[base.joined(separator: "\u{0}")] = count + 1
            problems.append(LocatedProblem(ruleID: rule, gate: gate, check: check, level: level, path: path, line: max(line, 1),
                                           column: max(column, 0), message: message,
                                           fingerprint: StableHash.hex128(base + (count > 0 ? [String(count)] : []))))
        }
        for error in report.configurationErrors {
            let place = parsePlace(error).map { (paths.gateFile($0.file), $0.line, $0.column) } ?? (paths.gateFile(gateFile), 1, 0)
            add(rule: "configuration", gate: nil, check: nil, level: .error, place: place, message: error)
        }
        for gate in report.gates {
            for check in gate.checks where [.failed, .errored, .warned].contains(check.outcome) {
                let level: LocatedProblem.Level = check.outcome == .warned ? .warning : .error
                let rule = "\(gate.id)/\(check.name)"
                if check.findings.isEmpty {
                    let place = parsePlace(check.definedAt).map { (paths.gateFile($0.file), $0.line, $0.column) }
                        ?? (paths.gateFile(check.definedAt.isEmpty ? gateFile : check.definedAt), 1, 0)
                    add(rule: rule, gate: gate, check: check, level: level, place: place, message: check.message)
                }
                for finding in check.findings {
                    add(rule: rule, gate: gate, check: check, level: level,
                        place: (paths.projectFile(finding.file), finding.line, finding.column),
                        message: finding.message.isEmpty ? check.message : finding.message)
                }
            }
        }
        return problems
    }

    /// The message with every run of digits as `#`: a latency or a count that moves from run to
    /// run does not make a new problem of the same one.
    static func normalized(_ message: String) -> String {
        var out = ""
        var inNumber = false
        for character in message {
            if character.isASCII, character.isNumber {
                if !inNumber { out.append("#") }
                inNumber = true
            } else {
                inNumber = false
                out.append(character)
            }
        }
        return out
    }

    /// `file:line:column` or `file:line` at the start of a text (a check's definition, a
    /// configuration error's message).
    static func parsePlace(_ text: String) -> (file: String, line: Int, column: Int)? {
        let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, !parts[0].isEmpty, let line = Int(parts[1]), line > 0 else { return nil }
        let column = parts.count >= 3 ? Int(parts[2].prefix { $0.isNumber }) ?? 0 : 0
        return (parts[0], line, column)
    }
}
