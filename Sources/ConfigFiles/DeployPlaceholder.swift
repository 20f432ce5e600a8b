/// A configuration value that is filled in when the application is deployed, not written in the
/// file: `${{ secrets.SUPABASE_URL }}` (GitHub Actions, Railway references), `${DATA_REGION}` and
/// `${DATA_REGION:-canada-central}` (compose, shells), `$DATA_REGION`, `{{ .Values.region }}`
/// (Helm and Go templates). Such a value cannot be compared as text; a default written in it can.
public struct DeployPlaceholder: Sendable, Equatable {
    /// The value as written.
    public let text: String
    /// What the value is when nothing is injected (`${X:-default}`, `${X-default}`), if the whole
    /// value is one such reference.
    public let fallback: String?

    /// The placeholder in `text`, or nil when the value is written out in full.
    public init?(_ text: String) {
        guard Self.holdsReference(text) else { return nil }
        self.text = text
        fallback = Self.fallback(of: text)
    }

    private static func holdsReference(_ text: String) -> Bool {
        if text.contains("${") || text.contains("{{") { return true }
        // `$NAME` as the whole value (compose and shells); a `$` inside a password is not one.
        guard text.first == "$" else { return false }
        let name = text.dropFirst()
        return !name.isEmpty && DotEnv.isVariableName(name)
    }

    /// `${NAME:-default}` or `${NAME-default}` as the whole value: the default.
    private static func fallback(of text: String) -> String? {
        guard text.hasPrefix("${"), text.hasSuffix("}"), !text.hasPrefix("${{") else { return nil }
        let body = text.dropFirst(2).dropLast()
        guard !body.contains("$"), !body.contains("}") else { return nil }
        let name = body.prefix { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        let rest = body.dropFirst(name.count)
        if rest.hasPrefix(":-") { return String(rest.dropFirst(2)) }
        if rest.hasPrefix("-") { return String(rest.dropFirst()) }
        return nil
    }
}
