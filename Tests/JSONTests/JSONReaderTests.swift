import JSON
import Testing

/// The JSON reader: RFC 8259 strictly, with positions, lone surrogates read, nesting bounded.
struct JSONReaderTests {
    private func read(_ text: String) throws(JSONSyntaxError) -> JSONNode { try JSONReader.parse(Array(text.utf8)) }

    @Test("values carry their line and column, in Unicode scalars")
    func positions() throws {
        let node = try read("{\n  \"é\": [1, {\"b\": true}],\n  \"c\": null\n}")
        guard case .object(let members) = node.value, case .array(let items) = members[0].value.value else {
            Issue.record("not an object holding an array")
            return
        }
        #expect((members[0].value.line, members[0].value.column) == (2, 8))
        #expect((items[1].line, items[1].column) == (2, 12))
        #expect((members[1].value.line, members[1].value.column) == (3, 8))
    }

    @Test("escapes, surrogate pairs, and lone surrogates read as U+FFFD rather than refusing the body")
    func strings() throws {
        #expect(try read(#""a\"b\\c\/d\n\u00e9\ud83d\ude00""#).value == .string("a\"b\\c/d\né😀"))
        #expect(try read(#""x\ud800y""#).value == .string("x\u{FFFD}y"))
        #expect(try read(#""\udc00""#).value == .string("\u{FFFD}"))
        #expect(JSONDocument.parse(Array(#"{"data": {"me": "\ud800"}, "ok": 1}"#.utf8))?.value(at: ["ok"]) == .number(1))
    }

    @Test("numbers keep their text; a repeated member name reads as its last")
    func numbers() throws {
        #expect(try read("-1.5e3").value == .number(-1500, text: "-1.5e3"))
        #expect(JSONDocument.parse(Array(#"{"a": 1, "a": 2}"#.utf8))?.value(at: ["a"]) == .number(2))
    }

    @Test("what RFC 8259 refuses is an error at its place", arguments: [
        ("{\"a\": 1,}", 1, 9), ("[1 2]", 1, 4), ("01", 1, 1), ("'x'", 1, 1), ("\"a\nb\"", 1, 3), ("{\"a\" 1}", 1, 6),
        ("[1] x", 1, 5), ("", 1, 1), ("\"\\x\"", 1, 4), ("1.", 1, 3), ("tru", 1, 1),
    ])
    func refused(_ text: String, _ line: Int, _ column: Int) {
        do {
            _ = try read(text)
            Issue.record("'\(text)' was read")
        } catch {
            #expect((error.line, error.column) == (line, column), "\(text): \(error)")
        }
    }

    @Test("nesting is bounded, so a hostile body cannot exhaust the stack")
    func depth() {
        #expect(throws: JSONSyntaxError.self) { try read(String(repeating: "[", count: 100_000)) }
        #expect((try? read(String(repeating: "[", count: 100) + String(repeating: "]", count: 100))) != nil)
    }
}
