/// What loading needs to know beyond the files: the variables, and which checks will run (only
/// those need their variables set; the others are read leniently so that, say, a build run does
/// not need the staging database's URL).
public struct LoadOptions: Sendable {
    /// The variables `${VAR}` expands from.
    public var environment: Environment
    /// The target the run executes; nil when nothing will run (list, explain).
    public var target: Target?
    /// The gates the run selects.
    public var selection: GateSelection

    /// Options; by default nothing runs and every gate is selected.
    public init(environment: Environment, target: Target? = nil, selection: GateSelection = GateSelection()) {
        self.environment = environment
        self.target = target
        self.selection = selection
    }
}

/// `--only` and `--skip`: which gates a run includes.
public struct GateSelection: Sendable {
    /// When set, only these gate ids.
    public var only: Set<String>?
    /// Gate ids left out.
    public var skip: Set<String>

    /// A selection; by default, every gate.
    public init(only: Set<String>? = nil, skip: Set<String> = []) {
        self.only = only
        self.skip = skip
    }

    /// Whether the gate with `id` is in the run.
    public func includes(_ id: String) -> Bool {
        (only?.contains(id) ?? true) && !skip.contains(id)
    }
}
