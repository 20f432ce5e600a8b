import ProjectFiles

/// `quality-gates [run] --option value …` read without ArgumentParser when every argument is one
/// `run` takes, in a plain form, with a valid value: ArgumentParser's reflection over the command
/// and its option groups cost a quarter of a whole build-target run. Anything else (help, a typo,
/// a value that does not parse, an option given twice) goes through ArgumentParser, which says
/// what is wrong exactly as it always has. A test keeps this list equal to `run --help`'s.
public enum RunArguments {
    /// The options `run` takes, with whether each may repeat.
    public static let options: [String: Bool] = [
        "config": true, "env-file": true, "target": false, "project-root": false, "fail-on": false, "only": false, "skip": false,
        "jobs": false, "deadline": false, "junit": false, "json": false, "markdown": false, "history": false,
        "history-retention": false, "cache": false, "sarif": false, "gitlab-codequality": false, "html": false,
    ]

    /// The settings the arguments give, or nil to let ArgumentParser read them.
    public static func settings(_ arguments: [String], tool: String) -> RunSession.Settings? {
        var rest = arguments[...]
        if rest.first == "run" { rest = rest.dropFirst() }
        var values: [String: [String]] = [:]
        while let argument = rest.first {
            rest = rest.dropFirst()
            guard argument.hasPrefix("--"), argument.count > 2 else { return nil }
            let name: String
            let value: String
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[argument.index(argument.startIndex, offsetBy: 2)..<equals])
                value = String(argument[argument.index(after: equals)...])
            } else {
                name = String(argument.dropFirst(2))
                guard let next = rest.first, !next.hasPrefix("-") else { return nil }
                value = next
                rest = rest.dropFirst()
            }
            guard let repeatable = options[name], repeatable || values[name] == nil, !value.isEmpty else { return nil }
            values[name, default: []].append(value)
        }
        var settings = RunSession.Settings()
        settings.configs = values["config"] ?? []
        settings.envFiles = values["env-file"] ?? []
        if let target = values["target"]?.first {
            guard let parsed = Target(rawValue: target) else { return nil }
            settings.target = parsed
        }
        if let root = values["project-root"]?.first {
            guard FileSystem.kind(of: root) == .directory else { return nil }
            settings.projectRoot = root
        } else {
            guard FileSystem.kind(of: ".") == .directory else { return nil }
        }
        if let failOn = values["fail-on"]?.first {
            guard let parsed = Severity(rawValue: failOn.uppercased()) else { return nil }
            settings.failOn = parsed
        }
        settings.selection = GateSelection(only: values["only"]?.first.map(ids), skip: values["skip"]?.first.map(ids) ?? [])
        if let jobs = values["jobs"]?.first {
            guard let parsed = Int(jobs), parsed >= 1 else { return nil }
            settings.jobs = parsed
        }
        if let deadline = values["deadline"]?.first {
            guard let parsed = Double(deadline), parsed > 0, parsed.isFinite else { return nil }
            settings.deadline = parsed
        }
        if let retention = values["history-retention"]?.first {
            guard let parsed = Int(retention) else { return nil }
            settings.historyRetention = parsed
        }
        settings.junit = values["junit"]?.first ?? settings.junit
        settings.json = values["json"]?.first ?? settings.json
        settings.markdown = values["markdown"]?.first ?? settings.markdown
        settings.history = values["history"]?.first ?? settings.history
        settings.cache = values["cache"]?.first
        settings.html = values["html"]?.first ?? settings.html
        settings.sarif = values["sarif"]?.first
        settings.gitlabCodeQuality = values["gitlab-codequality"]?.first
        settings.tool = tool
        return settings
    }

    /// Gate ids of `--only` and `--skip`: comma-separated, spaces around them ignored.
    public static func ids(_ text: String) -> Set<String> {
        Set(text.split(separator: ",").map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }.filter { !$0.isEmpty })
    }
}
