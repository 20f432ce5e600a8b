@testable import QualityGates
import Testing

/// Where a gate file's regular expression first matches, as `not_contains` reports it.
struct PatternTests {
    @Test("the first match's line, column and line text are the same with LF and with Windows line ends (CRLF)", arguments: ["\n", "\r\n"])
    func firstMatchLines(_ end: String) throws {
        let text = ["REGION = 'ca-central-1'", "", "BACKUP = 'us-east-1'", "OTHER = 1"].joined(separator: end) + end
        let match = try #require(try Pattern("us-(east|west)-[0-9]").firstMatch(in: text))
        #expect(match.line == 3)
        #expect(match.column == 11)
        #expect(match.lineText == "BACKUP = 'us-east-1'")
        let anchored = try #require(try Pattern("(?m)^BACKUP = .us-").firstMatch(in: text))
        #expect((anchored.line, anchored.column, anchored.lineText) == (3, 1, "BACKUP = 'us-east-1'"))
        #expect(try Pattern("(?m)^OTHER = 1$").matches(text))
    }
}
