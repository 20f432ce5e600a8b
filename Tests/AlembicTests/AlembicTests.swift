import Foundation
import Testing
@testable import Alembic
import TestSupport

struct AlembicTests {
    /// A versions folder like real projects grow: a trunk, branches off older revisions, merges of
    /// two heads, hex and named ids, both assignment styles, and files that are not migrations.
    static func generate(count: Int, seed: UInt64, into folder: TemporaryFolder) throws {
        var random = SeededRandom(seed: seed)
        var ids: [String] = []
        var heads: [String] = []
        for index in 0..<count {
            let id = index % 3 == 0 ? String(format: "%012x", random.next() & 0xFFFF_FFFF_FFFF) : "rev_\(index)"
            var parents: [String] = []
            let roll = random.next() % 10
            if ids.isEmpty {
                parents = []
            } else if roll == 0, heads.count >= 2 {
                parents = Array(heads.shuffled(using: &random).prefix(2))  // a merge
            } else if roll == 1 {
                parents = [ids[Int(random.next() % UInt64(ids.count))]]    // a branch off an older revision
            } else {
                parents = [heads.last ?? ids.last!]
            }
            heads.removeAll { parents.contains($0) }
            heads.append(id)
            ids.append(id)
            let down: String
            switch parents.count {
            case 0: down = "None"
            case 1: down = "'\(parents[0])'"
            default: down = random.next() % 2 == 0 ? "('\(parents[0])', '\(parents[1])')" : "[\n    \"\(parents[0])\",\n    \"\(parents[1])\",\n]"
            }
            let text = random.next() % 2 == 0
                ? "\"\"\"migration \(index)\n\nRevision ID: \(id)\n\"\"\"\nfrom alembic import op\n\nrevision = '\(id)'\ndown_revision = \(down)\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    pass\n"
                : "from typing import Sequence, Union\n\nrevision: str = \"\(id)\"\ndown_revision: Union[str, Sequence[str], None] = \(down)\nbranch_labels: Union[str, Sequence[str], None] = None\n\n\ndef upgrade() -> None:\n    pass\n"
            try folder.write("script/versions/\(String(format: "%05d", index))_\(id).py", text)
        }
        try folder.write("script/versions/__init__.py", "")
        try folder.write("script/versions/README", "not a migration")
    }

    @Test("heads equal real Alembic's (ScriptDirectory.get_heads) on generated folders with branches and merges",
          .enabled(if: ProcessInfo.processInfo.environment["QG_TEST_PYTHON"] != nil, "scripts/test sets QG_TEST_PYTHON"),
          arguments: [(40, 1), (200, 2), (500, 3), (60, 4)] as [(Int, UInt64)])
    func headsMatchAlembic(count: Int, seed: UInt64) throws {
        let folder = try TemporaryFolder()
        try Self.generate(count: count, seed: seed, into: folder)
        let graph = RevisionGraph(try AlembicRevision.readFolder(folder.url.appendingPathComponent("script/versions"), display: "versions"))
        #expect(graph.problems.isEmpty, "\(graph.problems)")
        #expect(graph.revisions.count == count)
        let result = try ProcessRunner.run(ProcessInfo.processInfo.environment["QG_TEST_PYTHON"]!,
                                           [Paths.fixtures.appendingPathComponent("alembic_heads.py").path, folder.path("script")])
        #expect(result.status == 0, "\(result.stderr)")
        let alembicHeads = result.stdout.split(separator: "\n").map(String.init)
        #expect(!alembicHeads.isEmpty)
        #expect(graph.heads.map(\.id).sorted() == alembicHeads)
    }

    @Test("duplicate ids and cycles are reported, not crashed on")
    func brokenGraphs() throws {
        let duplicate = try TemporaryFolder(files: ["v/a.py": "revision = 'x'\ndown_revision = None\n", "v/b.py": "revision = 'x'\ndown_revision = None\n"])
        #expect(RevisionGraph(try AlembicRevision.readFolder(duplicate.url.appendingPathComponent("v"), display: "v")).problems
                == ["revision x is defined twice: v/a.py and v/b.py"])
        let cycle = try TemporaryFolder(files: ["v/a.py": "revision = 'a'\ndown_revision = 'c'\n", "v/b.py": "revision = 'b'\ndown_revision = 'a'\n",
                                                "v/c.py": "revision = 'c'\ndown_revision = 'b'\n", "v/d.py": "revision = 'd'\ndown_revision = None\n"])
        let problems = RevisionGraph(try AlembicRevision.readFolder(cycle.url.appendingPathComponent("v"), display: "v")).problems
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("down_revision forms a cycle: ") == true)
    }

    @Test("a chain of 50,000 revisions is read without a deep stack")
    func longChain() {
        let revisions = (0..<50_000).map { index in
            AlembicRevision(id: "r\(index)", downRevisions: index == 0 ? [] : ["r\(index - 1)"], branchLabels: [], dependsOn: [], file: "f", line: 1)
        }
        let graph = RevisionGraph(revisions)
        #expect(graph.heads.map(\.id) == ["r49999"])
        #expect(graph.pending(from: ["r49997"]).map(\.id) == ["r49998", "r49999"])
    }
}
