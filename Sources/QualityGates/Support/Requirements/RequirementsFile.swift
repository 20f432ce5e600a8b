#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads a requirements file and everything it includes (`-r`, and `-c` for constraints) as pip
/// does: includes are relative to the including file, `\` continues a line, `#` after white space
/// starts a comment, global options are ignored and per-requirement options (`--hash`) dropped.
struct RequirementsFile {
    /// Every requirement and constraint found, in reading order.
    var requirements: [Requirement] = []
    /// Every file read, relative to the project root.
    var files: [String] = []

    /// A bound that keeps a generated or hostile include tree from running away.
    static let maxFiles = 10_000

    private static let includeOptions = ["-r", "--requirement"]
    private static let constraintOptions = ["-c", "--constraint"]
    private static let editableOptions = ["-e", "--editable"]
    private static let argumentOptions: Set<String> = [
        "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--no-binary", "--only-binary",
        "--trusted-host", "--use-feature", "--progress-bar", "--platform",
    ]

    /// Reads `path` (relative to `root`) and its includes. Throws on an unreadable file, an include
    /// cycle or a line pip would refuse, naming the file and line.
    static func read(_ path: String, root: URL) throws(RequirementError) -> RequirementsFile {
        var result = RequirementsFile()
        var visited: Set<String> = []
        try result.read(path: path, root: root, isConstraint: false, chain: [], visited: &visited, includedAt: nil)
        return result
    }

    private mutating func read(path: String, root: URL, isConstraint: Bool, chain: [String],
                               visited: inout Set<String>, includedAt: RequirementLocation?) throws(RequirementError) {
        let url = (path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path))
            .standardizedFileURL.resolvingSymlinksInPath()
        let key = url.path
        if let start = chain.firstIndex(of: key) {
            let cycle = (chain[start...] + [key]).map { relative($0, to: root) }
            throw RequirementError(location: includedAt, reason: "include cycle: \(cycle.joined(separator: " -> "))")
        }
        guard visited.insert(key).inserted else { return }
        guard visited.count <= Self.maxFiles else {
            throw RequirementError(location: includedAt, reason: "more than \(Self.maxFiles) files included")
        }
        let display = relative(key, to: root)
        let text: String
        do {
            text = try FileReader.text(url, display: display)
        } catch {
            throw RequirementError(location: includedAt, reason: error.description)
        }
        files.append(display)
        for line in Self.logicalLines(text) {
            let location = RequirementLocation(file: display, line: line.number)
            try handle(line.text, location: location, directory: url.deletingLastPathComponent(), root: root,
                       isConstraint: isConstraint, chain: chain + [key], visited: &visited)
        }
    }

    private mutating func handle(_ text: String, location: RequirementLocation, directory: URL, root: URL,
                                 isConstraint: Bool, chain: [String], visited: inout Set<String>) throws(RequirementError) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = words.first else { return }
        if let (option, argument) = Self.option(first, words: words, among: Self.includeOptions + Self.constraintOptions) {
            guard let argument else { throw RequirementError(location: location, reason: "\(option) needs a file") }
            guard !argument.containsText("://") else {
                throw RequirementError(location: location, reason: "cannot follow the remote include \(argument)")
            }
            let target = argument.hasPrefix("/") ? argument : directory.appendingPathComponent(argument).path
            try read(path: target, root: root, isConstraint: isConstraint || Self.constraintOptions.contains(option),
                     chain: chain, visited: &visited, includedAt: location)
            return
        }
        if let (option, argument) = Self.option(first, words: words, among: Self.editableOptions) {
            guard let argument else { throw RequirementError(location: location, reason: "\(option) needs a path or URL") }
            try add(RequirementParser.parse(argument, location: location, isConstraint: isConstraint, editable: true))
            return
        }
        if first.hasPrefix("-") { return } // a global option such as --index-url: not a requirement
        let requirement = Self.droppingOptions(words).joined(separator: " ")
        try add(RequirementParser.parse(requirement, location: location, isConstraint: isConstraint))
    }

    private mutating func add(_ parsed: Result<Requirement, RequirementError>) throws(RequirementError) {
        switch parsed {
        case .success(let requirement): requirements.append(requirement)
        case .failure(let error): throw error
        }
    }

    /// `-r file`, `-rfile`, `--requirement file`, `--requirement=file`: the option and its argument.
    private static func option(_ first: String, words: [String], among options: [String]) -> (String, String?)? {
        for option in options {
            if first == option { return (option, words.count > 1 ? words[1] : nil) }
            if option.hasPrefix("--"), first.hasPrefix(option + "=") { return (option, String(first.dropFirst(option.count + 1))) }
            if !option.hasPrefix("--"), first.hasPrefix(option) { return (option, String(first.dropFirst(option.count))) }
        }
        return nil
    }

    /// The words of a requirement line without per-requirement options (`--hash=…`, `--hash …`).
    private static func droppingOptions(_ words: [String]) -> [String] {
        var kept: [String] = []
        var skipNext = false
        for word in words {
            if skipNext { skipNext = false; continue }
            if word.hasPrefix("--") {
                skipNext = !word.contains("=") && (word == "--hash" || word == "--config-settings"
                    || word == "--global-option" || argumentOptions.contains(word))
                continue
            }
            kept.append(word)
        }
        return kept
    }

    /// Lines joined at a trailing `\`, comments removed, each with its first physical line number.
    static func logicalLines(_ text: String) -> [(number: Int, text: String)] {
        var lines: [(Int, String)] = []
        var pending: (number: Int, text: String)?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if index == 0, line.first == "\u{FEFF}" { line.removeFirst() }
            line = stripComment(line)
            let start = pending?.number ?? index + 1
            let joined = (pending?.text ?? "") + line
            if joined.hasSuffix("\\") {
                pending = (start, String(joined.dropLast()))
                continue
            }
            pending = nil
            let trimmed = joined.trimmingCharacters(in: " \t")
            if !trimmed.isEmpty { lines.append((start, trimmed)) }
        }
        if let pending, !pending.text.trimmingCharacters(in: " \t").isEmpty {
            lines.append((pending.number, pending.text.trimmingCharacters(in: " \t")))
        }
        return lines
    }

    /// pip's comment rule: `#` at the start of a line or after white space.
    private static func stripComment(_ line: String) -> String {
        var previous: Character = " "
        for index in line.indices {
            if line[index] == "#", previous == " " || previous == "\t" { return String(line[..<index]) }
            previous = line[index]
        }
        return line
    }

    private func relative(_ path: String, to root: URL) -> String {
        let base = root.standardizedFileURL.resolvingSymlinksInPath().path
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
    }
}
