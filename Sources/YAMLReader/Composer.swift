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
    private var anchors: [String: (node: YAMLNode, count: Int)] = [:]
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
            try add(target.node, count: target.count, anchor: nil, at: event.mark)
        case .sequenceStart, .mappingStart:
            try checkTag(event)
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
        if let tag = event.tag, !Self.coreTags.contains(tag) {
            throw .unknownTag(tag: tag.replacingPrefix("tag:yaml.org,2002:", with: "!!"), mark: event.mark)
        }
    }

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
        if let anchor { anchors[anchor] = (node, count) }
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
