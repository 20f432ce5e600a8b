/// A database URL as applications write it, made into one libpq reads.
///
/// Projects keep the URL their application's driver wants in `DATABASE_URL`, and a gate reads the
/// same variable: SQLAlchemy names its driver in the scheme (`postgresql+asyncpg://`), asyncpg
/// takes `ssl=require` where libpq takes `sslmode=require`, and Prisma's URLs for Supabase's
/// pooler carry `pgbouncer=true&connection_limit=1`. libpq refuses each of them ("missing "="",
/// "invalid URI query parameter"), which would report a database that is up as down.
///
/// Only these forms are rewritten; anything else reaches libpq as written, and its own error
/// names what it does not know.
public enum ApplicationURL {
    /// Query parameters that only client libraries read, none of which changes where or how
    /// libpq connects: Prisma's pooler and pool settings, asyncpg's statement caches.
    static let clientOnlyParameters: Set<String> = [
        "pgbouncer", "connection_limit", "pool_timeout", "socket_timeout", "statement_cache_size",
        "prepared_statement_cache_size", "prepared_statement_name_func",
    ]

    /// asyncpg's `ssl` values as libpq's `sslmode`.
    static func sslmode(_ value: String) -> String? {
        switch value.lowercased() {
        case "disable", "allow", "prefer", "require", "verify-ca", "verify-full": value.lowercased()
        case "true", "1", "on", "yes": "require"
        case "false", "0", "off", "no": "disable"
        default: nil
        }
    }

    /// `text` in libpq's form; a key=value string or a plain `postgresql://` URL comes back unchanged.
    public static func libpqForm(_ text: String) -> String {
        guard let schemeEnd = text.firstRange(of: "://") else { return text }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let base = scheme.split(separator: "+", maxSplits: 1).first.map(String.init) ?? scheme
        guard base == "postgresql" || base == "postgres" else { return text }
        let url = base + text[schemeEnd.lowerBound...]
        guard let question = url.firstIndex(of: "?") else { return url }
        let (head, query) = (url[..<question], url[url.index(after: question)...])
        var kept: [Substring] = []
        for parameter in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name = parameter.split(separator: "=", maxSplits: 1).first.map { $0.lowercased() } ?? ""
            let value = parameter.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            if clientOnlyParameters.contains(name) { continue }
            if name == "ssl", !query.contains("sslmode="), let mode = sslmode(value) {
                kept.append("sslmode=\(mode)")
            } else {
                kept.append(parameter)
            }
        }
        return String(head) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }
}
