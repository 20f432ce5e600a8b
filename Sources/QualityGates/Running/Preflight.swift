/// Before a run: each check that will run looks at the project for configuration problems that
/// only the project can show, so they are configuration errors (exit 2, with the check's place)
/// rather than a red gate.
public enum Preflight {
    /// The problems of every check of `configuration` that runs with `options`.
    public static func problems(_ configuration: GateConfiguration, options: RunOptions) -> [ConfigError] {
        var byReference: [CheckReference: ConfiguredCheck] = [:]
        for gate in configuration.gates {
            for check in gate.checks { byReference[CheckReference(gate: gate.id, check: check.name)] = check }
        }
        var problems: [ConfigError] = []
        for gate in configuration.gates where options.selection.includes(gate.id) {
            for check in gate.checks where check.targets.contains(options.target) {
                var handedOn: Set<String> = []
                var pending = check.needs
                var seen: Set<CheckReference> = []
                while let need = pending.popLast() {
                    guard seen.insert(need).inserted, let needed = byReference[need] else { continue }
                    handedOn.formUnion(needed.check.exposes)
                    pending += needed.needs
                }
                let context = CheckContext(projectRoot: options.projectRoot, environment: options.environment, target: options.target,
                                           timeout: check.timeout)
                problems += check.check.preflight(context, handedOn: handedOn).map { message in
                    ConfigError(.invalidValue(key: "\(gate.id)/\(check.name)", reason: message), at: check.location)
                }
            }
        }
        return problems
    }
}
