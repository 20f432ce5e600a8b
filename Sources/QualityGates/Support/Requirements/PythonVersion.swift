/// A PEP 440 version, compared as pip compares them: `2.5.4` equals `2.5.4.0` and `v2.5.4`,
/// `2.5.4RC1` equals `2.5.4rc1`.
struct PythonVersion: Sendable, Hashable, CustomStringConvertible {
    let epoch: Int
    let release: [Int]
    let pre: String?
    let post: Int?
    let dev: Int?
    let local: String?

    // The grammar of PEP 440's appendix, as `packaging.version.VERSION_PATTERN` writes it.
    // @unchecked: a compiled Regex is immutable; only AnyRegexOutput keeps it from being Sendable.
    nonisolated(unsafe) private static let grammar = try! Regex(#"""
        ^\s*v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\.[0-9]+)*)\#
        (?<pre>[-_.]?(?<prel>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pren>[0-9]+)?)?\#
        (?<post>(?:-(?<postn1>[0-9]+))|(?:[-_.]?(?<postl>post|rev|r)[-_.]?(?<postn2>[0-9]+)?))?\#
        (?<dev>[-_.]?dev[-_.]?(?<devn>[0-9]+)?)?)(?:\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$
        """#).ignoresCase()

    /// Parses `text`; nil when it is not a PEP 440 version.
    init?(_ text: String) {
        guard let match = try? Self.grammar.wholeMatch(in: text) else { return nil }
        func group(_ name: String) -> String? {
            match.output[name]?.substring.map { $0.lowercased() }
        }
        epoch = group("epoch").flatMap { Int($0) } ?? 0
        var release = (group("release") ?? "0").split(separator: ".").map { Int($0) ?? 0 }
        while release.count > 1, release.last == 0 { release.removeLast() }
        self.release = release
        if let label = group("prel") {
            let canonical = ["alpha": "a", "beta": "b", "c": "rc", "pre": "rc", "preview": "rc"][label] ?? label
            pre = canonical + String(Int(group("pren") ?? "0") ?? 0)
        } else {
            pre = nil
        }
        post = group("post") == nil ? nil : Int(group("postn1") ?? group("postn2") ?? "0") ?? 0
        dev = group("dev") == nil ? nil : Int(group("devn") ?? "0") ?? 0
        local = group("local").map { String($0.map { $0 == "-" || $0 == "_" ? "." : $0 }) }
    }

    var description: String {
        var text = epoch == 0 ? "" : "\(epoch)!"
        text += release.map(String.init).joined(separator: ".")
        if let pre { text += pre }
        if let post { text += ".post\(post)" }
        if let dev { text += ".dev\(dev)" }
        if let local { text += "+\(local)" }
        return text
    }
}
