/// A path in a project written as a gate file writes it: a plain relative path
/// (`NestSync-backend/requirements.txt`), or a glob with `*` (any run of characters within one
/// name), `?` (one character), `[abc]`/`[a-z]`/`[!x]` (one of a set), `**` (any number of folders,
/// none included) and `{a,b}` (alternatives, nestable).
///
/// As in the shell, `*`, `?` and `[…]` do not match a leading `.`: `**` does not walk into `.git`
/// or `.venv`, while `**/.env.example` finds hidden files by naming the dot. A glob never leaves
/// the project root: it may not be absolute or hold `..`. A plain path may (it names one place
/// the user chose).
public struct PathPattern: Sendable, Equatable, CustomStringConvertible {
    /// One name of a path after brace expansion.
    enum Segment: Sendable, Equatable {
        case literal(String)
        case glob([UInt8])
        case anyDepth
    }

    /// The pattern as written.
    public let source: String
    /// The alternatives `{a,b}` expands to, each split into segments.
    let alternatives: [[Segment]]

    /// True when the pattern holds no wildcard or alternative: it names one path.
    public var isLiteral: Bool {
        alternatives.count == 1 && alternatives[0].allSatisfy { if case .literal = $0 { true } else { false } }
    }

    public var description: String { source }

    /// At most this many alternatives from one pattern: `{a,b}{c,d}…` multiplies.
    static let maxAlternatives = 256

    /// Reads a pattern; the error says what is wrong with it.
    public init(_ text: String) throws(PathPatternError) {
        source = text
        guard !text.isEmpty else { throw PathPatternError("the path is empty") }
        let expanded = try Self.expandBraces(text)
        var alternatives: [[Segment]] = []
        for path in expanded {
            alternatives.append(try Self.segments(of: path, wildcards: expanded.count > 1 || Self.hasWildcard(path)))
        }
        self.alternatives = alternatives
    }

    /// Whether `relativePath` (names joined by `/`, from the project root) matches.
    public func matches(_ relativePath: String) -> Bool {
        matches(names: relativePath.split(separator: "/").map { Array($0.utf8) })
    }

    /// Whether a path given as its names' bytes matches.
    func matches(names: [[UInt8]]) -> Bool {
        alternatives.contains { Self.match($0[...], names[...]) }
    }

    /// Whether a file or folder name matches, wherever it is (an `exclude` entry without `/`).
    var matchesAnyName: Bool {
        alternatives.allSatisfy { $0.count == 1 }
    }

    // Bytes, not Characters, here and below: every character the syntax gives meaning to is
    // ASCII, and a gate file's load compiles dozens of patterns.
    static func hasWildcard(_ text: some StringProtocol) -> Bool {
        text.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }
    }

    private static func segments(of path: String, wildcards: Bool) throws(PathPatternError) -> [Segment] {
        if !wildcards {
            // A plain path is used as written (absolute, or with `..`): it is one place, not a search.
            return [.literal(path)]
        }
        guard !path.hasPrefix("/") else {
            throw PathPatternError("a glob must be relative to the project root, not absolute ('\(path)')")
        }
        var segments: [Segment] = []
        for bytes in path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            let name = Substring(bytes)
            if bytes.elementsEqual("..".utf8) { throw PathPatternError("a glob may not leave the project root ('..' in '\(path)')") }
            if bytes.elementsEqual(".".utf8) { continue }
            if bytes.elementsEqual("**".utf8) {
                if segments.last != .anyDepth { segments.append(.anyDepth) }
            } else if zip(bytes, bytes.dropFirst()).contains(where: { $0 == UInt8(ascii: "*") && $1 == UInt8(ascii: "*") }) {
                throw PathPatternError("'**' must be a whole name between slashes ('\(path)'); write **/*.ext, not **.ext")
            } else if hasWildcard(name) {
                try validateClasses(name, in: path)
                segments.append(.glob(Array(name.utf8)))
            } else {
                segments.append(.literal(String(name)))
            }
        }
        guard !segments.isEmpty else { throw PathPatternError("'\(path)' names no file") }
        return segments
    }

    private static func validateClasses(_ name: Substring, in path: String) throws(PathPatternError) {
        var open = false
        for byte in name.utf8 {
            if byte == UInt8(ascii: "[") && !open { open = true } else if byte == UInt8(ascii: "]") && open { open = false }
        }
        if open { throw PathPatternError("unclosed '[' in '\(path)'") }
    }

    /// `{a,b}` alternatives, expanded left to right; nested braces expand too.
    static func expandBraces(_ text: String) throws(PathPatternError) -> [String] {
        guard let open = text.utf8.firstIndex(of: UInt8(ascii: "{")) else {
            if text.utf8.contains(UInt8(ascii: "}")) { throw PathPatternError("'}' without '{' in '\(text)'") }
            return [text]
        }
        let bytes = Array(text.utf8)
        let start = text.utf8.distance(from: text.utf8.startIndex, to: open)
        var depth = 0
        var close: Int?
        var commas: [Int] = []
        for index in start..<bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { close = index }
            case UInt8(ascii: ",") where depth == 1: commas.append(index)
            default: break
            }
            if close != nil { break }
        }
        guard let close else { throw PathPatternError("unclosed '{' in '\(text)'") }
        // Cut at ASCII bytes, so every piece is whole UTF-8.
        let prefix = String(decoding: bytes[..<start], as: UTF8.self)
        let suffix = String(decoding: bytes[(close + 1)...], as: UTF8.self)
        var bounds = [start] + commas + [close]
        var results: [String] = []
        for index in 0..<(bounds.count - 1) {
            let choice = String(decoding: bytes[(bounds[index] + 1)..<bounds[index + 1]], as: UTF8.self)
            for expanded in try expandBraces(prefix + choice + suffix) {
                results.append(expanded)
                if results.count > maxAlternatives {
                    throw PathPatternError("'\(text)' expands to more than \(maxAlternatives) paths")
                }
            }
        }
        bounds.removeAll()
        return results
    }

    /// Segments against names; `**` tries every split, iteratively over the names it may take.
    static func match(_ segments: ArraySlice<Segment>, _ names: ArraySlice<[UInt8]>) -> Bool {
        guard let first = segments.first else { return names.isEmpty }
        switch first {
        case .anyDepth:
            var rest = names
            while true {
                if match(segments.dropFirst(), rest) { return true }
                guard let name = rest.first, name.first != UInt8(ascii: ".") else { return false }
                rest = rest.dropFirst()
            }
        case .literal(let text):
            guard let name = names.first else { return false }
            return Array(text.utf8) == name && match(segments.dropFirst(), names.dropFirst())
        case .glob(let pattern):
            guard let name = names.first else { return false }
            return matchName(pattern, name) && match(segments.dropFirst(), names.dropFirst())
        }
    }

    /// One name against one glob: `*`, `?`, `[…]`; a leading `.` is matched only by a literal dot.
    static func matchName(_ pattern: [UInt8], _ name: [UInt8]) -> Bool {
        if name.first == UInt8(ascii: "."), pattern.first != UInt8(ascii: ".") { return false }
        var p = 0, n = 0, star = -1, mark = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                star = p
                mark = n
                p += 1
                continue
            }
            if p < pattern.count, let width = matchOne(pattern, at: p, name[n]) {
                p += width
                n += 1
                continue
            }
            guard star >= 0 else { return false }
            p = star + 1
            mark += 1
            n = mark
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }

    /// Whether the pattern element at `index` matches `byte`, and how many pattern bytes it spans.
    private static func matchOne(_ pattern: [UInt8], at index: Int, _ byte: UInt8) -> Int? {
        switch pattern[index] {
        case UInt8(ascii: "?"): return 1
        case UInt8(ascii: "["):
            var cursor = index + 1
            let negated = cursor < pattern.count && (pattern[cursor] == UInt8(ascii: "!") || pattern[cursor] == UInt8(ascii: "^"))
            if negated { cursor += 1 }
            var matched = false
            var first = true
            while cursor < pattern.count, pattern[cursor] != UInt8(ascii: "]") || first {
                first = false
                if cursor + 2 < pattern.count, pattern[cursor + 1] == UInt8(ascii: "-"), pattern[cursor + 2] != UInt8(ascii: "]") {
                    if pattern[cursor] <= byte && byte <= pattern[cursor + 2] { matched = true }
                    cursor += 3
                } else {
                    if pattern[cursor] == byte { matched = true }
                    cursor += 1
                }
            }
            return matched != negated ? cursor + 1 - index : nil
        default:
            return pattern[index] == byte ? 1 : nil
        }
    }
}

/// Why a path pattern cannot be used.
public struct PathPatternError: Error, Sendable, Equatable {
    /// One line: what is wrong.
    public let reason: String

    init(_ reason: String) { self.reason = reason }
}
