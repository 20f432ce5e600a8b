/// Builds nodes from parser events with an explicit stack, enforcing `YAMLLimits` as it goes.
struct Composer {
    private struct Frame {
        let isMapping: Bool
        let mark: YAMLMark
        let anchor: String?
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var merges: [(YAMLNode, YAMLMark)] = []
        var pendingKey: YAMLScalar?
        var keyMarks: [String: YAMLMark] = [:]
        var nodeCount = 1
    }

    private static let coreTags: Set<String> = [
        "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:seq",
        "tag:yaml.org,2002:map", "tag:yaml.org,2002:merge",
    ]

    let limits: YAMLLimits
    private(set) var root: YAMLNode?
    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, count: Int, line: Int)] = [:]
    /// Where each collection's anchor was written (its node is finished only at its end).
    private var anchorLines: [String: Int] = [:]
    private var documents = 0
    private var totalNodes = 0

    init(limits: YAMLLimits) { self.limits = limits }

    /// Takes one event; true once the stream has ended.
    mutating func consume(_ event: Event) throws(YAMLError) -> Bool {
        switch event.kind {
        case .streamStart, .documentEnd:
            return false
        case .streamEnd:
            return true
        case .documentStart:
            documents += 1
            if documents > 1 { throw .multipleDocuments(mark: event.mark) }
        case .scalar:
            try checkTag(event)
            let scalar = YAMLScalar(value: event.value, style: event.style,
                                    tag: event.tag == "!" ? nil : event.tag, mark: event.mark)
            try add(.scalar(scalar), count: 1, anchor: event.anchor, at: event.mark)
        case .alias:
            let name = event.anchor ?? ""
            guard let target = anchors[name] else {
                if stack.contains(where: { $0.anchor == name }) { throw .aliasCycle(anchor: name, mark: event.mark) }
                throw .undefinedAlias(anchor: name, mark: event.mark)
            }
            if totalNodes + target.count > limits.maxNodes, target.count > 1 {
                throw .aliasBomb(alias: name, expands: target.count, anchorLine: target.line, limit: limits.maxNodes, mark: event.mark)
            }
            try add(target.node, count: target.count, anchor: nil, at: event.mark)
        case .sequenceStart, .mappingStart:
            try checkTag(event)
            if let anchor = event.anchor { anchorLines[anchor] = event.mark.line }
            guard stack.count < limits.maxDepth else { throw .tooDeep(limit: limits.maxDepth, mark: event.mark) }
            stack.append(Frame(isMapping: event.kind == .mappingStart, mark: event.mark, anchor: event.anchor))
        case .sequenceEnd, .mappingEnd:
            let frame = stack.removeLast()
            let node: YAMLNode = frame.isMapping
                ? .mapping(try merged(frame), frame.mark)
                : .sequence(frame.items, frame.mark)
            try add(node, count: frame.nodeCount, anchor: frame.anchor, at: frame.mark, counted: true)
        }
        return false
    }

    private func checkTag(_ event: Event) throws(YAMLError) {
        guard let tag = event.tag, tag != "!" else { return }
        let shown = tag.replacingPrefix("tag:yaml.org,2002:", with: "!!")
        guard Self.coreTags.contains(tag) else { throw .unknownTag(tag: shown, mark: event.mark) }
        switch event.kind {
        case .mappingStart where tag != "tag:yaml.org,2002:map":
            throw .mismatchedTag(tag: shown, node: "a mapping", mark: event.mark)
        case .sequenceStart where tag != "tag:yaml.org,2002:seq":
            throw .mismatchedTag(tag: shown, node: "a list", mark: event.mark)
        case .scalar:
            if tag == "tag:yaml.org,2002:map" || tag == "tag:yaml.org,2002:seq" {
                throw .mismatchedTag(tag: shown, node: "a plain value", mark: event.mark)
            }
            if let kind = Self.scalarKinds[tag], !kind.fits(event.value) {
                throw .mismatchedTag(tag: shown, node: "'\(event.value.prefix(40))', which is not \(kind.name)", mark: event.mark)
            }
        default: break
        }
    }

    /// What YAML 1.2's core schema accepts under each scalar tag.
    private struct ScalarKind: Sendable {
        let name: String
        let fits: @Sendable (String) -> Bool
    }

    private static let scalarKinds: [String: ScalarKind] = [
        "tag:yaml.org,2002:int": ScalarKind(name: "an integer") { value in
            let digits = value.first == "-" || value.first == "+" ? value.dropFirst() : Substring(value)
            if digits.hasPrefix("0x") { return digits.count > 2 && digits.dropFirst(2).allSatisfy(\.isHexDigit) }
            if digits.hasPrefix("0o") { return digits.count > 2 && digits.dropFirst(2).allSatisfy { ("0"..."7").contains($0) } }
            return !digits.isEmpty && digits.allSatisfy(\.isASCIIDigit)
        },
        "tag:yaml.org,2002:float": ScalarKind(name: "a number") { value in
            [".inf", "-.inf", "+.inf", ".Inf", "-.Inf", "+.Inf", ".INF", "-.INF", "+.INF", ".nan", ".NaN", ".NAN"].contains(value)
                || (Double(value) != nil && value.allSatisfy { $0.isASCIIDigit || "+-.eE".contains($0) })
        },
        "tag:yaml.org,2002:bool": ScalarKind(name: "true or false") {
            ["true", "True", "TRUE", "false", "False", "FALSE"].contains($0)
        },
        "tag:yaml.org,2002:null": ScalarKind(name: "null") { ["", "~", "null", "Null", "NULL"].contains($0) },
    ]

    /// Adds a finished node to the open collection (or makes it the root). `counted` is true when
    /// the node's own nodes were already counted while its children arrived.
    private mutating func add(_ node: YAMLNode, count: Int, anchor: String?, at mark: YAMLMark,
                              counted: Bool = false) throws(YAMLError) {
        if !counted {
            totalNodes += count
        } else {
            totalNodes += 1
        }
        guard totalNodes <= limits.maxNodes else { throw .tooManyNodes(limit: limits.maxNodes, mark: mark) }
        if let anchor { anchors[anchor] = (node, count, anchorLines[anchor] ?? mark.line) }
        guard !stack.isEmpty else {
            root = node
            return
        }
        stack[stack.count - 1].nodeCount += count
        try attach(node, at: mark)
    }

    private mutating func attach(_ node: YAMLNode, at mark: YAMLMark) throws(YAMLError) {
        var frame = stack.removeLast()
        defer { stack.append(frame) }
        guard frame.isMapping else {
            frame.items.append(node)
            return
        }
        guard let key = frame.pendingKey else {
            guard case .scalar(let scalar) = node else { throw .complexKey(mark: mark) }
            frame.pendingKey = scalar
            return
        }
        frame.pendingKey = nil
        if key.style == .plain, key.value == "<<", key.tag == nil || key.tag == "tag:yaml.org,2002:merge" {
            frame.merges.append((node, key.mark))
            return
        }
        if let first = frame.keyMarks[key.value] {
            throw .duplicateKey(key: key.value, mark: key.mark, first: first)
        }
        frame.keyMarks[key.value] = key.mark
        frame.pairs.append(YAMLPair(key: key, value: node))
    }

    /// The mapping's own pairs followed by merged ones it does not override (YAML 1.1 merge keys).
    private func merged(_ frame: Frame) throws(YAMLError) -> [YAMLPair] {
        var pairs = frame.pairs
        var seen = Set(frame.keyMarks.keys)
        for (value, mark) in frame.merges {
            let sources: [YAMLNode]
            switch value {
            case .mapping: sources = [value]
            case .sequence(let items, _): sources = items
            case .scalar: throw .badMerge(mark: mark)
            }
            for source in sources {
                guard case .mapping(let sourcePairs, _) = source else { throw .badMerge(mark: mark) }
                for pair in sourcePairs where seen.insert(pair.key.value).inserted {
                    pairs.append(pair)
                }
            }
        }
        return pairs
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
