import Foundation
import Testing
@testable import PythonRequirements
import TestSupport

struct RequirementsTests {
    private func parse(_ text: String) throws -> Requirement {
        try RequirementParser.parse(text, location: RequirementLocation(file: "r.txt", line: 1), isConstraint: false).get()
    }

    @Test("names are normalised as PEP 503 says", arguments: [
        ("GoTrue", "gotrue"), ("python_jose", "python-jose"), ("zope.interface", "zope-interface"), ("A-_.b", "a-b"),
    ])
    func normalisation(_ written: String, _ normalised: String) {
        #expect(Requirement.normalise(written) == normalised)
    }

    @Test("versions compare as PEP 440 says")
    func versions() {
        #expect(PythonVersion("2.5.4") == PythonVersion("2.5.4.0"))
        #expect(PythonVersion("v2.5.4") == PythonVersion("2.5.4"))
        #expect(PythonVersion("2.5.4RC1") == PythonVersion("2.5.4rc1"))
        #expect(PythonVersion("2.5.4-1") == PythonVersion("2.5.4.post1"))
        #expect(PythonVersion("1!2.0") != PythonVersion("2.0"))
        #expect(PythonVersion("2.5.4") != PythonVersion("2.5.4.1"))
        #expect(PythonVersion("2.5.4.dev0")?.description == "2.5.4.dev0")
        #expect(PythonVersion("latest") == nil)
        #expect(PythonVersion("2.5.*") == nil)
    }

    @Test("extras, markers and spaced specifiers are read")
    func pep508() throws {
        let requirement = try parse("uvicorn [standard] >= 0.30 , < 0.31 ; python_version >= \"3.9\"")
        #expect(requirement.name == "uvicorn")
        #expect(requirement.text == "uvicorn[standard]>=0.30,<0.31")
        #expect(requirement.marker == "python_version >= \"3.9\"")
    }

    @Test("URL and path requirements are told apart from pins")
    func directReferences() throws {
        #expect(try parse("gotrue @ https://example.test/gotrue-2.5.4.tar.gz").source
                == .direct(url: "https://example.test/gotrue-2.5.4.tar.gz", editable: false))
        #expect(try parse("https://example.test/wheels/gotrue-2.5.4-py3-none-any.whl").name == "gotrue")
        #expect(try parse("./vendor/gotrue#egg=gotrue").name == "gotrue")
    }

    @Test("a malformed line is an error with its place")
    func malformed() {
        let result = RequirementParser.parse("gotrue =! 2", location: RequirementLocation(file: "r.txt", line: 4), isConstraint: false)
        guard case .failure(let error) = result else { Issue.record("accepted"); return }
        #expect(error.description == "r.txt:4: bad version specifier '=! 2' in 'gotrue =! 2'")
    }

    @Test("continuations, comments and options are handled as pip does")
    func logicalLines() {
        let text = "# top\nfoo==1 \\\n  --hash=sha256:aa \\\n  --hash=sha256:bb  # pinned\nurl#frag==1\n\n--index-url https://x\n"
        let lines = RequirementsFile.logicalLines(Array(text.utf8))
        #expect(lines.map(\.number) == [2, 5, 7])
        #expect(lines.map { String(decoding: $0.text, as: UTF8.self) }
                == ["foo==1   --hash=sha256:aa   --hash=sha256:bb", "url#frag==1", "--index-url https://x"])
        #expect(RequirementsFile.logicalLines(Array("\u{FEFF}a==1\r\nb==2 \\\r\n  ; x\n".utf8)).map(\.number) == [1, 2])
    }

    @Test("includes are followed relative to the including file, in every spelling")
    func includes() throws {
        let folder = try TemporaryFolder(files: [
            "req/main.txt": "-r base/a.txt\n--requirement=base/b.txt\n-cconstraints.txt\n",
            "req/base/a.txt": "alpha==1\n-r ../shared.txt\n",
            "req/base/b.txt": "beta==2 --hash sha256:00\n",
            "req/shared.txt": "gamma==3\n",
            "req/constraints.txt": "delta==4\n",
        ])
        let tree = try RequirementsFile.read("req/main.txt", root: folder.url)
        #expect(tree.requirements.map(\.name) == ["alpha", "gamma", "beta", "delta"])
        #expect(tree.requirements.map(\.isConstraint) == [false, false, false, true])
        #expect(tree.requirements[1].location.description == "req/shared.txt:1")
    }

    @Test("a file included twice without a cycle is read twice, as pip reads it (celery's test-ci files do this)")
    func diamond() throws {
        let folder = try TemporaryFolder(files: ["r.txt": "-r a.txt\n-r b.txt\n", "a.txt": "-r c.txt\n", "b.txt": "-r c.txt\n", "c.txt": "x==1\n"])
        let tree = try RequirementsFile.read("r.txt", root: folder.url)
        #expect(tree.requirements.count == 2)
        #expect(tree.files == ["r.txt", "a.txt", "c.txt", "b.txt"])
    }

    @Test("a remote include is an error, not a download")
    func remoteInclude() throws {
        let folder = try TemporaryFolder(files: ["r.txt": "-r https://example.test/r.txt\n"])
        #expect(throws: RequirementError.self) { try RequirementsFile.read("r.txt", root: folder.url) }
    }
}

struct PythonVersionGrammarTests {
    @Test("accepts what PEP 440 accepts", arguments: [
        ("1.0", "1"), ("1.0.0.0", "1"), ("V1.2", "1.2"), ("1!2.3", "1!2.3"), ("1.0a1", "1a1"), ("1.0-alpha-2", "1a2"),
        ("1.0.beta", "1b0"), ("1.0c3", "1rc3"), ("1.0preview1", "1rc1"), ("1.0.post2", "1.post2"), ("1.0-3", "1.post3"),
        ("1.0rev", "1.post0"), ("1.0.dev4", "1.dev4"), ("1.0dev", "1.dev0"), ("1.0+ubuntu-1_a", "1+ubuntu.1.a"),
        ("  2.5.4  ", "2.5.4"), ("1.0a1.post2.dev3", "1a1.post2.dev3"),
    ])
    func accepts(_ text: String, _ canonical: String) {
        #expect(PythonVersion(text)?.description == canonical)
    }

    @Test("refuses what PEP 440 refuses", arguments: ["", "latest", "1.", "1..2", "1.0+", "1.0+a..b", "1.0 beta", "1.*", "x1.0", "1.0-", "!1"])
    func refuses(_ text: String) {
        #expect(PythonVersion(text) == nil)
    }
}
