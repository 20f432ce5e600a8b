import YAMLReader

/// A check as read from a gate file, before `needs` are resolved across gates.
struct LoadedCheck {
    var configured: ConfiguredCheck
    var needs: [(name: String, location: SourceLocation)]
}

/// Reads one entry of a gate's `checks` list: the keys every check shares, then the kind's own.
struct CheckLoader {
    static let commonKeys = ["name", "kind", "targets", "timeout", "retries", "needs", "severity", "warn", "fail"]
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
        // Flap control's keys, unless the kind has a parameter of that name (error_rate's consecutive).
        let flapKeys = ["consecutive", "m_of_n"].filter { key in !description.parameters.contains { $0.name == key } }
        let commonKeys = Self.commonKeys + flapKeys
        errors += map.unknownKeys(allowed: commonKeys + description.parameters.map(\.name))
        let targets = try self.targets(map, default: description.defaultTargets)
        let runs = options.target.map { targets.contains($0) } ?? false && options.selection.includes(gateID)
        // A threshold written with its tiers in place (`latency: {warn: p95 < 1500, fail: p95 < 2000}`)
        // is its fail value, plus a warn: override.
        let (own, tierWarnings) = try Self.splittingTiers(map.pairs.filter { !commonKeys.contains($0.key.value) },
                                                          thresholds: description.thresholds, file: file)
        let mode: Interpolator.Mode = runs ? .strict : .lenient
        let failOverrides = try thresholdOverrides(map, key: "fail", description: description, own: own)
        var parameters = CheckParameters(pairs: Self.overriding(own, with: failOverrides), file: file, location: place,
                                         interpolator: interpolator, mode: mode)
        let check = try type.init(&parameters)
        var warnVariant: (any Check)?
        let written = try thresholdOverrides(map, key: "warn", description: description, own: own)
        if let clash = tierWarnings.first(where: { tier in written?.contains { $0.key.value == tier.key.value } == true }) {
            throw ConfigError(.invalidValue(key: clash.key.value, reason: "has a warn tier both in place and under warn:; keep one"),
                              at: SourceLocation(file: file, mark: clash.key.mark))
        }
        let warnOverrides = written.map { $0 + tierWarnings } ?? (tierWarnings.isEmpty ? nil : tierWarnings)
        if let warnOverrides {
            var warnParameters = CheckParameters(pairs: Self.overriding(Self.overriding(own, with: failOverrides), with: warnOverrides),
                                                 file: file, location: place, interpolator: interpolator, mode: mode)
            warnVariant = try type.init(&warnParameters)
        }
        let level: CheckLevel
        switch try map.string("severity") {
        case nil, "block"?: level = .block
        case "warn"?: level = .warn
        case let other?:
            throw ConfigError(.invalidValue(key: "severity", reason: "'\(other)' is not a check severity: write warn (never blocks) or block (the default); P0-P3 belong to the gate"),
                              at: map.location("severity"))
        }
        var common = CheckParameters(pairs: map.pairs.filter { ["timeout", "retries"].contains($0.key.value) },
                                     file: file, location: place, interpolator: interpolator, mode: runs ? .strict : .lenient)
        let timeout = try common.seconds("timeout") ?? Self.defaultTimeout
        let retries = try common.number("retries").map { value throws(ConfigError) -> Int in
            guard value == value.rounded(), value <= 10 else { throw common.invalid("retries", "must be a whole number from 0 to 10") }
            return Int(value)
        } ?? 0
        let needs = try map.strings("needs") ?? []
        var configured = ConfiguredCheck(name: name, kind: kind, check: check, targets: targets, timeout: timeout,
                                         retries: retries, needs: [], location: place, level: level, warnVariant: warnVariant)
        configured.flap = try Self.flapControl(map, keys: flapKeys, file: file, interpolator: interpolator, runs: runs)
        return LoadedCheck(configured: configured, needs: needs.map { (name: $0.0, location: $0.1) })
    }

    /// The pairs of `warn:` or `fail:`: a mapping of the kind's threshold parameters.
    private func thresholdOverrides(_ map: MappingReader, key: String, description: CheckDescription, own: [YAMLPair]) throws(ConfigError) -> [YAMLPair]? {
        guard let node = map.node(key) else { return nil }
        guard !description.thresholds.isEmpty else {
            throw ConfigError(.invalidValue(key: key, reason: "\(description.kind) has no thresholds to \(key) at; write `severity: warn` to make the whole check a warning"),
                              at: map.location(key))
        }
        guard case .mapping(let pairs, _) = node else {
            throw ConfigError(.wrongType(key: key, expected: "a mapping of \(description.thresholds.joined(separator: ", "))", found: node.shapeName),
                              at: map.location(key))
        }
        for pair in pairs {
            guard description.thresholds.contains(pair.key.value) else {
                throw ConfigError(.unknownKey(pair.key.value, suggestion: Suggestion.closest(to: pair.key.value, in: description.thresholds),
                                              allowed: description.thresholds), at: SourceLocation(file: file, mark: pair.key.mark))
            }
            if key == "fail", own.contains(where: { $0.key.value == pair.key.value }) {
                throw ConfigError(.invalidValue(key: pair.key.value, reason: "given both beside fail: and inside it; keep one"),
                                  at: SourceLocation(file: file, mark: pair.key.mark))
            }
        }
        return pairs
    }

    /// `consecutive: N` or `m_of_n: [M, N]`, when the check has one (not both).
    static func flapControl(_ map: MappingReader, keys: [String], file: String, interpolator: Interpolator, runs: Bool) throws(ConfigError) -> FlapControl? {
        var parameters = CheckParameters(pairs: map.pairs.filter { keys.contains($0.key.value) }, file: file,
                                         location: SourceLocation(file: file, mark: YAMLMark(line: 0, column: 0)),
                                         interpolator: interpolator, mode: runs ? .strict : .lenient)
        let consecutive = keys.contains("consecutive") ? try parameters.number("consecutive") : nil
        let mOfN = keys.contains("m_of_n") ? try parameters.strings("m_of_n") : nil
        if consecutive != nil, mOfN != nil {
            throw parameters.invalid("m_of_n", "give consecutive or m_of_n, not both")
        }
        if let consecutive {
            guard consecutive == consecutive.rounded(), (1...100).contains(consecutive) else {
                throw parameters.invalid("consecutive", "must be a whole number of runs from 1 to 100")
            }
            return .consecutive(Int(consecutive))
        }
        if let mOfN {
            let numbers = mOfN.compactMap { Int($0) }
            guard numbers.count == 2, numbers.count == mOfN.count, numbers[0] >= 1, numbers[0] <= numbers[1], numbers[1] <= 100 else {
                throw parameters.invalid("m_of_n", "write [M, N]: block when M of the last N runs (this one included) failed, 1 ≤ M ≤ N ≤ 100")
            }
            return .mOfN(numbers[0], numbers[1])
        }
        return nil
    }

    /// The check's own pairs with each threshold written as `{warn: …, fail: …}` replaced by its
    /// fail value (or left out when it has only a warn tier), and the warn values apart.
    static func splittingTiers(_ pairs: [YAMLPair], thresholds: [String], file: String) throws(ConfigError) -> ([YAMLPair], [YAMLPair]) {
        var own: [YAMLPair] = []
        var warnings: [YAMLPair] = []
        for pair in pairs {
            guard thresholds.contains(pair.key.value), case .mapping(let tiers, _) = pair.value,
                  !tiers.isEmpty, tiers.allSatisfy({ ["warn", "fail"].contains($0.key.value) }) else {
                own.append(pair)
                continue
            }
            for tier in tiers {
                let moved = YAMLPair(key: pair.key, value: tier.value)
                if tier.key.value == "warn" { warnings.append(moved) } else { own.append(moved) }
            }
        }
        return (own, warnings)
    }

    /// `pairs` with the keys of `overrides` replaced (or added).
    static func overriding(_ pairs: [YAMLPair], with overrides: [YAMLPair]?) -> [YAMLPair] {
        guard let overrides else { return pairs }
        return pairs.filter { pair in !overrides.contains { $0.key.value == pair.key.value } } + overrides
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
