import YAMLReader

/// A check as read from a gate file, before `needs` are resolved across gates.
struct LoadedCheck {
    var configured: ConfiguredCheck
    var needs: [(name: String, location: SourceLocation)]
}

/// Reads one entry of a gate's `checks` list: the keys every check shares, then the kind's own.
struct CheckLoader {
    static let commonKeys = ["name", "kind", "targets", "timeout", "retries", "needs"]
    static let defaultTimeout = 30.0

    let file: String
    let interpolator: Interpolator
    let options: LoadOptions

    func load(_ node: YAMLNode, gateID: String, errors: inout [ConfigError]) -> LoadedCheck? {
        do {
            return try loadThrowing(node, gateID: gateID, errors: &errors)
        } catch {
            errors.append(error)
            return nil
        }
    }

    private func loadThrowing(_ node: YAMLNode, gateID: String, errors: inout [ConfigError]) throws(ConfigError) -> LoadedCheck? {
        let map = try MappingReader(node, file: file, what: "a check")
        let place = SourceLocation(file: file, mark: node.mark)
        let name = try map.requiredString("name", at: place)
        let kind = try map.requiredString("kind", at: place)
        guard let type = CheckRegistry.type(of: kind) else {
            throw ConfigError(.unknownKind(kind, suggestion: Suggestion.closest(to: kind, in: CheckRegistry.kinds)),
                              at: map.location("kind"))
        }
        let description = type.description
        errors += map.unknownKeys(allowed: Self.commonKeys + description.parameters.map(\.name))
        let targets = try self.targets(map, default: description.defaultTargets)
        let runs = options.target.map { targets.contains($0) } ?? false && options.selection.includes(gateID)
        var parameters = CheckParameters(
            pairs: map.pairs.filter { !Self.commonKeys.contains($0.key.value) }, file: file, location: place,
            interpolator: interpolator, mode: runs ? .strict : .lenient)
        let check = try type.init(&parameters)
        var common = CheckParameters(pairs: map.pairs.filter { ["timeout", "retries"].contains($0.key.value) },
                                     file: file, location: place, interpolator: interpolator, mode: runs ? .strict : .lenient)
        let timeout = try common.seconds("timeout") ?? Self.defaultTimeout
        let retries = try common.number("retries").map { value throws(ConfigError) -> Int in
            guard value == value.rounded(), value <= 10 else { throw common.invalid("retries", "must be a whole number from 0 to 10") }
            return Int(value)
        } ?? 0
        let needs = try map.strings("needs") ?? []
        let configured = ConfiguredCheck(name: name, kind: kind, check: check, targets: targets, timeout: timeout,
                                         retries: retries, needs: [], location: place)
        return LoadedCheck(configured: configured, needs: needs.map { (name: $0.0, location: $0.1) })
    }

    private func targets(_ map: MappingReader, default defaults: Set<Target>) throws(ConfigError) -> Set<Target> {
        guard let written = try map.strings("targets") else { return defaults }
        var targets: Set<Target> = []
        for (text, location) in written {
            guard let target = Target(rawValue: text) else {
                throw ConfigError(.invalidValue(key: "targets", reason: "'\(text)' is not a target (build, staging)"), at: location)
            }
            targets.insert(target)
        }
        return targets
    }
}
