import TextSearch

/// PostgreSQL type names as people write them, brought to the form `format_type` prints, so that
/// `varchar` = `character varying`, `timestamptz` = `timestamp with time zone`, `int4` = `integer`.
enum PostgresType {
    static let aliases: [String: String] = [
        "varchar": "character varying", "char": "character", "bpchar": "character",
        "int": "integer", "int4": "integer", "serial": "integer", "serial4": "integer",
        "int8": "bigint", "bigserial": "bigint", "serial8": "bigint", "int2": "smallint", "smallserial": "smallint",
        "bool": "boolean", "float8": "double precision", "float": "double precision", "float4": "real",
        "decimal": "numeric", "timestamptz": "timestamp with time zone", "timestamp": "timestamp without time zone",
        "timetz": "time with time zone", "time": "time without time zone", "varbit": "bit varying",
    ]

    /// The canonical name, and the modifier (`(100)`) if one was written.
    static func normalise(_ written: String) -> (base: String, modifier: String?) {
        var text = written.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        var array = ""
        while text.hasSuffix("[]") { array += "[]"; text = String(text.dropLast(2)).trimmingCharacters(in: " ") }
        var modifier: String?
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            modifier = String(text[open...close]).replacingAll(" ", with: "")
            // `timestamp(3) with time zone` keeps its words after the modifier.
            text = (String(text[..<open]) + String(text[text.index(after: close)...])).trimmingCharacters(in: " ")
                .split(separator: " ").joined(separator: " ")
        }
        return ((aliases[text] ?? text) + array, modifier)
    }

    /// True when the actual type (as `format_type` prints it) is the expected one; an expected
    /// type without a modifier accepts any modifier.
    static func matches(expected: String, actual: String) -> Bool {
        let want = normalise(expected), have = normalise(actual)
        return want.base == have.base && (want.modifier == nil || want.modifier == have.modifier)
    }
}
