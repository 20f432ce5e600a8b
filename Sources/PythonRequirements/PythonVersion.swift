import TextSearch

/// A PEP 440 version, compared as pip compares them: `2.5.4` equals `2.5.4.0` and `v2.5.4`,
/// `2.5.4RC1` equals `2.5.4rc1`, `2.5.4-1` equals `2.5.4.post1`.
///
/// Parsed by hand after the grammar in PEP 440's appendix (packaging's `VERSION_PATTERN`):
/// compiling that grammar as a regex cost more than the rest of a build-target run.
public struct PythonVersion: Sendable, Hashable, CustomStringConvertible {
    public let epoch: Int
    public let release: [Int]
    public let pre: String?
    public let post: Int?
    public let dev: Int?
    public let local: String?
    /// The release as written, trailing zeros kept: packaging's `str(Version)` keeps them, and
    /// `===` compares that text.
    let writtenRelease: [Int]

    private static let preLabels = [("preview", "rc"), ("alpha", "a"), ("beta", "b"), ("pre", "rc"), ("rc", "rc"),
                                    ("a", "a"), ("b", "b"), ("c", "rc")]
    private static let postLabels = ["post", "rev", "r"]

    /// Parses `text`; nil when it is not a PEP 440 version.
    public init?(_ text: String) {
        var scanner = VersionScanner(text.lowercased().trimmingCharacters(in: " \t\n"))
        _ = scanner.take("v")
        var epoch = 0
        var release = [scanner.number()].compactMap { $0 }
        guard !release.isEmpty else { return nil }
        if scanner.take("!") {
            epoch = release[0]
            guard let first = scanner.number() else { return nil }
            release = [first]
        }
        while scanner.peek(".") && scanner.peekDigit(after: 1) {
            _ = scanner.take(".")
            release.append(scanner.number()!)
        }
        var pre: String?
        if let label = scanner.label(Self.preLabels.map(\.0), separatorAllowed: true) {
            let canonical = Self.preLabels.first { $0.0 == label }!.1
            pre = canonical + String(scanner.optionalNumber() ?? 0)
        }
        var post: Int?
        let beforePost = scanner.position
        if scanner.take("-"), let number = scanner.number() {
            post = number
        } else {
            scanner.position = beforePost
            if scanner.label(Self.postLabels, separatorAllowed: true) != nil { post = scanner.optionalNumber() ?? 0 }
        }
        var dev: Int?
        if scanner.label(["dev"], separatorAllowed: true) != nil { dev = scanner.optionalNumber() ?? 0 }
        var local: String?
        if scanner.take("+") {
            let rest = scanner.rest
            let parts = rest.split(separator: "-", omittingEmptySubsequences: false)
                .flatMap { $0.split(separator: "_", omittingEmptySubsequences: false) }
                .flatMap { $0.split(separator: ".", omittingEmptySubsequences: false) }
            guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }) else { return nil }
            local = parts.joined(separator: ".")
            scanner.skipToEnd()
        }
        guard scanner.atEnd else { return nil }
        writtenRelease = release
        while release.count > 1, release.last == 0 { release.removeLast() }
        (self.epoch, self.release, self.pre, self.post, self.dev, self.local) = (epoch, release, pre, post, dev, local)
    }

    /// A version from its parts (release already without trailing zeros).
    init(epoch: Int, release: [Int], pre: String?, post: Int?, dev: Int?, local: String?) {
        (self.epoch, self.release, self.pre, self.post, self.dev, self.local) = (epoch, release, pre, post, dev, local)
        writtenRelease = release
    }

    /// packaging's `str(Version)`: normalised, with the release as written (`v2.5.4.0` → `2.5.4.0`).
    public var normalized: String {
        var text = epoch == 0 ? "" : "\(epoch)!"
        text += writtenRelease.map(String.init).joined(separator: ".")
        if let pre { text += pre }
        if let post { text += ".post\(post)" }
        if let dev { text += ".dev\(dev)" }
        if let local { text += "+\(local)" }
        return text
    }

    public static func == (left: PythonVersion, right: PythonVersion) -> Bool {
        (left.epoch, left.release, left.pre, left.post, left.dev, left.local) == (right.epoch, right.release, right.pre, right.post, right.dev, right.local)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(epoch)
        hasher.combine(release)
        hasher.combine(pre)
        hasher.combine(post)
        hasher.combine(dev)
        hasher.combine(local)
    }

    public var description: String {
        var text = epoch == 0 ? "" : "\(epoch)!"
        text += release.map(String.init).joined(separator: ".")
        if let pre { text += pre }
        if let post { text += ".post\(post)" }
        if let dev { text += ".dev\(dev)" }
        if let local { text += "+\(local)" }
        return text
    }
}

/// A cursor over a lower-cased version string.
private struct VersionScanner {
    private let characters: [Character]
    private var index = 0

    /// Where the cursor is; set it back to undo a partial match.
    var position: Int {
        get { index }
        set { index = newValue }
    }

    init(_ text: String) { characters = Array(text) }

    var atEnd: Bool { index == characters.count }
    var rest: String { String(characters[index...]) }
    mutating func skipToEnd() { index = characters.count }

    func peek(_ character: Character) -> Bool { index < characters.count && characters[index] == character }

    func peekDigit(after offset: Int) -> Bool {
        index + offset < characters.count && characters[index + offset].isASCII && characters[index + offset].isNumber
    }

    mutating func take(_ character: Character) -> Bool {
        guard peek(character) else { return false }
        index += 1
        return true
    }

    /// Digits, as a number; nil (consuming nothing) when there are none or they overflow.
    mutating func number() -> Int? {
        let start = index
        while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
        guard index > start, let value = Int(String(characters[start..<index])) else { index = start; return nil }
        return value
    }

    /// An optional separator (`-`, `_`, `.`) and then a number; nothing consumed when there is no number.
    mutating func optionalNumber() -> Int? {
        let start = index
        if index < characters.count, "-_.".contains(characters[index]) { index += 1 }
        if let value = number() { return value }
        index = start
        return nil
    }

    /// An optional separator and one of `labels` (longest first as listed); nothing consumed otherwise.
    mutating func label(_ labels: [String], separatorAllowed: Bool) -> String? {
        let start = index
        if separatorAllowed, index < characters.count, "-_.".contains(characters[index]) { index += 1 }
        for label in labels {
            let end = index + label.count
            if end <= characters.count, String(characters[index..<end]) == label {
                index = end
                return label
            }
        }
        index = start
        return nil
    }
}
