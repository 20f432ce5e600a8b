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
}
