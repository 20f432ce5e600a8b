/// PEP 440 ordering, as packaging's `Version._key` orders versions: a dev release before its
/// pre-releases, pre-releases before the release, the release before its post-releases, and a
/// local version after the public one it extends.
extension PythonVersion: Comparable {
    public static func < (left: PythonVersion, right: PythonVersion) -> Bool {
        left.orderKey < right.orderKey
    }

    /// Equal public versions compare equal whatever their local part (`1.0+a` == `1.0` for `==1.0`).
    public var publicVersion: PythonVersion {
        PythonVersion(epoch: epoch, release: release, pre: pre, post: post, dev: dev, local: nil)
    }

    /// The release with its epoch only: `1.2.3rc1.post2` → `1.2.3`.
    public var baseVersion: PythonVersion {
        PythonVersion(epoch: epoch, release: release, pre: nil, post: nil, dev: nil, local: nil)
    }

    public var isPrerelease: Bool { pre != nil || dev != nil }
    public var isPostrelease: Bool { post != nil }

    struct OrderKey: Comparable {
        let epoch: Int
        let release: [Int]
        /// (-1: a dev release with no pre/post, sorts first; 0: a pre-release by letter and number; 1: none)
        let pre: (Int, Int, Int)
        /// (0: none; 1: a post release and its number)
        let post: (Int, Int)
        /// (0: a dev release and its number; 1: none, sorts last)
        let dev: (Int, Int)
        let local: [LocalPart]

        static func < (a: OrderKey, b: OrderKey) -> Bool {
            if a.epoch != b.epoch { return a.epoch < b.epoch }
            if a.release != b.release { return a.release.lexicographicallyPrecedes(b.release) }
            if a.pre != b.pre { return a.pre < b.pre }
            if a.post != b.post { return a.post < b.post }
            if a.dev != b.dev { return a.dev < b.dev }
            return a.local.lexicographicallyPrecedes(b.local)
        }

        static func == (a: OrderKey, b: OrderKey) -> Bool { !(a < b) && !(b < a) }
    }

    /// A local segment: letters sort before numbers, numbers by value.
    enum LocalPart: Comparable {
        case text(String)
        case number(Int)
    }

    var orderKey: OrderKey {
        var release = self.release
        while release.count > 1, release.last == 0 { release.removeLast() }
        let preKey: (Int, Int, Int)
        if let pre {
            let letter = pre.prefix { $0.isLetter }
            let rank = letter == "a" ? 0 : letter == "b" ? 1 : 2
            preKey = (0, rank, Int(pre.dropFirst(letter.count)) ?? 0)
        } else if post == nil, dev != nil {
            preKey = (-1, 0, 0)
        } else {
            preKey = (1, 0, 0)
        }
        let local = (self.local ?? "").split(separator: ".").map { part in Int(part).map(LocalPart.number) ?? .text(String(part)) }
        return OrderKey(epoch: epoch, release: release, pre: preKey, post: post.map { (1, $0) } ?? (0, 0),
                        dev: dev.map { (0, $0) } ?? (1, 0), local: local)
    }
}

/// One PEP 440 version specifier (`>=2.9`, `==2.5.*`, `~=2.5`, `===2.5.4.0`), matched as
/// packaging's `Specifier.contains` matches, pre-releases allowed (the caller asks about a version
/// a requirement names explicitly).
public struct VersionSpecifier: Sendable, Equatable {
    public let op: String
    public let version: String

    public init(op: String, version: String) {
        self.op = op
        self.version = version
    }

    /// Whether `candidate` (as written) satisfies the specifier; nil when either side is not a
    /// version the operator can compare.
    public func contains(_ candidateText: String) -> Bool? {
        // `===` compares text: packaging's normalised form of the candidate with the specifier as written.
        if op == "===" { return (PythonVersion(candidateText)?.normalized ?? candidateText).lowercased() == version.lowercased() }
        guard let candidate = PythonVersion(candidateText) else { return nil }
        if op == "==" || op == "!=" {
            let equal: Bool
            if version.hasSuffix(".*") {
                guard let prefix = Self.releasePrefix(String(version.dropLast(2))) else { return nil }
                equal = Self.matchesPrefix(candidate, prefix)
            } else {
                guard let wanted = PythonVersion(version) else { return nil }
                equal = (wanted.local == nil ? candidate.publicVersion : candidate) == wanted
            }
            return op == "==" ? equal : !equal
        }
        guard let wanted = PythonVersion(version) else { return nil }
        let public_ = candidate.publicVersion
        switch op {
        case "<=": return public_ <= wanted
        case ">=": return public_ >= wanted
        case "<":
            // `<3.1` does not admit 3.1's own pre-releases.
            guard candidate < wanted else { return false }
            return wanted.isPrerelease || !candidate.isPrerelease || candidate.baseVersion != wanted.baseVersion
        case ">":
            // `>3.1` admits neither 3.1's post-releases nor 3.1 with a local version.
            guard candidate > wanted else { return false }
            if !wanted.isPostrelease, candidate.isPostrelease, candidate.baseVersion == wanted.baseVersion { return false }
            if candidate.local != nil, candidate.baseVersion == wanted.baseVersion { return false }
            return true
        case "~=":
            guard wanted.release.count >= 2 || version.split(separator: ".").count >= 2 else { return nil }
            // The prefix is the release as written, without its last segment (`~=2.0.0` is `==2.0.*`).
            guard let written = Self.releasePrefix(version), written.release.count >= 2 else { return nil }
            return public_ >= wanted && Self.matchesPrefix(candidate, (written.epoch, Array(written.release.dropLast())))
        default: return nil
        }
    }

    /// The epoch and release numbers as written (not trimmed of zeros: `2.0` is two segments).
    static func releasePrefix(_ text: String) -> (epoch: Int, release: [Int])? {
        var body = Substring(text.lowercased())
        if body.first == "v" { body = body.dropFirst() }
        var epoch = 0
        if let bang = body.firstIndex(of: "!") {
            guard let value = Int(body[..<bang]) else { return nil }
            epoch = value
            body = body[body.index(after: bang)...]
        }
        let digits = body.prefix { $0.isNumber || $0 == "." }
        let release = digits.split(separator: ".").map { Int($0) }
        guard !release.isEmpty, release.allSatisfy({ $0 != nil }) else { return nil }
        return (epoch, release.map { $0! })
    }

    /// `==prefix.*`: the candidate's release starts with the prefix's (zero-padded), same epoch.
    static func matchesPrefix(_ candidate: PythonVersion, _ prefix: (epoch: Int, release: [Int])) -> Bool {
        guard candidate.epoch == prefix.epoch else { return false }
        var release = candidate.release
        while release.count < prefix.release.count { release.append(0) }
        return Array(release.prefix(prefix.release.count)) == prefix.release
    }
}
