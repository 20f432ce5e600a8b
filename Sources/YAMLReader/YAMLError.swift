/// Everything that can make a YAML source unreadable, each with the place it was found.
public enum YAMLError: Error, Sendable, Equatable {
    /// The source is larger than the limit, in bytes.
    case tooLarge(bytes: Int, limit: Int)
    /// libyaml refused the source: a syntax error, an encoding error or a control character.
    case syntax(problem: String, mark: YAMLMark)
    /// Collections nest deeper than the limit.
    case tooDeep(limit: Int, mark: YAMLMark)
    /// The document, with every alias expanded, has more nodes than the limit (an alias bomb).
    case tooManyNodes(limit: Int, mark: YAMLMark)
    /// A mapping names the same key twice.
    case duplicateKey(key: String, mark: YAMLMark, first: YAMLMark)
    /// A key that is a list or a mapping.
    case complexKey(mark: YAMLMark)
    /// An alias that points at a node that contains the alias.
    case aliasCycle(anchor: String, mark: YAMLMark)
    /// An alias whose anchor was never defined.
    case undefinedAlias(anchor: String, mark: YAMLMark)
    /// A tag outside YAML's core schema.
    case unknownTag(tag: String, mark: YAMLMark)
    /// A core tag on a node it cannot describe (`!!str` on a mapping, `!!int` on `abc`).
    case mismatchedTag(tag: String, node: String, mark: YAMLMark)
    /// One alias whose expansion takes the document past the node limit: the bomb, with its anchor.
    case aliasBomb(alias: String, expands: Int, anchorLine: Int, limit: Int, mark: YAMLMark)
    /// A `<<` merge key whose value is not a mapping or a list of mappings.
    case badMerge(mark: YAMLMark)
    /// A second document in one source.
    case multipleDocuments(mark: YAMLMark)

    /// Where the problem is, when it has a place.
    public var mark: YAMLMark? {
        switch self {
        case .tooLarge: nil
        case .syntax(_, let mark), .tooDeep(_, let mark), .tooManyNodes(_, let mark),
             .duplicateKey(_, let mark, _), .complexKey(let mark), .aliasCycle(_, let mark),
             .undefinedAlias(_, let mark), .unknownTag(_, let mark), .badMerge(let mark),
             .multipleDocuments(let mark), .mismatchedTag(_, _, let mark), .aliasBomb(_, _, _, _, let mark):
            mark
        }
    }

    /// The problem in one sentence, without the place.
    public var problem: String {
        switch self {
        case .tooLarge(let bytes, let limit):
            "file is \(bytes) bytes, larger than the \(limit)-byte limit for a gate file"
        case .syntax(let problem, _):
            "YAML syntax: \(problem)"
        case .tooDeep(let limit, _):
            "collections nest deeper than \(limit) levels"
        case .tooManyNodes(let limit, _):
            "the document expands to more than \(limit) nodes (aliases included); is it an alias bomb?"
        case .duplicateKey(let key, _, let first):
            "duplicate key \"\(key)\" (first defined at line \(first.line))"
        case .complexKey:
            "a mapping key must be a plain value, not a list or a mapping"
        case .aliasCycle(let anchor, _):
            "alias *\(anchor) refers to a node that contains it (a cycle)"
        case .undefinedAlias(let anchor, _):
            "alias *\(anchor) names no anchor defined before it"
        case .unknownTag(let tag, _):
            "unknown tag \(tag); only YAML's core tags (!!str, !!int, !!float, !!bool, !!null, !!seq, !!map) are allowed"
        case .mismatchedTag(let tag, let node, _):
            "tag \(tag) does not fit \(node)"
        case .aliasBomb(let alias, let expands, let anchorLine, let limit, _):
            "alias *\(alias) expands to \(expands) nodes (its anchor &\(alias) is at line \(anchorLine)), taking the document past \(limit) nodes; is it an alias bomb?"
        case .badMerge:
            "a merge key (<<) takes a mapping or a list of mappings"
        case .multipleDocuments:
            "a gate file holds one YAML document; found a second one here"
        }
    }
}

extension YAMLError {
    /// The error with its place moved onto the last line of `bytes` when libyaml put it past the
    /// end (an error at the end of a file without a final newline names a line that is not there).
    func clamped(to bytes: [UInt8]) -> YAMLError {
        guard let mark, mark.line > 1 else { return self }
        let newlines = bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        let lines = bytes.last == 0x0A || bytes.isEmpty ? max(1, newlines) : newlines + 1
        guard mark.line > lines else { return self }
        let lastStart = bytes.count > 0 ? (bytes.dropLast(bytes.last == 0x0A ? 1 : 0).lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) : 0
        let lastLine = bytes[lastStart...].prefix { $0 != 0x0A }
        let column = lastLine.reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) } + 1
        return moved(to: YAMLMark(line: lines, column: column))
    }

    private func moved(to place: YAMLMark) -> YAMLError {
        switch self {
        case .tooLarge: self
        case .syntax(let problem, _): .syntax(problem: problem, mark: place)
        case .tooDeep(let limit, _): .tooDeep(limit: limit, mark: place)
        case .tooManyNodes(let limit, _): .tooManyNodes(limit: limit, mark: place)
        case .duplicateKey(let key, _, let first): .duplicateKey(key: key, mark: place, first: first)
        case .complexKey: .complexKey(mark: place)
        case .aliasCycle(let anchor, _): .aliasCycle(anchor: anchor, mark: place)
        case .undefinedAlias(let anchor, _): .undefinedAlias(anchor: anchor, mark: place)
        case .unknownTag(let tag, _): .unknownTag(tag: tag, mark: place)
        case .mismatchedTag(let tag, let node, _): .mismatchedTag(tag: tag, node: node, mark: place)
        case .aliasBomb(let alias, let expands, let line, let limit, _):
            .aliasBomb(alias: alias, expands: expands, anchorLine: line, limit: limit, mark: place)
        case .badMerge: .badMerge(mark: place)
        case .multipleDocuments: .multipleDocuments(mark: place)
        }
    }
}
