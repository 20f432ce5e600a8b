/// The revisions of a versions folder as a graph, checked as Alembic would: heads are the
/// revisions no other revision names as its down_revision. Iterative throughout, so a chain of
/// 50,000 revisions needs no deep stack.
public struct RevisionGraph: Sendable {
    public let revisions: [AlembicRevision]
    public let byID: [String: AlembicRevision]
    /// Problems that make the graph unusable: duplicate ids, unknown down_revisions, cycles.
    public let problems: [String]
    /// The heads, in file order: revisions no other names as its down_revision (a `depends_on`
    /// does not make its target stop being a head, in Alembic's `get_heads` either).
    public let heads: [AlembicRevision]
    /// Each revision's `depends_on`, resolved to revision ids (a branch label names the revision
    /// that carries it).
    public let dependencies: [String: [String]]

    public init(_ revisions: [AlembicRevision]) {
        // Files arrive in directory order; reports list revisions in file order.
        let revisions = revisions.sorted { $0.file < $1.file }
        self.revisions = revisions
        var byID: [String: AlembicRevision] = [:]
        var index: [String: Int] = [:]
        byID.reserveCapacity(revisions.count)
        index.reserveCapacity(revisions.count)
        var problems: [String] = []
        for (position, revision) in revisions.enumerated() {
            if let first = byID[revision.id] {
                problems.append("revision \(revision.id) is defined twice: \(first.file) and \(revision.file)")
            } else {
                byID[revision.id] = revision
                index[revision.id] = position
            }
        }
        // Parents as positions: the graph walks below use arrays, not hashing.
        var parents = [[Int]](repeating: [], count: revisions.count)
        var hasChild = [Bool](repeating: false, count: revisions.count)
        for (position, revision) in revisions.enumerated() where index[revision.id] == position {
            for parent in revision.downRevisions {
                guard let parentPosition = index[parent] else {
                    problems.append("\(revision.file):\(revision.line): down_revision \(parent) names no revision")
                    continue
                }
                parents[position].append(parentPosition)
                hasChild[parentPosition] = true
            }
        }
        self.byID = byID
        var labels: [String: String] = [:]
        for revision in revisions { for label in revision.branchLabels { labels[label] = revision.id } }
        let labelsUnknown = revisions.contains { !$0.branchLabelsKnown }
        var dependencies: [String: [String]] = [:]
        for revision in revisions where !revision.dependsOn.isEmpty {
            var resolved: [String] = []
            for target in revision.dependsOn {
                if byID[target] != nil {
                    resolved.append(target)
                } else if let labelled = labels[target] {
                    resolved.append(labelled)
                } else if !labelsUnknown {
                    // Alembic stops here too (a KeyError while it maps the dependencies).
                    problems.append("\(revision.file):\(revision.line): depends_on \(target) names no revision or branch label")
                }
            }
            dependencies[revision.id] = resolved
        }
        self.dependencies = dependencies
        heads = revisions.indices.filter { index[revisions[$0].id] == $0 && !hasChild[$0] }.map { revisions[$0] }
        if let cycle = Self.cycle(parents) { problems.append("down_revision forms a cycle: \(cycle.map { revisions[$0].id }.joined(separator: " -> "))") }
        self.problems = problems
    }

    /// A cycle found by Kahn's algorithm: what cannot be ordered from the bases up lies on or
    /// behind one; walking parents from there names it.
    private static func cycle(_ parents: [[Int]]) -> [Int]? {
        var unresolved = parents.map(\.count)
        var children = [[Int]](repeating: [], count: parents.count)
        for (child, list) in parents.enumerated() { for parent in list { children[parent].append(child) } }
        var ready = unresolved.indices.filter { unresolved[$0] == 0 }
        var resolved = 0
        while let node = ready.popLast() {
            resolved += 1
            unresolved[node] = -1
            for child in children[node] {
                unresolved[child] -= 1
                if unresolved[child] == 0 { ready.append(child) }
            }
        }
        guard resolved < parents.count, let start = unresolved.indices.first(where: { unresolved[$0] > 0 }) else { return nil }
        var path = [start]
        var seen: Set<Int> = [start]
        var current = start
        while let next = parents[current].first(where: { unresolved[$0] > 0 }) {
            path.append(next)
            if !seen.insert(next).inserted { return Array(path[path.firstIndex(of: next)!...]) }
            current = next
        }
        return path
    }

    /// What a revision needs applied first: its down_revisions and what it depends on.
    public func prerequisites(of id: String) -> [String] {
        (byID[id]?.downRevisions ?? []) + (dependencies[id] ?? [])
    }

    /// Every revision `ids` stand on, through down_revision and depends_on, themselves included:
    /// what `alembic upgrade` applies to reach them.
    public func ancestry(of ids: [String]) -> Set<String> {
        var seen = Set<String>()
        var stack = ids
        while let id = stack.popLast() {
            guard seen.insert(id).inserted else { continue }
            stack += prerequisites(of: id)
        }
        return seen
    }

    /// The revisions between `current` and the heads, oldest first: what `alembic upgrade heads`
    /// applies, dependencies included.
    public func pending(from current: [String]) -> [AlembicRevision] {
        let done = ancestry(of: current)
        let wanted = ancestry(of: heads.map(\.id)).subtracting(done)
        let depth = depths()
        return wanted.compactMap { byID[$0] }.sorted { (depth[$0.id] ?? 0, $0.id) < (depth[$1.id] ?? 0, $1.id) }
    }

    /// Each revision's longest path from a base over its prerequisites (Kahn's algorithm: linear,
    /// where following parents from every revision could be exponential in a graph of merges).
    func depths() -> [String: Int] {
        var remaining: [String: Int] = [:]
        var children: [String: [String]] = [:]
        for id in byID.keys {
            let prerequisites = Set(prerequisites(of: id).filter { byID[$0] != nil })
            remaining[id] = prerequisites.count
            for prerequisite in prerequisites { children[prerequisite, default: []].append(id) }
        }
        var depth: [String: Int] = [:]
        var ready = remaining.filter { $0.value == 0 }.map(\.key)
        for id in ready { depth[id] = 0 }
        while let id = ready.popLast() {
            for child in children[id] ?? [] {
                depth[child] = max(depth[child] ?? 0, depth[id]! + 1)
                remaining[child]! -= 1
                if remaining[child] == 0 { ready.append(child) }
            }
        }
        return depth
    }
}
