/// Finds what path patterns name inside a project: plain paths as written, globs by walking the
/// folders under the project root without ever leaving it (a symbolic link that points outside is
/// passed over, and `**` does not follow links at all, so a link cycle cannot trap it).
public struct PathFinder: Sendable {
    /// A file or folder found.
    public struct Match: Sendable, Equatable {
        /// The path as messages show it: relative to the project root (a plain path as written).
        public let path: String
        /// What it is.
        public let kind: FileSystem.Kind
    }

    /// Folders `**` never walks into: dependencies and caches are not the project's own files.
    /// Hidden folders (`.git`, `.venv`) are passed over by the glob rules themselves.
    public static let skippedFolders: Set<String> = ["node_modules", "__pycache__", "site-packages", "bower_components", "venv"]
    /// Folder entries one search may look at: pointing `**` at a disk must end, with a message.
    public static let entryLimit = 200_000

    /// The project root as given.
    public let root: String
    /// Paths left out of every glob's matches (an entry without `/` matches a name at any depth).
    public let excluded: [PathPattern]
    /// `excluded` split once: entries matched against a name alone, and entries matched against
    /// a whole path. A folder excluded by name is not walked, so an entry's own name is enough.
    private let excludedNames: [PathPattern]
    private let excludedPaths: [PathPattern]
    private let realRoot: String
    private let entryLimit: Int
    /// Listings shared with the other searches of the run, when there is one.
    public let listings: FolderListings?

    /// A finder for the project at `root`.
    public init(root: String, excluding excluded: [PathPattern] = [], entryLimit: Int = PathFinder.entryLimit,
                listings: FolderListings? = nil) {
        self.root = root
        self.excluded = excluded
        self.entryLimit = entryLimit
        self.listings = listings
        excludedNames = excluded.filter(\.matchesAnyName)
        excludedPaths = excluded.filter { !$0.matchesAnyName }
        realRoot = FileSystem.realPath(root) ?? root
    }

    /// Every path the patterns name, in the order of the patterns; within a glob, shallower paths
    /// first, then by name. A path named twice is listed once.
    public func find(_ patterns: [PathPattern]) throws(PathSearchError) -> [Match] {
        var found: [Match] = []
        var seen: Set<String> = []
        var budget = entryLimit
        for pattern in patterns {
            for match in try find(pattern, budget: &budget) where seen.insert(match.path).inserted {
                found.append(match)
            }
        }
        return found
    }

    /// The absolute path of a match (or of any path relative to the root).
    public func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (root.hasSuffix("/") ? root + path : root + "/" + path)
    }

    private func find(_ pattern: PathPattern, budget: inout Int) throws(PathSearchError) -> [Match] {
        if pattern.isLiteral, case .literal(let path) = pattern.alternatives[0][0] {
            return FileSystem.kind(of: absolute(path)).map { [Match(path: path, kind: $0)] } ?? []
        }
        let key = listings.map { _ in ([root] + excluded.map(\.source) + [pattern.source]).joined(separator: "\u{0}") }
        if let key, let known = listings?.search(key) { return known }
        var matches: [Match] = []
        for segments in pattern.alternatives {
            try walk(segments, into: &matches, budget: &budget, pattern: pattern)
        }
        matches.sort { ($0.path.depth, $0.path) < ($1.path.depth, $1.path) }
        if let key { listings?.remember(key, matches) }
        return matches
    }

    /// Depth-first over (segment, folder) pairs with an explicit stack: no recursion, so a deep
    /// tree needs no deep stack.
    private func walk(_ segments: [PathPattern.Segment], into matches: inout [Match], budget: inout Int,
                      pattern: PathPattern) throws(PathSearchError) {
        var stack: [(segment: Int, folder: String)] = [(0, "")]
        while let (index, folder) = stack.popLast() {
            let last = index == segments.count - 1
            switch segments[index] {
            case .literal(let name):
                let path = join(folder, name)
                guard let kind = literal(name, in: folder, path: path), !isExcluded(name, in: folder) else { continue }
                if last { matches.append(Match(path: path, kind: kind)) } else if kind == .directory { stack.append((index + 1, path)) }
            case .glob(let glob):
                for found in try entries(of: folder, budget: &budget, pattern: pattern)
                where PathPattern.matchName(glob, Array(found.name.utf8)) {
                    let path = join(folder, found.name)
                    if last { matches.append(Match(path: path, kind: found.kind)) } else if found.kind == .directory { stack.append((index + 1, path)) }
                }
            case .anyDepth:
                if last {
                    // `dir/**`: everything below, files and folders.
                    var folders = [folder]
                    while let current = folders.popLast() {
                        for found in try entries(of: current, budget: &budget, pattern: pattern) where !found.name.hasPrefix(".") {
                            let path = join(current, found.name)
                            matches.append(Match(path: path, kind: found.kind))
                            if found.kind == .directory, walksInto(found.name, isLink: found.isLink) { folders.append(path) }
                        }
                    }
                    continue
                }
                stack.append((index + 1, folder))
                for found in try entries(of: folder, budget: &budget, pattern: pattern).reversed()
                where found.kind == .directory && !found.name.hasPrefix(".") && walksInto(found.name, isLink: found.isLink) {
                    stack.append((index, join(folder, found.name)))
                }
            }
        }
    }

    /// Whether `**` goes into this folder: not a skipped folder name, not a symbolic link.
    private func walksInto(_ name: String, isLink: Bool) -> Bool {
        !Self.skippedFolders.contains(name) && !isLink
    }

    /// What the name `name` in `folder` is, when it is inside the project. With the run's listings
    /// the folder's (shared) listing answers, so `**/railway.toml` costs no `stat` per folder for
    /// the folders that have none; links, file systems that do not say, `.`/`..` and folders that
    /// cannot be listed are asked with `stat`.
    private func literal(_ name: String, in folder: String, path: String) -> FileSystem.Kind? {
        guard let listings, name != ".", name != "..",
              let entries = listings.entries(of: absolute(folder.isEmpty ? "." : folder)) else { return inside(path) }
        guard let entry = FolderListings.entry(named: name, in: entries) else { return nil }
        switch entry.kind {
        case .file: return .file
        case .directory: return .directory
        case .other: return .other
        case .symbolicLink, .unknown: return inside(path)
        }
    }

    /// An entry of a folder, inside the project and not excluded: its name, what it is, and
    /// whether it is a symbolic link. Its path is joined only for the entries a pattern takes
    /// (joining every entry's path was most of a pack's search time).
    private struct Found {
        let name: String
        let kind: FileSystem.Kind
        let isLink: Bool
    }

    /// The entries of a folder that stay inside the project and are not excluded, sorted by name.
    /// The kind comes from `readdir`; only links and file systems that do not say are `stat`ed.
    private func entries(of folder: String, budget: inout Int, pattern: PathPattern) throws(PathSearchError) -> [Found] {
        guard let entries = FolderListings.entries(of: absolute(folder.isEmpty ? "." : folder), in: listings) else { return [] }
        budget -= entries.count
        guard budget >= 0 else { throw PathSearchError.tooManyEntries(pattern: pattern.source, limit: entryLimit) }
        return entries.compactMap { entry in
            if isExcluded(entry.name, in: folder) { return nil }
            switch entry.kind {
            case .file: return Found(name: entry.name, kind: .file, isLink: false)
            case .directory: return Found(name: entry.name, kind: .directory, isLink: false)
            case .other: return Found(name: entry.name, kind: .other, isLink: false)
            case .symbolicLink:
                return inside(join(folder, entry.name)).map { Found(name: entry.name, kind: $0, isLink: true) }
            case .unknown:
                let path = join(folder, entry.name)
                return inside(path).map { Found(name: entry.name, kind: $0, isLink: FileSystem.isSymbolicLink(absolute(path))) }
            }
        }
    }

    /// What `path` names, when it is inside the project: a symbolic link must resolve within the root.
    private func inside(_ path: String) -> FileSystem.Kind? {
        let full = absolute(path)
        if FileSystem.isSymbolicLink(full) {
            guard let target = FileSystem.realPath(full), ProjectPath.resolved(target, isWithin: realRoot) else {
                return nil
            }
        }
        return FileSystem.kind(of: full)
    }

    /// Whether an `exclude` entry names the path (in full, or one of its names for an entry without `/`).
    public func isExcluded(_ path: String) -> Bool {
        guard !excluded.isEmpty else { return false }
        let names = path.split(separator: "/").map { Array($0.utf8) }
        return excludedNames.contains { pattern in names.contains { pattern.matches(names: [$0]) } }
            || excludedPaths.contains { $0.matches(names: names) }
    }

    /// `isExcluded` for an entry of a folder that was not excluded itself: its own name is enough
    /// for the entries without `/`.
    private func isExcluded(_ name: String, in folder: String) -> Bool {
        guard !excluded.isEmpty else { return false }
        if !excludedNames.isEmpty {
            let bytes = Array(name.utf8)
            if excludedNames.contains(where: { $0.matches(names: [bytes]) }) { return true }
        }
        return !excludedPaths.isEmpty && excludedPaths.contains { $0.matches(join(folder, name)) }
    }

    private func join(_ folder: String, _ name: String) -> String {
        folder.isEmpty ? name : folder + "/" + name
    }
}

/// Why a search could not finish.
public enum PathSearchError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooManyEntries(pattern: String, limit: Int)

    public var description: String {
        switch self {
        case .tooManyEntries(let pattern, let limit):
            "'\(pattern)' looked at more than \(limit) folder entries; narrow it or add an `exclude`"
        }
    }
}

extension String {
    fileprivate var depth: Int { utf8.reduce(0) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 } }
}
