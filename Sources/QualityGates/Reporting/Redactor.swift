import FoundationEssentials
import TextSearch

/// The one redaction layer in front of every output: it removes the values of secret variables
/// (names holding PASSWORD, SECRET, TOKEN or KEY, and those a gate file declares secret),
/// passwords in URLs, bearer tokens and JWT-shaped strings.
public struct Redactor: Sendable {
    /// What a redacted value is replaced with.
    public static let mask = "[REDACTED]"
    static let secretNameParts = ["PASSWORD", "SECRET", "TOKEN", "KEY"]
    // Values shorter than this are not searched for: masking every "a" would hide the report itself.
    static let minimumSecretLength = 3

    private let values: [String]
    /// A redactor for the secrets in `environment`, plus the variables named in `secretNames`.
    public init(environment: Environment, secretNames: Set<String> = []) {
        var values = Set<String>()
        for (name, value) in environment.values where value.utf8.count >= Self.minimumSecretLength {
            // Variable names are ASCII: upper-casing bytes is enough, and far cheaper than Unicode's.
            let upper = String(decoding: name.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
            guard secretNames.contains(name) || Self.secretNameParts.contains(where: upper.containsText) else { continue }
            values.insert(value)
            let encoded = Self.percentEncoded(value)
            if encoded != value { values.insert(encoded) }
        }
        // Longest first, so a secret that contains another is masked whole.
        self.values = values.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// `value` as a URL or form would carry it: every byte but ASCII letters and digits as `%XX`.
    static func percentEncoded(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            if (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }

    /// `text` with every secret masked.
    public func redact(_ text: String) -> String {
        var result = text
        for value in values where result.containsText(value) {
            result = result.replacingAll(value, with: Self.mask)
        }
        return SecretPatterns.mask(result, with: Self.mask)
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
            gate.title = redactor.redact(gate.title)
            gate.runbook = gate.runbook.map(redactor.redact)
            gate.checks = gate.checks.map { check in
                var check = check
                check.name = redactor.redact(check.name)
                check.message = redactor.redact(check.message)
                check.details = check.details.map(redactor.redact)
                check.findings = check.findings.map { finding in
                    var finding = finding
                    finding.message = redactor.redact(finding.message)
                    return finding
                }
                return check
            }
            return gate
        }
        return copy
    }
}
