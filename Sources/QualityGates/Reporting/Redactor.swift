import ConfigFiles
import FoundationEssentials
import TextSearch

/// The one redaction layer in front of every output: it removes the values of secret variables
/// (names holding PASSWORD, SECRET, TOKEN or KEY, and those a gate file declares secret) in every
/// encoding a server may echo them in (JSON-escaped, URL-encoded, XML-escaped, base64 at any
/// alignment), passwords in URLs, bearer tokens and JWT-shaped strings. A secret cut in two by a
/// length cap (`UntrustedText.cutMarker`) is masked too.
public struct Redactor: Sendable {
    /// What a redacted value is replaced with.
    public static let mask = "[REDACTED]"
    /// Text longer than this is cut before it is searched (the reports keep far less).
    static let inputLimit = 64 * 1024
    // Values shorter than this are not searched for: masking every "a" would hide the report itself.
    static let minimumSecretLength = 3
    /// Values shorter than this get a warning when the gate file loads: they are masked wherever
    /// they appear, also inside ordinary words.
    public static let comfortableSecretLength = 8

    /// Every form of every secret, longest first, so a secret that contains another is masked whole.
    private let forms: [String]
    /// The secrets themselves, searched for in the decoded views of a text.
    private let secrets: [[UInt8]]
    /// The secret variables whose values are shorter than `comfortableSecretLength`.
    public let shortSecretNames: [String]

    /// A redactor for the secrets in `environment`, plus the variables named in `secretNames`.
    public init(environment: Environment, secretNames: Set<String> = []) {
        var forms = Set<String>()
        var secrets = Set<[UInt8]>()
        var short: [String] = []
        for (name, value) in environment.values where !value.isEmpty {
            guard secretNames.contains(name) || SecretName.holdsSecret(name) else { continue }
            if value.utf8.count < Self.comfortableSecretLength { short.append(name) }
            guard value.utf8.count >= Self.minimumSecretLength else { continue }
            forms.formUnion(SecretForms.all(of: value))
            secrets.insert(Array(value.utf8))
        }
        self.secrets = secrets.sorted { $0.count > $1.count }
        self.forms = forms.sorted { $0.utf8.count != $1.utf8.count ? $0.utf8.count > $1.utf8.count : $0 < $1 }
        shortSecretNames = short.sorted()
    }

    /// `text` with every secret masked.
    public func redact(_ text: String) -> String {
        var result = text
        for form in forms where result.containsText(form) {
            result = result.replacingAll(form, with: Self.mask)
        }
        if !secrets.isEmpty { result = maskEncoded(result) }
        if result.containsText(UntrustedText.cutMarker) { result = maskCutSecrets(result) }
        return SecretPatterns.mask(result, with: Self.mask)
    }

    /// Secrets that appear escaped or encoded: found in a decoded view, masked in the original.
    private func maskEncoded(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var spans: [Range<Int>] = []
        for view in EchoDecoding.views(of: bytes) {
            for secret in secrets { spans += view.sourceRanges(of: secret) }
        }
        guard !spans.isEmpty else { return text }
        var merged: [Range<Int>] = []
        for span in spans.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, span.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
            } else {
                merged.append(span)
            }
        }
        var out = bytes
        for span in merged.reversed() { out.replaceSubrange(span, with: Array(Self.mask.utf8)) }
        return String(decoding: out, as: UTF8.self)
    }

    /// A text cut by a length cap may end, just before `… (N more bytes)`, with the first part of
    /// a secret; that part is masked too (from 4 bytes on).
    private func maskCutSecrets(_ text: String) -> String {
        var bytes = Array(text.utf8)
        let marker = Array(UntrustedText.cutMarker.utf8)
        let mask = Array(Self.mask.utf8)
        var position = bytes.count - marker.count
        while position >= 0 {
            defer { position -= 1 }
            guard bytes[position] == marker[0], bytes[position..<(position + marker.count)].elementsEqual(marker) else { continue }
            let before = bytes[..<position]
            for form in forms {
                let formBytes = Array(form.utf8)
                let longest = min(formBytes.count - 1, before.count)
                guard longest >= 4,
                      let length = stride(from: longest, through: 4, by: -1).first(where: { before.suffix($0).elementsEqual(formBytes.prefix($0)) })
                else { continue }
                bytes.replaceSubrange((position - length)..<position, with: mask)
                position -= length
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The forms of a secret searched for as text: as written, and base64 (standard and URL-safe) at
/// each of the three alignments a secret can have inside a longer encoded value (Basic auth, a
/// token's payload), keeping only the characters that depend on the secret alone. Escaped and
/// encoded forms are found by decoding the text instead (`EchoDecoding`), whatever the encoder
/// chose to escape.
enum SecretForms {
    static func all(of value: String) -> Set<String> {
        var forms: Set<String> = [value]
        for urlSafe in [false, true] {
            for alignment in 0..<3 {
                let core = base64Core(Array(value.utf8), alignment: alignment, urlSafe: urlSafe)
                if core.utf8.count >= 4 { forms.insert(core) }
            }
        }
        return forms
    }

    /// The base64 characters that encode only `bytes`, when `alignment` bytes of something else
    /// come before them in the encoded value.
    static func base64Core(_ bytes: [UInt8], alignment: Int, urlSafe: Bool) -> String {
        let alphabet = Array((urlSafe ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                                      : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/").utf8)
        var padded = [UInt8](repeating: 0, count: alignment) + bytes
        while padded.count % 3 != 0 { padded.append(0) }
        var characters: [UInt8] = []
        for group in stride(from: 0, to: padded.count, by: 3) {
            let triple = UInt32(padded[group]) << 16 | UInt32(padded[group + 1]) << 8 | UInt32(padded[group + 2])
            for shift in [18, 12, 6, 0] { characters.append(alphabet[Int((triple >> UInt32(shift)) & 0x3F)]) }
        }
        // Character i covers bits 6i ..< 6i + 6; keep those wholly inside the secret's bits.
        let first = (8 * alignment + 5) / 6
        let end = (8 * (alignment + bytes.count)) / 6
        guard end > first else { return "" }
        return String(decoding: characters[first..<end], as: UTF8.self)
    }
}

/// Text decoded the way a server's encoder would have encoded a value, with where each decoded
/// byte came from, so a secret found in the decoded text is masked in the original: URL
/// encoding (`%XX` in either case, `+` as a space or not), JSON string escapes (`\"`, `\/`,
/// `\u00e9`, `\u003c`, surrogate pairs; once or twice, for JSON inside JSON), XML and HTML
/// entities (`&amp;`, `&#39;`, `&#x27;`).
struct EchoDecoding {
    var bytes: [UInt8] = []
    /// For each decoded byte, the source range it came from.
    var starts: [Int] = []
    var ends: [Int] = []

    mutating func append(_ decoded: [UInt8], from start: Int, to end: Int) {
        for byte in decoded {
            bytes.append(byte)
            starts.append(start)
            ends.append(end)
        }
    }

    /// The views of `text` worth searching: only those whose escape character occurs in it.
    static func views(of text: [UInt8]) -> [EchoDecoding] {
        var views: [EchoDecoding] = []
        if text.contains(UInt8(ascii: "%")) || text.contains(UInt8(ascii: "+")) {
            views.append(percent(text, plusIsSpace: false))
            views.append(percent(text, plusIsSpace: true))
        }
        if text.contains(UInt8(ascii: "\\")) {
            let once = json(text)
            views.append(once)
            if once.bytes.contains(UInt8(ascii: "\\")) { views.append(once.composed(with: json(once.bytes))) }
        }
        if text.contains(UInt8(ascii: "&")) { views.append(xml(text)) }
        return views
    }

    /// `inner` decodes this view's bytes; the result points back at the original text.
    func composed(with inner: EchoDecoding) -> EchoDecoding {
        var result = EchoDecoding()
        result.bytes = inner.bytes
        result.starts = inner.starts.map { starts[$0] }
        result.ends = inner.ends.map { ends[$0 - 1] }
        return result
    }

    static func percent(_ text: [UInt8], plusIsSpace: Bool) -> EchoDecoding {
        var view = EchoDecoding()
        var index = 0
        while index < text.count {
            if text[index] == UInt8(ascii: "%"), index + 2 < text.count, let high = hex(text[index + 1]), let low = hex(text[index + 2]) {
                view.append([high << 4 | low], from: index, to: index + 3)
                index += 3
            } else {
                view.append([plusIsSpace && text[index] == UInt8(ascii: "+") ? 0x20 : text[index]], from: index, to: index + 1)
                index += 1
            }
        }
        return view
    }

    static func json(_ text: [UInt8]) -> EchoDecoding {
        var view = EchoDecoding()
        var index = 0
        func unit(at position: Int) -> UInt32? {
            guard position + 6 <= text.count, text[position] == UInt8(ascii: "\\"), text[position + 1] == UInt8(ascii: "u") else { return nil }
            var value: UInt32 = 0
            for offset in 2..<6 {
                guard let digit = hex(text[position + offset]) else { return nil }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while index < text.count {
            guard text[index] == UInt8(ascii: "\\"), index + 1 < text.count else {
                view.append([text[index]], from: index, to: index + 1)
                index += 1
                continue
            }
            let simple: UInt8? = switch text[index + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text[index + 1]
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            default: nil
            }
            if let simple {
                view.append([simple], from: index, to: index + 2)
                index += 2
            } else if let high = unit(at: index) {
                var scalarValue = high, length = 6
                if (0xD800...0xDBFF).contains(high), let low = unit(at: index + 6), (0xDC00...0xDFFF).contains(low) {
                    scalarValue = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    length = 12
                }
                let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
                view.append(Array(String(Character(scalar)).utf8), from: index, to: index + length)
                index += length
            } else {
                view.append([text[index]], from: index, to: index + 1)
                index += 1
            }
        }
        return view
    }

    static let entities: [String: UInt8] = ["amp": UInt8(ascii: "&"), "lt": UInt8(ascii: "<"), "gt": UInt8(ascii: ">"),
                                            "quot": UInt8(ascii: "\""), "apos": UInt8(ascii: "'")]

    static func xml(_ text: [UInt8]) -> EchoDecoding {
        var view = EchoDecoding()
        var index = 0
        while index < text.count {
            if text[index] == UInt8(ascii: "&"), let semicolon = text[index..<min(text.count, index + 12)].firstIndex(of: UInt8(ascii: ";")) {
                let name = String(decoding: text[(index + 1)..<semicolon], as: UTF8.self)
                var decoded: [UInt8]?
                if let byte = entities[name] {
                    decoded = [byte]
                } else if name.hasPrefix("#") {
                    let digits = name.dropFirst()
                    let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                    decoded = value.flatMap(Unicode.Scalar.init).map { Array(String(Character($0)).utf8) }
                }
                if let decoded {
                    view.append(decoded, from: index, to: semicolon + 1)
                    index = semicolon + 1
                    continue
                }
            }
            view.append([text[index]], from: index, to: index + 1)
            index += 1
        }
        return view
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The source ranges where `needle` occurs in the decoded text.
    func sourceRanges(of needle: [UInt8]) -> [Range<Int>] {
        guard let first = needle.first, needle.count <= bytes.count else { return [] }
        var ranges: [Range<Int>] = []
        var index = 0
        while index + needle.count <= bytes.count {
            if bytes[index] == first, bytes[index..<(index + needle.count)].elementsEqual(needle) {
                ranges.append(starts[index]..<ends[index + needle.count - 1])
                index += needle.count
            } else {
                index += 1
            }
        }
        return ranges
    }
}

extension RunReport {
    /// The report with every string passed through `redactor`.
    public func redacted(by redactor: Redactor) -> RunReport {
        var copy = self
        copy.stoppedEarly = stoppedEarly.map(redactor.redact)
        copy.configurationErrors = configurationErrors.map(redactor.redact)
        copy.gates = gates.map { gate in
            var gate = gate
            // Gate ids, titles, runbooks and check names are the gate file's own text: never masked.
            gate.checks = gate.checks.map { check in
                var check = check
                check.message = redactor.redact(UntrustedText.capped(check.message, limit: Redactor.inputLimit))
                check.details = check.details.prefix(UntrustedText.detailCount + 1).map {
                    redactor.redact(UntrustedText.capped($0, limit: Redactor.inputLimit))
                }
                check.findings = check.findings.map { finding in
                    var finding = finding
                    finding.message = redactor.redact(UntrustedText.capped(finding.message, limit: Redactor.inputLimit))
                    return finding
                }
                return check
            }
            return gate
        }
        return copy
    }
}
