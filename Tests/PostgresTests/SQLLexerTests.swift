import Foundation
import Postgres
import Testing

/// The lexer reads SQL as PostgreSQL does. The rules come from the server's scan.l; the corpus
/// tests below ask the server itself what an identifier or a constant is.
struct SQLLexerTests {
    private func tokens(_ sql: String) throws -> [String] {
        try SQLLexer.tokens(sql).map(\.description)
    }

    @Test("words fold ASCII to lower case; quoted identifiers keep case and read \"\" as a quote")
    func identifiers() throws {
        #expect(try tokens(#"SELECT DbLink_Exec "DbLink_Exec" "a""b" ünïcödé"#)
                == ["word:select", "word:dblink_exec", "quotedIdentifier:DbLink_Exec", #"quotedIdentifier:a"b"#, "word:ünïcödé"])
        #expect(try tokens("a$b$ x$1") == ["word:a$b$", "word:x$1"], "$ continues a word; it starts no dollar quote there")
    }

    @Test("U& identifiers and strings decode their escapes, with UESCAPE naming another escape character")
    func unicodeEscapes() throws {
        #expect(try tokens(#"U&"d\0061t\+000061""#) == ["quotedIdentifier:data"])
        #expect(try tokens(#"u&"dbl!0069nk_exec" UESCAPE '!' ("#) == ["quotedIdentifier:dblink_exec", "punctuation:("])
        #expect(try tokens(#"U&"a\\b""#) == [#"quotedIdentifier:a\b"#])
        #expect(try tokens(#"U&'\D83D\DE00' /* c */ UESCAPE /* c */ '\'"#) == ["string:😀"])
        #expect(throws: SQLLexError.self) { try SQLLexer.tokens(#"U&"\zzzz""#) }
        #expect(throws: SQLLexError.self) { try SQLLexer.tokens(#"U&"x" UESCAPE '+'"#) }
    }

    @Test("string constants: '' is a quote, E'' escapes, N'', B'' and X'', dollar quotes with tags, continuation over a newline")
    func strings() throws {
        #expect(try tokens("'it''s' E'a\\nb\\'c' N'n'") == ["string:it's", "string:a\nb'c", "string:n"])
        #expect(try tokens("E'\\101\\x42\\u0043\\U00000044\\q'") == ["string:ABCDq"])
        #expect(try tokens("B'1010' x'1F'") == ["bitString:b1010", "bitString:x1F"])
        #expect(try tokens("$$a'b$$ $tag$ $$ inside $tag$ $1") == ["string:a'b", "string: $$ inside ", "parameter:$1"])
        #expect(try tokens("'a'\n  'b' 'c'") == ["string:ab", "string:c"], "only a newline joins constants")
        #expect(try tokens("'a'\n-- note\n'b'") == ["string:ab"])
        #expect(throws: SQLLexError.self) { try SQLLexer.tokens("'open") }
        #expect(throws: SQLLexError.self) { try SQLLexer.tokens("$x$ open") }
    }

    @Test("comments vanish, nested block comments included; an unterminated one is an error")
    func comments() throws {
        #expect(try tokens("a/* x /* y */ z */b -- c\nd") == ["word:a", "word:b", "word:d"])
        #expect(throws: SQLLexError.self) { try SQLLexer.tokens("a /* /* */ b") }
    }

    @Test("operators split as scan.l splits them")
    func operators() throws {
        #expect(try tokens("a+-b") == ["word:a", "operator:+", "operator:-", "word:b"], "a trailing - is dropped from +-")
        #expect(try tokens("a@-b") == ["word:a", "operator:@-", "word:b"], "kept after @")
        #expect(try tokens("a<--b") == ["word:a", "operator:<"], "-- starts a comment even inside an operator")
        #expect(try tokens("a*/*x*/b") == ["word:a", "operator:*", "word:b"])
        #expect(try tokens("x::text != y") == ["word:x", "operator:::", "word:text", "operator:<>", "word:y"])
        #expect(try tokens("f(a => 1) 1..2 .5 1.5e3") == ["word:f", "punctuation:(", "word:a", "operator:=>", "number:1", "punctuation:)",
                                                           "number:1", "operator:..", "number:2", "number:.5", "number:1.5e3"])
    }

    @Test("identifiers longer than 63 bytes are cut at a character boundary")
    func truncation() throws {
        let long = String(repeating: "a", count: 62) + "éx"
        #expect(try SQLLexer.tokens(long).first?.text == String(repeating: "a", count: 62))
    }

    // MARK: Against the server

    private static let adminURL = ProcessInfo.processInfo.environment["QG_TEST_PG_ADMIN_URL"]

    /// Spellings of identifiers: the server names the column, the lexer names the last token.
    static let identifierCorpus = [
        "FooBar", "\"FooBar\"", "\"a\"\"b\"", "U&\"d\\0061t\\+000061\"", "U&\"d!0061t!+000061\" UESCAPE '!'",
        "u&\"\\00e9t\\00E9\"", "ÉtÉ", "x$1$", "\"select\"", "/* a /* nested */ comment */ after_comment", "-- line\nafter_line",
        String(repeating: "Long", count: 20), "\"" + String(repeating: "é", count: 40) + "\"", "U&\"\\D83D\\DE00\"",
    ]

    @Test("identifiers: the lexer's name is the server's column name", .enabled(if: adminURL != nil))
    func identifiersAgreeWithTheServer() throws {
        let connection = try PostgresConnection.connect(Self.adminURL!, connectTimeout: 10)
        for spelling in Self.identifierCorpus {
            let result = try connection.query("SELECT 1 AS \(spelling)", timeout: 10)
            let ours = try SQLLexer.tokens(spelling).last?.text
            #expect(result.columns == [ours ?? "?"], "\(spelling)")
        }
    }

    /// Constants: the server's value, the lexer's decoded text.
    static let constantCorpus = [
        "'plain'", "'it''s'", "E'a\\nb'", "E'\\''", "e'\\x41\\101\\u00e9\\U0001F600'", "U&'\\0041\\+000042'",
        "U&'!0041' UESCAPE '!'", "N'national'", "$$dollar 'quoted'$$", "$t$ $$ nested $t$", "'con'\n'tinued'",
        "'con'  \n -- with a comment\n  'tinued'", "E'one'\n'\\ttwo'",
    ]

    @Test("string constants: the lexer's value is the server's", .enabled(if: adminURL != nil))
    func constantsAgreeWithTheServer() throws {
        let connection = try PostgresConnection.connect(Self.adminURL!, connectTimeout: 10)
        for spelling in Self.constantCorpus {
            let result = try connection.query("SELECT (\(spelling))::text AS v", timeout: 10)
            let ours = try SQLLexer.tokens(spelling).first { $0.kind == .string }?.text
            #expect(result.value("v")?.description == ours, "\(spelling)")
        }
    }
}
