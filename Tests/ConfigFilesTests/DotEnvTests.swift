import Testing
@testable import ConfigFiles

struct DotEnvTests {
    @Test("reads quotes, exports, comments and escapes")
    func parsing() throws {
        let text = "\u{FEFF}# c\nexport A=1\nB = 'x # y'\nC=\"a\\nb\" # note\nD=plain # comment\nE=\nF=a#b\n"
        let entries = try DotEnv.parse(text)
        #expect(entries.map(\.name) == ["A", "B", "C", "D", "E", "F"])
        #expect(entries.map(\.value) == ["1", "x # y", "a\nb", "plain", "", "a#b"])
        #expect(entries.map(\.line) == [2, 3, 4, 5, 6, 7])
    }

    @Test("a bad line is an error at its line and column")
    func errors() {
        #expect(throws: DotEnv.SyntaxError(line: 2, column: 3, reason: "expected KEY=value")) { try DotEnv.parse("A=1\n  nonsense\n") }
        #expect(throws: DotEnv.SyntaxError(line: 1, column: 3, reason: "unterminated double-quoted value")) { try DotEnv.parse("A=\"open\n") }
        #expect(throws: DotEnv.SyntaxError(line: 1, column: 1, reason: "'1A' is not a variable name")) { try DotEnv.parse("1A=x\n") }
    }

    @Test("Windows line ends (CRLF) end a line as LF does: every entry is read, none keeps a carriage return")
    func windowsLineEnds() throws {
        let entries = try DotEnv.parse("# c\r\nA=1\r\nB = 'x y'\r\nC=\"q\" # c\r\n\r\nD=plain # c\r\nE=last")
        #expect(entries.map(\.name) == ["A", "B", "C", "D", "E"])
        #expect(entries.map(\.value) == ["1", "x y", "q", "plain", "last"])
        #expect(entries.map(\.line) == [2, 3, 4, 6, 7])
        #expect(throws: DotEnv.SyntaxError(line: 2, column: 1, reason: "expected KEY=value")) { try DotEnv.parse("A=1\r\nnonsense\r\n") }
    }

    @Test("a value's column counts characters from the line's start: a byte-order mark is one, an export prefix and blanks count")
    func columns() throws {
        let entries = try DotEnv.parse("\u{FEFF}A= v\n  B=\"é\"\nexport  C=\té\n")
        #expect(entries.map(\.column) == [5, 5, 12])
        #expect(entries.map(\.value) == ["v", "é", "é"])
        #expect(throws: DotEnv.SyntaxError(line: 1, column: 3, reason: "unexpected text after the closing quote")) { try DotEnv.parse("A=\"é\" x\n") }
        #expect(throws: DotEnv.SyntaxError(line: 1, column: 1, reason: "'é' is not a variable name")) { try DotEnv.parse("é=1\n") }
    }

    @Test("a variable name is an ASCII letter or _ then ASCII letters, digits and _; nothing else, whatever its bytes")
    func variableNames() {
        for name in ["A", "_", "a_b", "DATA_REGION", "x9", "_1", "Zz"] { #expect(DotEnv.isVariableName(name), "\(name)") }
        for name in ["", "1A", "A-B", "A B", "É", "A\u{301}", "@A", "[", "`a", "{", "a~", "a$", "\u{7F}"] {
            #expect(!DotEnv.isVariableName(name), "\(name)")
        }
        #expect(DotEnv.isVariableName("x_name"[...]))
    }
}
