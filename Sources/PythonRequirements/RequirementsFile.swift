import FoundationEssentials
import ProjectFiles
import TextSearch

/// Reads a requirements file and everything it includes (`-r`, and `-c` for constraints) as pip
/// does: includes are relative to the including file, `\` continues a line, `#` after white space
/// starts a comment, global options are ignored and per-requirement options (`--hash`) dropped.
public struct RequirementsFile: Sendable {
    /// Every requirement and constraint found, in reading order.
    public var requirements: [Requirement] = []
    /// Every file read, relative to the project root.
    public var files: [String] = []

    /// A bound on files read (each include counts) that keeps a generated or hostile include tree
    /// from running away.
    static let maxFiles = 10_000

    private static let includeOptions = ["-r", "--requirement"]
    private static let constraintOptions = ["-c", "--constraint"]
    private static let editableOptions = ["-e", "--editable"]
    /// The options pip 24 reads in a requirements file (`req_file.SUPPORTED_OPTIONS` and
    /// `SUPPORTED_OPTIONS_REQ`) that take an argument; any other option is refused, as pip refuses
    /// it (`--install-option` was removed in pip 23.1).
    private static let argumentOptions: Set<String> = [
        "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--no-binary", "--only-binary",
        "--trusted-host", "--use-feature", "--global-option", "--config-settings", "--hash",
    ]
    private static let flagOptions: Set<String> = ["--no-index", "--prefer-binary", "--require-hashes", "--pre"]

    /// Variables `${NAME}` in lines are replaced from, as pip replaces them from its environment.
    private var environment: [String: String] = [:]

    /// Reads `path` (relative to `root`) and its includes, with `${NAME}` expanded from
    /// `environment`. Throws on an unreadable file, an include cycle or a line pip would refuse,
    /// naming the file and line.
    public static func read(_ path: String, root: URL, environment: [String: String] = [:]) throws(RequirementError) -> RequirementsFile {
        var result = RequirementsFile()
        result.environment = environment
        var reads = 0
        try result.read(path: path, root: root, isConstraint: false, chain: [], reads: &reads, includedAt: nil)
        return result
    }

    private mutating func read(path: String, root: URL, isConstraint: Bool, chain: [String],
                               reads: inout Int, includedAt: RequirementLocation?) throws(RequirementError) {
        let url = (path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path))
            .standardizedFileURL.resolvingSymlinksInPath()
        let key = url.path
        if let start = chain.firstIndex(of: key) {
            let cycle = (chain[start...] + [key]).map { relative($0, to: root) }
            throw RequirementError(location: includedAt, reason: "include cycle: \(cycle.joined(separator: " -> "))")
        }
        // pip reads a file again each time it is included (celery's test-ci-default.txt includes
        // extras also included through test-ci-base.txt), so this does too; only a cycle is refused.
        reads += 1
        guard reads <= Self.maxFiles else {
            throw RequirementError(location: includedAt, reason: "more than \(Self.maxFiles) files included")
        }
        let display = relative(key, to: root)
        let bytes: [UInt8]
        do {
            bytes = try FileReader.read(url, display: display)
        } catch {
            throw RequirementError(location: includedAt, reason: error.description)
        }
        if !files.contains(display) { files.append(display) }
        let directory = url.deletingLastPathComponent()
        for line in Self.logicalLines(bytes) {
            let location = RequirementLocation(file: display, line: line.number)
            try handle(Self.expandingVariables(line.text, environment)[...], location: location, directory: directory, root: root,
                       isConstraint: isConstraint, chain: chain + [key], reads: &reads)
        }
    }

    private mutating func handle(_ line: Bytes, location: RequirementLocation, directory: URL, root: URL,
                                 isConstraint: Bool, chain: [String], reads: inout Int) throws(RequirementError) {
        let words = line.split(whereSeparator: \.isSpaceOrTab)
        guard let first = words.first else { return }
        try Self.checkOptions(words.map(\.string), location: location)
        guard first.first == UInt8(ascii: "-") else {
            // The common case: a requirement, perhaps followed by per-requirement options.
            let kept = Self.droppingOptions(words)
            let requirement = kept.count == words.count ? line : Bytes(kept.joined(separator: [0x20]))
            try add(RequirementParser.parse(requirement, location: location, isConstraint: isConstraint))
            return
        }
        let texts = words.map(\.string)
        if let (option, argument) = Self.option(texts[0], words: texts, among: Self.includeOptions + Self.constraintOptions) {
            guard let argument else { throw RequirementError(location: location, reason: "\(option) needs a file") }
            guard !argument.containsText("://") else {
                throw RequirementError(location: location, reason: "cannot follow the remote include \(argument)")
            }
            let target = argument.hasPrefix("/") ? argument : directory.appendingPathComponent(argument).path
            try read(path: target, root: root, isConstraint: isConstraint || Self.constraintOptions.contains(option),
                     chain: chain, reads: &reads, includedAt: location)
            return
        }
        if let (option, argument) = Self.option(texts[0], words: texts, among: Self.editableOptions) {
            guard let argument else { throw RequirementError(location: location, reason: "\(option) needs a path or URL") }
            try add(RequirementParser.parse(argument, location: location, isConstraint: isConstraint, editable: true))
        }
        // Anything else starting with '-' is a global option such as --index-url: not a requirement.
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

    /// Refuses an option pip does not know in a requirements file, as pip does.
    private static func checkOptions(_ words: [String], location: RequirementLocation) throws(RequirementError) {
        for word in words where word.hasPrefix("-") && word != "-" {
            let name = word.hasPrefix("--") ? String(word.prefix { $0 != "=" }) : String(word.prefix(2))
            let known = argumentOptions.contains(name) || flagOptions.contains(name) || includeOptions.contains(name)
                || constraintOptions.contains(name) || editableOptions.contains(name)
            guard known else {
                let removed = name == "--install-option" ? " (pip 23.1 removed it; use --config-settings)" : ""
                throw RequirementError(location: location, reason: "pip refuses this line: no such option \(name)\(removed)")
            }
        }
    }

    /// `${NAME}` (upper-case letters, digits, `_`) replaced by the variable's value when it is set,
    /// as pip's `expand_env_variables` does; anything else is left as written.
    static func expandingVariables(_ line: [UInt8], _ environment: [String: String]) -> [UInt8] {
        guard !environment.isEmpty, line.contains(UInt8(ascii: "$")) else { return line }
        var out: [UInt8] = []
        var index = 0
        while index < line.count {
            if line[index] == UInt8(ascii: "$"), index + 1 < line.count, line[index + 1] == UInt8(ascii: "{"),
               let close = line[(index + 2)...].firstIndex(of: UInt8(ascii: "}")), close > index + 2 {
                let name = line[(index + 2)..<close]
                if name.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }),
                   let value = environment[String(decoding: name, as: UTF8.self)] {
                    out += Array(value.utf8)
                    index = close + 1
                    continue
                }
            }
            out.append(line[index])
            index += 1
        }
        return out
    }

    /// The words of a requirement line without per-requirement options (`--hash=…`, `--hash …`).
    private static func droppingOptions(_ words: [Bytes]) -> [Bytes] {
        guard words.contains(where: { $0.hasPrefix("--") }) else { return words }
        var kept: [Bytes] = []
        var skipNext = false
        for word in words {
            if skipNext { skipNext = false; continue }
            if word.hasPrefix("--") {
                let text = word.string
                skipNext = !text.contains("=") && (text == "--hash" || text == "--config-settings"
                    || text == "--global-option" || argumentOptions.contains(text))
                continue
            }
            kept.append(word)
        }
        return kept
    }

    /// Lines joined at a trailing `\`, comments removed (pip's rule: `#` at the start of a line or
    /// after white space), each with its first physical line number.
    public static func logicalLines(_ bytes: [UInt8]) -> [(number: Int, text: [UInt8])] {
        var lines: [(Int, [UInt8])] = []
        var pending: [UInt8]?
        var pendingStart = 0
        var lineNumber = 0
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start <= bytes.count {
            let newline = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            lineNumber += 1
            var end = newline
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            var index = start
            while index < end {
                if bytes[index] == UInt8(ascii: "#"), index == start || bytes[index - 1].isSpaceOrTab { end = index; break }
                index += 1
            }
            var joined = pending ?? []
            joined += bytes[start..<end]
            if pending == nil { pendingStart = lineNumber }
            if joined.last == UInt8(ascii: "\\") {
                joined.removeLast()
                pending = joined
            } else {
                pending = nil
                let trimmed = joined[...].trimmed()
                if !trimmed.isEmpty { lines.append((pendingStart, Array(trimmed))) }
            }
            if newline == bytes.count { break }
            start = newline + 1
        }
        if let pending, !pending[...].trimmed().isEmpty { lines.append((pendingStart, Array(pending[...].trimmed()))) }
        return lines
    }

    private func relative(_ path: String, to root: URL) -> String {
        let base = root.standardizedFileURL.resolvingSymlinksInPath().path
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
    }
}
