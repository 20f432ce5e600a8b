import Synchronization

/// Folder listings shared by the searches of one run: a pack walks the same project with `**`
/// for a dozen checks, and each folder is read once. Safe from the checks' threads. Meant to live
/// for one run: files created after a folder was listed are not seen.
public final class FolderListings: Sendable {
    private let listings = Mutex<[String: [FileSystem.Folder.Entry]?]>([:])
    /// Glob searches done, by root, exclusions and pattern: a pack names the same globs in many
    /// checks (the compose files, the dotenv templates, the settings code), and walking the tree
    /// again for each costs more than the listings themselves.
    private let searches = Mutex<[String: [PathFinder.Match]]>([:])

    func search(_ key: String) -> [PathFinder.Match]? { searches.withLock { $0[key] } }

    func remember(_ key: String, _ matches: [PathFinder.Match]) { searches.withLock { $0[key] = matches } }

    public init() {}

    /// The entries of the folder at `path`, sorted by name; nil when it cannot be opened.
    public func entries(of path: String) -> [FileSystem.Folder.Entry]? {
        if let known = listings.withLock({ $0[path] }) { return known }
        let read: [FileSystem.Folder.Entry]?
        if case .success(let folder) = FileSystem.Folder.open(path) {
            read = folder.entries().sorted { $0.name < $1.name }
        } else {
            read = nil
        }
        listings.withLock { $0[path] = read }
        return read
    }

    /// The entry called `name` in entries sorted by name (binary search).
    static func entry(named name: String, in entries: [FileSystem.Folder.Entry]) -> FileSystem.Folder.Entry? {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].name < name { low = middle + 1 } else { high = middle }
        }
        return low < entries.count && entries[low].name == name ? entries[low] : nil
    }

    /// The entries of a folder, from `listings` when given, else read now.
    static func entries(of path: String, in listings: FolderListings?) -> [FileSystem.Folder.Entry]? {
        if let listings { return listings.entries(of: path) }
        guard case .success(let folder) = FileSystem.Folder.open(path) else { return nil }
        return folder.entries().sorted { $0.name < $1.name }
    }
}
