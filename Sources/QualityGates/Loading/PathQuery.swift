import ProjectFiles

/// Where a check finds an input in the project: one path or a list of candidates, each a plain
/// path or a glob (`**/railway.toml`, `NestSync-backend/requirements*.txt`), with the `exclude`
/// and `optional` keys of the check. A kind says whether it takes the first match or every match.
struct PathQuery: Sendable {
    /// The parameter the paths were given in (`file`, `sdl`, `documents`).
    let key: String
    let patterns: [PathPattern]
    let excluded: [PathPattern]
    /// When nothing matches: skipped (true) or errored (false).
    let optional: Bool
    /// What to do about it, when the kind knows (how to export a schema).
    var hint: String?

    /// The patterns as written, each once, for messages.
    var written: String {
        var seen: Set<String> = []
        return patterns.map(\.source).filter { seen.insert($0).inserted }.joined(separator: ", ")
    }

    /// Every match, or the result that ends the check when there is none: an error that names the
    /// patterns and the folder searched, or, for an `optional` input, a skip that says the same.
    /// Globs keep only matches of `kinds`; a plain path is handed on whatever it is, so that its
    /// reader can say what is wrong with it.
    func find(_ context: CheckContext, kinds: Set<FileSystem.Kind> = [.file]) throws(CheckStop) -> [PathFinder.Match] {
        let found = try search(context, kinds: kinds)
        guard found.isEmpty else { return found }
        throw CheckStop(nothingFound(in: context))
    }

    /// Every match, possibly none; only a search that cannot finish ends the check.
    func search(_ context: CheckContext, kinds: Set<FileSystem.Kind> = [.file]) throws(CheckStop) -> [PathFinder.Match] {
        let finder = context.finder(excluding: excluded)
        do {
            return try finder.find(patterns).filter { match in
                kinds.contains(match.kind) || patterns.contains { $0.isLiteral && $0.source == match.path }
            }
        } catch {
            throw CheckStop(.errored(error.description))
        }
    }

    /// The first match, or the result that ends the check.
    func first(_ context: CheckContext, kinds: Set<FileSystem.Kind> = [.file]) throws(CheckStop) -> PathFinder.Match {
        try find(context, kinds: kinds)[0]
    }

    /// Nothing matched: where it looked, and what to do.
    func nothingFound(in context: CheckContext) -> CheckResult {
        let what = Set(patterns.map(\.source)).count == 1 ? (patterns[0].isLiteral ? "\(written) does not exist" : "nothing matches \(written)")
                                       : "nothing matches any of \(written)"
        let place = "\(what) (\(key), looked in the project root \(context.projectRoot.path))"
        return optional ? CheckResult.skipped(.optionalInputAbsent, "optional input absent: \(place)" + (hint.map { "; \($0)" } ?? ""))
                        : .errored("\(place); " + (hint ?? "give the path where this project keeps it, or mark the check `optional: true`"))
    }
}

extension CheckParameters {
    /// The paths of `key` (a string or a list), with the check's `optional` and `exclude`; nil when
    /// absent. A glob that could leave the project root is refused here, so `lint` finds it.
    mutating func paths(_ key: String) throws(ConfigError) -> PathQuery? {
        guard let written = try strings(key) else { return nil }
        return try pathQuery(key, written)
    }

    /// The paths of `key`, which must be given.
    mutating func requiredPaths(_ key: String) throws(ConfigError) -> PathQuery {
        guard let query = try paths(key) else { throw ConfigError(.missingKey(key), at: location) }
        guard !query.patterns.isEmpty || isLenient else { throw invalid(key, "must not be empty") }
        return query
    }

    /// A query from paths given some other way (a `sources` entry), with the check's `optional` and `exclude`.
    mutating func pathQuery(_ key: String, _ written: [String]) throws(ConfigError) -> PathQuery {
        var patterns: [PathPattern] = []
        for text in written where !(text.isEmpty && isLenient) {
            do {
                patterns.append(try PathPattern(text))
            } catch {
                throw invalid(key, error.reason)
            }
        }
        return PathQuery(key: key, patterns: patterns, excluded: try excludedPaths(), optional: try bool("optional") ?? false, hint: nil)
    }

    private mutating func excludedPaths() throws(ConfigError) -> [PathPattern] {
        var excluded: [PathPattern] = []
        for text in try strings("exclude") ?? [] {
            do {
                excluded.append(try PathPattern(text))
            } catch {
                throw invalid("exclude", error.reason)
            }
        }
        return excluded
    }
}

extension ParameterDoc {
    /// `optional`, shared by every kind that reads project files.
    static let optional = ParameterDoc("optional", "boolean",
                                       "When nothing matches the paths (or, for `config`, nothing declares the key), skip the check with the reason instead of erroring. Default false.")
    /// `exclude`, shared by every kind that searches with globs.
    static let exclude = ParameterDoc("exclude", "list of paths",
                                      "Paths left out of the globs' matches: a whole path (`legacy/**`) or a bare name matched at any depth (`__generated__`, `*.test.ts`).")

    /// The text every path parameter adds to its summary.
    static let pathForms = "A path relative to the project root, a glob (`*`, `**`, `?`, `[…]`, `{a,b}`) or a list of candidates"
}
