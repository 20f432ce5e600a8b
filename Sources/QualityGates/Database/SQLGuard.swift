import TextSearch

/// Decides, before anything reaches a server, whether free-form SQL from a gate file only reads.
/// Comments and string literals are removed first, so neither can hide a keyword nor fake one.
/// The read-only transaction is the next line of defence; this one names the problem at load time.
enum SQLGuard {
    static let readingStatements: Set<String> = ["SELECT", "WITH", "VALUES", "TABLE", "SHOW", "EXPLAIN"]
    static let writingKeywords: Set<String> = ["INSERT", "UPDATE", "DELETE", "MERGE", "INTO", "TRUNCATE", "DROP", "CREATE",
                                               "ALTER", "GRANT", "REVOKE", "COPY", "LOCK", "CALL", "DO", "COMMIT",
                                               "ROLLBACK", "BEGIN", "SET", "RESET", "VACUUM", "CLUSTER", "REINDEX", "PREPARE"]
    /// Functions that act outside the transaction (other sessions, server files, other connections)
    /// or write despite it, refused whatever the role.
    static let escapingFunctions: Set<String> = ["PG_TERMINATE_BACKEND", "PG_CANCEL_BACKEND", "PG_RELOAD_CONF", "PG_ROTATE_LOGFILE",
                                                 "PG_PROMOTE", "LO_EXPORT", "LO_IMPORT", "LO_FROM_BYTEA", "LO_CREATE", "LO_CREAT",
                                                 "LO_UNLINK", "LO_PUT", "DBLINK", "DBLINK_EXEC", "DBLINK_CONNECT", "DBLINK_SEND_QUERY",
                                                 "SET_CONFIG", "NEXTVAL", "SETVAL", "PG_FILE_WRITE", "PG_FILE_UNLINK"]

    /// Why `sql` is refused, or nil when it only reads.
    static func refusal(_ sql: String) -> String? {
        let words = keywords(sql)
        guard let first = words.first else { return "the query is empty" }
        guard readingStatements.contains(first.word) else {
            return "\(first.word) is not a reading statement; only SELECT, WITH, VALUES, TABLE, SHOW and EXPLAIN run"
        }
        if first.word == "EXPLAIN", words.contains(where: { $0.word == "ANALYZE" || $0.word == "ANALYSE" }) {
            return "EXPLAIN ANALYZE runs the statement; use EXPLAIN without ANALYZE"
        }
        if let semicolon = words.firstIndex(where: { $0.word == ";" }), semicolon != words.count - 1 {
            return "only one statement may run; found a second after ';'"
        }
        if let writing = words.first(where: { writingKeywords.contains($0.word) }) {
            return "\(writing.word) writes or changes the session; a gate's query may only read"
        }
        for (index, word) in words.enumerated() where escapingFunctions.contains(word.word) {
            if index + 1 < words.count, words[index + 1].word == "(" {
                return "\(word.word.lowercased())() acts outside the read-only transaction and is refused"
            }
        }
        return nil
    }

    /// Upper-cased words and single punctuation marks of `sql`, without comments, string
    /// literals (including E'', $tag$ … $tag$) and quoted identifiers.
    static func keywords(_ sql: String) -> [(word: String, offset: Int)] {
        let bytes = Array(sql.utf8)
        var words: [(String, Int)] = []
        var index = 0
        func skip(until terminator: [UInt8], from start: Int) -> Int {
            var position = start
            while position + terminator.count <= bytes.count {
                if bytes[position..<(position + terminator.count)].elementsEqual(terminator) { return position + terminator.count }
                position += 1
            }
            return bytes.count
        }
        while index < bytes.count {
            let byte = bytes[index]
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            switch byte {
            case UInt8(ascii: "-") where next == UInt8(ascii: "-"):
                index = skip(until: [0x0A], from: index)
            case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
                // Block comments nest in PostgreSQL.
                var depth = 0
                repeat {
                    if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "/"), bytes[index + 1] == UInt8(ascii: "*") { depth += 1; index += 2 }
                    else if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "*"), bytes[index + 1] == UInt8(ascii: "/") { depth -= 1; index += 2 }
                    else { index += 1 }
                } while depth > 0 && index < bytes.count
            case UInt8(ascii: "'"):
                // '' inside a literal is an escaped quote; E'' literals may also escape with \.
                let escapes = index > 0 && (bytes[index - 1] | 0x20) == UInt8(ascii: "e")
                index += 1
                while index < bytes.count {
                    if escapes, bytes[index] == UInt8(ascii: "\\") { index += 2; continue }
                    if bytes[index] == UInt8(ascii: "'") {
                        if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "'") { index += 2; continue }
                        break
                    }
                    index += 1
                }
                index += 1
            case UInt8(ascii: "\""):
                index = skip(until: [UInt8(ascii: "\"")], from: index + 1)
                words.append(("IDENTIFIER", index))
            case UInt8(ascii: "$") where dollarTag(bytes, at: index) != nil:
                let tag = dollarTag(bytes, at: index)!
                index = skip(until: tag, from: index + tag.count)
            case _ where isWordByte(byte):
                let start = index
                while index < bytes.count, isWordByte(bytes[index]) || bytes[index] == UInt8(ascii: "$") { index += 1 }
                words.append((String(decoding: bytes[start..<index], as: UTF8.self).uppercased(), start))
            case UInt8(ascii: ";"), UInt8(ascii: "("):
                words.append((String(UnicodeScalar(byte)), index))
                index += 1
            default:
                index += 1
            }
        }
        return words
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        byte.isASCIIAlphanumeric || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    /// `$tag$` starting at `index`, if there is one.
    private static func dollarTag(_ bytes: [UInt8], at index: Int) -> [UInt8]? {
        var end = index + 1
        while end < bytes.count, isWordByte(bytes[end]) && !(bytes[end] >= 0x30 && bytes[end] <= 0x39 && end == index + 1) { end += 1 }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "$") else { return nil }
        return Array(bytes[index...end])
    }
}
