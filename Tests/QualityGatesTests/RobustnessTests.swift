import Alembic
import ConfigFiles
import Postgres
import PythonRequirements
@testable import QualityGates
import TestSupport
import Testing
import XMLWriter

/// The hand-written parsers and scanners meet arbitrary text from gate files, requirements files,
/// migrations and messages: random input made of the characters they care about must never crash.
struct RobustnessTests {
    static let alphabet: [String] = "abeyJBEARERr:/@?&=.-_;'\"$()[]{}<>!~*,# \t\n\\0129é😀\u{0}\u{1B}".map(String.init)
        + ["eyJ", "://", "$$", "/*", "*/", "--", "==", "Bearer "]

    static func randomTexts(count: Int, seed: UInt64) -> [String] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            let length = Int(random.next() % 60)
            return (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
        }
    }

    @Test("secret masking, the SQL guard, conditions, versions, requirements, dotenv, Python settings and database URLs survive random input")
    func randomInput() {
        var survived = 0
        for text in Self.randomTexts(count: 5_000, seed: 7) {
            _ = SecretPatterns.mask(text, with: "*")
            _ = SQLGuard.refusal(text)
            _ = try? Condition(text, placeholders: ["ROWS", "ROW"])
            _ = PythonVersion(text)
            _ = RequirementParser.parse(text, location: RequirementLocation(file: "r", line: 1), isConstraint: false)
            _ = RequirementsFile.logicalLines(Array(text.utf8))
            _ = try? DotEnv.parse(text)
            _ = PythonSettings.parse(text)
            _ = PythonSettings.parse("class S(BaseSettings):\n    x: str = Field(" + text + "\n    y: int = 1\nos.getenv(" + text)
            _ = PythonSettings.parse("\"\"\"" + text + "\n" + text + "'''")
            _ = ApplicationURL.libpqForm(text)
            _ = ApplicationURL.libpqForm("postgresql+asyncpg://" + text)
            _ = try? AlembicRevision.parse(Array(("revision = " + text).utf8), file: "f.py")
            _ = XMLText.sanitized(text)
            survived += 1
        }
        #expect(survived == 5_000)
    }

    @Test("masking never leaves a JWT or a URL password behind")
    func maskingHolds() {
        for text in Self.randomTexts(count: 2_000, seed: 11) {
            let planted = text + " postgresql://u:hunter2@h/db eyJx.eyJy.zz " + text
            let masked = SecretPatterns.mask(planted, with: "*")
            #expect(!masked.contains("hunter2"))
            #expect(!masked.contains("eyJx.eyJy.zz"))
        }
    }
}
