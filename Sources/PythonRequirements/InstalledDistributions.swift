import TextSearch
import ProjectFiles

/// The Python distributions installed in an environment, read as `pip list` reads them: each
/// `*.dist-info` (and legacy `*.egg-info`) folder of its site-packages, named and versioned by
/// its `METADATA` (or `PKG-INFO`) file. No Python is needed.
public struct InstalledDistributions: Sendable {
    /// One installed distribution.
    public struct Distribution: Sendable, Equatable {
        /// The name as its metadata writes it (`GoTrue`).
        public let name: String
        public let version: String
        /// Its metadata folder, as messages show it.
        public let location: String
    }

    /// The site-packages folder read, as messages show it.
    public let sitePackages: String
    /// Every distribution, by PEP 503 normalised name.
    public let byName: [String: Distribution]

    /// Why an environment could not be read.
    public struct Problem: Error, Sendable, Equatable {
        public let message: String
    }

    /// Reads the environment at `path` (shown as `display`): a virtualenv (its
    /// `lib/python3.*/site-packages`, or `Lib/site-packages`) or a site-packages folder itself.
    public static func read(_ path: String, display: String) throws(Problem) -> InstalledDistributions {
        guard let (folder, shown) = sitePackages(in: path, display: display) else {
            throw Problem(message: "\(display) holds no site-packages folder (expected lib/python3.*/site-packages, or a site-packages folder)")
        }
        guard case .success(let opened) = FileSystem.Folder.open(folder) else {
            throw Problem(message: "cannot read \(shown)")
        }
        var found: [String: Distribution] = [:]
        for entry in opened.names().sorted() where entry.hasSuffix(".dist-info") || entry.hasSuffix(".egg-info") {
            let metadataName = entry.hasSuffix(".dist-info") ? "METADATA" : "PKG-INFO"
            let metadataPath = folder + "/" + entry + "/" + metadataName
            var name: String?
            var version: String?
            if let bytes = try? FileReader.read(path: metadataPath, display: metadataName, limit: 4 << 20) {
                (name, version) = headers(bytes)
            }
            // Without readable metadata, the folder's name says it: gotrue-2.5.4.dist-info.
            if name == nil || version == nil, let (folderName, folderVersion) = nameAndVersion(fromFolder: entry) {
                name = name ?? folderName
                version = version ?? folderVersion
            }
            guard let name, let version else { continue }
            found[Requirement.normalise(name)] = Distribution(name: name, version: version, location: shown + "/" + entry)
        }
        return InstalledDistributions(sitePackages: shown, byName: found)
    }

    /// The distribution installed under `name` (any spelling PEP 503 makes equal).
    public func distribution(_ name: String) -> Distribution? { byName[Requirement.normalise(name)] }

    /// The site-packages folder of an environment, and how messages show it.
    static func sitePackages(in path: String, display: String) -> (String, String)? {
        if path.hasSuffix("site-packages") || path.hasSuffix("site-packages/") { return FileSystem.kind(of: path) == .directory ? (path, display) : nil }
        for lib in ["lib", "lib64", "Lib"] {
            let libPath = path + "/" + lib
            if lib == "Lib", FileSystem.kind(of: libPath + "/site-packages") == .directory { return (libPath + "/site-packages", display + "/Lib/site-packages") }
            guard case .success(let opened) = FileSystem.Folder.open(libPath) else { continue }
            for entry in opened.names().sorted().reversed() where entry.hasPrefix("python") {
                let candidate = libPath + "/" + entry + "/site-packages"
                if FileSystem.kind(of: candidate) == .directory { return (candidate, "\(display)/\(lib)/\(entry)/site-packages") }
            }
        }
        return nil
    }

    /// `Name:` and `Version:` from the header block of a core-metadata file (RFC 822 style).
    static func headers(_ bytes: [UInt8]) -> (String?, String?) {
        var name: String?
        var version: String?
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: "\r")
            if text.isEmpty { break }  // the headers end at the first blank line
            if text.hasPrefix("Name:") { name = text.dropFirst(5).trimmingCharacters(in: " \t") }
            if text.hasPrefix("Version:") { version = text.dropFirst(8).trimmingCharacters(in: " \t") }
        }
        return (name, version)
    }

    /// `gotrue-2.5.4.dist-info` → (gotrue, 2.5.4); `supabase_auth-2.10.0.dist-info` likewise.
    static func nameAndVersion(fromFolder entry: String) -> (String, String)? {
        let stem = entry.hasSuffix(".dist-info") ? entry.dropLast(10) : entry.dropLast(9)
        guard let dash = stem.firstIndex(of: "-") else { return nil }
        let version = stem[stem.index(after: dash)...].split(separator: "-").first.map(String.init) ?? ""
        return version.isEmpty ? nil : (String(stem[..<dash]), version)
    }
}
