/// The revisions of a versions folder as a graph, checked as Alembic would: heads are the
/// revisions no other revision names as its down_revision. Iterative throughout, so a chain of
/// 50,000 revisions needs no deep stack.
struct RevisionGraph {
    let revisions: [AlembicRevision]
    let byID: [String: AlembicRevision]
    /// Problems that make the graph unusable: duplicate ids, unknown down_revisions, cycles.
    let problems: [String]
    /// The heads, in file order.
    let heads: [AlembicRevision]

    init(_ revisions: [AlembicRevision]) {
        self.revisions = revisions
        var byID: [String: AlembicRevision] = [:]
        var problems: [String] = []
        for revision in revisions {
            if let first = byID[revision.id] {
                problems.append("revision \(revision.id) is defined twice: \(first.file) and \(revision.file)")
            } else {
                byID[revision.id] = revision
            }
        }
        var hasChild = Set<String>()
        for revision in revisions {
            for parent in revision.downRevisions {
                if byID[parent] == nil {
                    problems.append("\(revision.file):\(revision.line): down_revision \(parent) names no revision")
                }
                hasChild.insert(parent)
            }
        }
        self.byID = byID
        heads = revisions.filter { !hasChild.contains($0.id) && byID[$0.id]?.file == $0.file }
        if let cycle = Self.cycle(revisions, byID: byID) { problems.append("down_revision forms a cycle: \(cycle.joined(separator: " -> "))") }
        self.problems = problems
    }

    /// A cycle found by Kahn's algorithm: what cannot be ordered from the bases up lies on or
    /// behind one; the walk from one such revision names it.
    private static func cycle(_ revisions: [AlembicRevision], byID: [String: AlembicRevision]) -> [String]? {
        var unresolved: [String: Int] = [:]
        var children: [String: [String]] = [:]
        for revision in byID.values {
            let known = revision.downRevisions.filter { byID[$0] != nil }
            unresolved[revision.id] = known.count
            for parent in known { children[parent, default: []].append(revision.id) }
        }
        var ready = unresolved.filter { $0.value == 0 }.map(\.key)
        while let id = ready.popLast() {
            unresolved[id] = nil
            for child in children[id] ?? [] {
                unresolved[child]! -= 1
                if unresolved[child] == 0 { ready.append(child) }
            }
        }
        guard let start = unresolved.keys.sorted().first else { return nil }
        var path = [start]
        var seen: Set<String> = [start]
        var current = start
        while let next = byID[current]?.downRevisions.first(where: { unresolved[$0] != nil }) {
            path.append(next)
            if !seen.insert(next).inserted { return Array(path[path.firstIndex(of: next)!...]) }
            current = next
        }
        return path
    }

    /// Every revision `ids` stand on, themselves included.
    func ancestry(of ids: [String]) -> Set<String> {
        var seen = Set<String>()
        var stack = ids
        while let id = stack.popLast() {
            guard seen.insert(id).inserted else { continue }
            stack += byID[id]?.downRevisions ?? []
        }
        return seen
    }

    /// The revisions between `current` and the heads, oldest first.
    func pending(from current: [String]) -> [AlembicRevision] {
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
