/// The revisions of a versions folder as a graph, checked as Alembic would: heads are the
/// revisions no other revision names as its down_revision. Iterative throughout, so a chain of
/// 50,000 revisions needs no deep stack.
public struct RevisionGraph: Sendable {
    public let revisions: [AlembicRevision]
    public let byID: [String: AlembicRevision]
    /// Problems that make the graph unusable: duplicate ids, unknown down_revisions, cycles.
    public let problems: [String]
    /// The heads, in file order.
    public let heads: [AlembicRevision]

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

    /// Every revision `ids` stand on, themselves included.
    public func ancestry(of ids: [String]) -> Set<String> {
        var seen = Set<String>()
        var stack = ids
        while let id = stack.popLast() {
            guard seen.insert(id).inserted else { continue }
            stack += byID[id]?.downRevisions ?? []
        }
        return seen
    }

    /// The revisions between `current` and the heads, oldest first.
    public func pending(from current: [String]) -> [AlembicRevision] {
        let done = ancestry(of: current)
        let wanted = ancestry(of: heads.map(\.id)).subtracting(done)
        // Oldest first: a revision comes after everything it stands on.
        var depth: [String: Int] = [:]
        func depthOf(_ id: String) -> Int {
            var stack = [id]
            while let top = stack.last {
                if depth[top] != nil { stack.removeLast(); continue }
                let parents = (byID[top]?.downRevisions ?? []).filter { byID[$0] != nil }
                let unknown = parents.filter { depth[$0] == nil }
                if unknown.isEmpty {
                    depth[top] = (parents.map { depth[$0]! }.max() ?? -1) + 1
                    stack.removeLast()
                } else {
                    stack += unknown
                }
            }
            return depth[id]!
        }
        return wanted.compactMap { byID[$0] }.sorted { (depthOf($0.id), $0.id) < (depthOf($1.id), $1.id) }
    }
}
