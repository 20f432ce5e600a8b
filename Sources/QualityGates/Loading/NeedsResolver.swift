/// Turns `needs` names into references (`name` in the same gate, or `gate_id/name`) and refuses
/// names that match no check and chains that loop.
enum NeedsResolver {
    static func resolve(_ gates: [(id: String, checks: [LoadedCheck])], broken: Set<CheckReference> = [],
                        errors: inout [ConfigError]) -> [String: [ConfiguredCheck]] {
        let known = Set(gates.flatMap { gate in gate.checks.map { CheckReference(gate: gate.id, check: $0.configured.name) } })
        var resolved: [String: [ConfiguredCheck]] = [:]
        var edges: [CheckReference: [CheckReference]] = [:]
        var places: [CheckReference: SourceLocation] = [:]
        for gate in gates {
            resolved[gate.id] = gate.checks.map { loaded in
                let me = CheckReference(gate: gate.id, check: loaded.configured.name)
                var references: [CheckReference] = []
                for need in loaded.needs {
                    guard let reference = reference(need.name, in: gate.id, known: known) else {
                        // A check that failed to load has its own error already.
                        if self.reference(need.name, in: gate.id, known: broken) != nil { continue }
                        let candidates = gate.checks.map(\.configured.name) + known.map(\.description)
                        errors.append(ConfigError(.unknownNeed(need.name, suggestion: Suggestion.closest(to: need.name, in: candidates)),
                                                  at: need.location))
                        continue
                    }
                    references.append(reference)
                    places[me] = places[me] ?? need.location
                }
                edges[me] = references
                return loaded.configured.with(needs: references)
            }
        }
        if let cycle = firstCycle(edges, order: gates.flatMap { g in g.checks.map { CheckReference(gate: g.id, check: $0.configured.name) } }) {
            errors.append(ConfigError(.needsCycle(cycle.map(\.description)), at: places[cycle[0]]))
        }
        return resolved
    }

    private static func reference(_ name: String, in gate: String, known: Set<CheckReference>) -> CheckReference? {
        let local = CheckReference(gate: gate, check: name)
        if known.contains(local) { return local }
        guard let slash = name.firstIndex(of: "/") else { return nil }
        let qualified = CheckReference(gate: String(name[..<slash]), check: String(name[name.index(after: slash)...]))
        return known.contains(qualified) ? qualified : nil
    }

    /// The first cycle found by a depth-first walk, as a path that ends where it starts.
    private static func firstCycle(_ edges: [CheckReference: [CheckReference]], order: [CheckReference]) -> [CheckReference]? {
        var state: [CheckReference: Bool] = [:] // false: on the current path, true: finished
        var path: [CheckReference] = []
        func visit(_ node: CheckReference) -> [CheckReference]? {
            if state[node] == true { return nil }
            if state[node] == false, let start = path.firstIndex(of: node) { return Array(path[start...]) + [node] }
            state[node] = false
            path.append(node)
            for next in edges[node] ?? [] {
                if let cycle = visit(next) { return cycle }
            }
            path.removeLast()
            state[node] = true
            return nil
        }
        for node in order {
            if let cycle = visit(node) { return cycle }
        }
        return nil
    }
}

extension ConfiguredCheck {
    func with(needs: [CheckReference]) -> ConfiguredCheck {
        var copy = ConfiguredCheck(name: name, kind: kind, check: check, targets: targets, timeout: timeout, retries: retries,
                                   needs: needs, location: location, level: level, warnVariant: warnVariant)
        copy.flap = flap
        return copy
    }
}
