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
    public static func read(_ path: String, root: URL) throws(RequirementError) -> RequirementsFile {
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
        let bytes: [UInt8]
        do {
            bytes = try FileReader.read(url, display: display)
        } catch {
            throw RequirementError(location: includedAt, reason: error.description)
        }
        files.append(display)
        let directory = url.deletingLastPathComponent()
        for line in Self.logicalLines(bytes) {
            let location = RequirementLocation(file: display, line: line.number)
            try handle(line.text[...], location: location, directory: directory, root: root,
                       isConstraint: isConstraint, chain: chain + [key], visited: &visited)
        }
    }

    private mutating func handle(_ line: Bytes, location: RequirementLocation, directory: URL, root: URL,
                                 isConstraint: Bool, chain: [String], visited: inout Set<String>) throws(RequirementError) {
        let words = line.split(whereSeparator: \.isSpaceOrTab)
        guard let first = words.first else { return }
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
                     chain: chain, visited: &visited, includedAt: location)
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
