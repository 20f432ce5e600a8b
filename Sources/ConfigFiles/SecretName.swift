import TextSearch

/// Whether a variable's name says its value is a secret: it holds PASSWORD, SECRET, TOKEN or KEY
/// (case aside). The run's redactor masks such variables' values in every output, and the readers
/// of the project's files do not quote the values of such keys.
public enum SecretName {
    public static let parts = ["PASSWORD", "SECRET", "TOKEN", "KEY"]

    public static func holdsSecret(_ name: String) -> Bool {
        // Names are ASCII: upper-casing bytes is enough, and far cheaper than Unicode's.
        let upper = String(decoding: name.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
        return parts.contains(where: upper.containsText)
    }
}
