import ConfigFiles
import Foundation
import JSON
import TestSupport
import Testing

/// The TOML reader against Python's tomllib, and the positions it reports.
struct TOMLReaderTests {
    private func read(_ text: String) throws(ConfigSyntaxError) -> ConfigNode {
        try TOMLReader.parse(Array(text.utf8))
    }

    @Test("reads as tomllib does: hand-written cases, generated documents and their mutations",
          .enabled(if: ProcessInfo.processInfo.environment["QG_TEST_PYTHON"] != nil, "scripts/test sets QG_TEST_PYTHON"))
    func agreesWithTomllib() throws {
        let python = ProcessInfo.processInfo.environment["QG_TEST_PYTHON"]!
        let script = Paths.fixtures.appendingPathComponent("toml_corpus.py").path
        let folder = try TemporaryFolder()
        let generated = try ProcessRunner.run(python, [script, "generate", folder.url.path])
        #expect(generated.status == 0, "\(generated.stderr)")
        var results: [(String, JSONValue)] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted() where name.hasSuffix(".toml") {
            let bytes = Array(try Data(contentsOf: folder.url.appendingPathComponent(name)))
            do {
                results.append((name, .object([("ok", .bool(true)), ("value", Self.canonical(try TOMLReader.parse(bytes)))])))
            } catch {
                results.append((name, .object([("ok", .bool(false)), ("error", .string(error.description))])))
            }
        }
        #expect(results.count > 600)
        try folder.write("ours.json", JSONValue.object(results).serialized())
        let compared = try ProcessRunner.run(python, [script, "compare", folder.url.path])
        print(compared.stdout.split(separator: "\n").first.map(String.init) ?? "")
        #expect(compared.status == 0, "\(compared.stdout)\(compared.stderr)")
    }

    /// Tables as objects, lists as arrays, scalars as [kind, text]: what the Python side compares.
    static func canonical(_ node: ConfigNode) -> JSONValue {
        switch node.value {
        case .scalar(let scalar): .array([.string(scalar.kind.rawValue), .string(scalar.text)])
        case .list(let items): .array(items.map(canonical))
        case .table(let members): .object(members.map { ($0.key, canonical($0.node)) })
        }
    }

    @Test("values know their line and column; a railway.toml [env] table reads as written")
    func positions() throws {
        let root = try read("[build]\nbuilder = \"NIXPACKS\"\n\n[env]\nDATA_REGION = \"canada-central\"\n  RETENTION_DAYS = 2_555\n")
        let region = try #require(root.member("env")?.member("DATA_REGION"))
        #expect(region == ConfigNode(.scalar(ConfigScalar("canada-central", kind: .string)), line: 5, column: 15))
        let retention = try #require(root.member("env")?.member("RETENTION_DAYS"))
        #expect((retention.line, retention.column, retention.displayText) == (6, 20, "2555"))
        #expect(retention.value == .scalar(ConfigScalar("2555", kind: .integer)))
    }

    @Test("a mistake is an error at its line and column that says what is wrong", arguments: [
        ("a = 1\na = 2\n", ConfigSyntaxError(line: 2, column: 1, reason: "'a' is defined twice")),
        ("[env]\nX = canada-central\n", ConfigSyntaxError(line: 2, column: 5, reason: "'canada-central' is not a TOML value (strings need quotes)")),
        ("[env]\nSUPABASE_JWT_SECRET = s3cr3t-value\n", ConfigSyntaxError(line: 2, column: 23, reason: "the value of SUPABASE_JWT_SECRET is not a TOML value (strings need quotes)")),
        ("[env]\nX = 'a'\n[env]\n", ConfigSyntaxError(line: 3, column: 1, reason: "table [env] is defined twice")),
        ("a = {b = 1\n}\n", ConfigSyntaxError(line: 1, column: 11, reason: "an inline table must be written on one line")),
        ("x = \"open\n", ConfigSyntaxError(line: 1, column: 10, reason: "a basic string may not span lines; use \"\"\" for that")),
    ])
    func errors(_ text: String, _ expected: ConfigSyntaxError) {
        #expect(throws: expected) { try read(text) }
    }

    @Test("a long line of values is read in one pass (columns are counted forward, not again for each value)")
    func longLine() throws {
        let text = "a = [" + String(repeating: "1, ", count: 200_000) + "2]\n"
        let clock = ContinuousClock()
        let elapsed = try clock.measure { _ = try read(text) }
        #expect(elapsed < .seconds(5), "\(elapsed)")
    }
}
