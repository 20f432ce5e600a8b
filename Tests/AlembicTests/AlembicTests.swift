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

    /// A versions folder with what real trees add: branch labels (literal, and computed as
    /// neutron computes its expand/contract labels), depends_on naming revisions and labels, and
    /// parents written as a constant of the same file.
    static func generateRich(count: Int, seed: UInt64, into folder: TemporaryFolder) throws -> [String] {
        var random = SeededRandom(seed: seed)
        var ids: [String] = []
        var labels: [String] = []
        var heads: [String] = []
        for index in 0..<count {
            let id = String(format: "%08x", random.next() & 0xFFFF_FFFF) + "_\(index)"
            var parents: [String] = []
            let roll = random.next() % 10
            if ids.isEmpty || roll == 9 {
                parents = []                                                  // a new base (a branch of its own)
            } else if roll == 0, heads.count >= 2 {
                parents = Array(heads.shuffled(using: &random).prefix(2))      // a merge
            } else if roll == 1 {
                parents = [ids[Int(random.next() % UInt64(ids.count))]]       // a branch off an older revision
            } else {
                parents = [heads.last ?? ids.last!]
            }
            heads.removeAll { parents.contains($0) }
            heads.append(id)
            var lines = ["\"\"\"revision \(index)\"\"\"", "import os", ""]
            let down: String
            switch parents.count {
            case 0: down = "None"
            case 1 where random.next() % 3 == 0:
                lines.append("PARENT = '\(parents[0])'")
                down = "PARENT"
            case 1: down = "'\(parents[0])'"
            default: down = "('\(parents[0])', '\(parents[1])')"
            }
            lines += ["revision = '\(id)'", "down_revision = \(down)"]
            switch random.next() % 8 {
            case 0:
                let label = "label_\(index)"
                labels.append(label)
                lines.append("branch_labels = ('\(label)',)")
            case 1:
                lines.append("branch_labels = (os.name + '_\(index)',)")             // computed: unknown to a reader
            default:
                lines.append("branch_labels = None")
            }
            if !ids.isEmpty, random.next() % 6 == 0 {
                let target = !labels.isEmpty && random.next() % 2 == 0 ? labels[Int(random.next() % UInt64(labels.count))]
                                                                       : ids[Int(random.next() % UInt64(ids.count))]
                lines.append("depends_on = '\(target)'")
            } else {
                lines.append("depends_on = None")
            }
            lines += ["", "", "def upgrade():", "    pass", "", "", "def downgrade():", "    pass", ""]
            ids.append(id)
            try folder.write("script/versions/\(String(format: "%05d", index))_\(id).py", lines.joined(separator: "\n"))
        }
        try folder.write("script/versions/__init__.py", "")
        return ids
    }

    static func alembic(_ folder: TemporaryFolder, current: [String]) throws -> [String: Any] {
        let result = try ProcessRunner.run(ProcessInfo.processInfo.environment["QG_TEST_PYTHON"]!,
                                           [Paths.fixtures.appendingPathComponent("alembic_truth.py").path, folder.path("script")] + current)
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
    }

    @Test("Alembic corpus: heads and what `upgrade heads` applies equal Alembic's, with labels, depends_on and constants",
          .enabled(if: ProcessInfo.processInfo.environment["QG_TEST_PYTHON"] != nil, "scripts/test sets QG_TEST_PYTHON"),
          arguments: [(30, 11), (120, 12), (300, 13)] as [(Int, UInt64)])
    func agreesWithAlembic(count: Int, seed: UInt64) throws {
        let folder = try TemporaryFolder()
        let ids = try Self.generateRich(count: count, seed: seed, into: folder)
        let graph = RevisionGraph(try AlembicRevision.readFolder(folder.url.appendingPathComponent("script/versions"), display: "versions"))
        #expect(graph.problems.isEmpty, "\(graph.problems)")
        var random = SeededRandom(seed: seed)
        var agreed = 0
        let states: [[String]] = [[], [ids[count / 2]], [ids[Int(random.next() % UInt64(count))], ids[Int(random.next() % UInt64(count))]]]
        for current in states {
            let truth = try Self.alembic(folder, current: Array(Set(current)).sorted())
            guard let heads = truth["heads"] as? [String], let upgrade = truth["upgrade"] as? [String] else {
                // Two revisions on one branch cannot both be current; Alembic says so, and the state is not compared.
                continue
            }
            #expect(graph.heads.map(\.id).sorted() == heads)
            #expect(graph.pending(from: current).map(\.id).sorted() == upgrade, "from \(current)")
            agreed += 1
        }
        #expect(agreed >= 2)
        print("Alembic corpus (\(count) revisions): \(agreed) states agree with Alembic")
    }

    @Test("the defects the issue found, by name: computed branch_labels, depends_on naming nothing, a file without a revision, a parent as a constant")
    func regressions() throws {
        let neutron = try TemporaryFolder(files: [
            "v/a.py": "from neutron.db.migration import cli\nrevision = 'a'\ndown_revision = None\nbranch_labels = (cli.EXPAND_BRANCH,)\n",
            "v/b.py": "PARENT = 'a'\nrevision = 'b'\ndown_revision = PARENT\n",
        ])
        let graph = RevisionGraph(try AlembicRevision.readFolder(neutron.url.appendingPathComponent("v"), display: "v"))
        #expect(graph.problems.isEmpty)
        #expect(graph.heads.map(\.id) == ["b"])
        let missing = try TemporaryFolder(files: ["v/a.py": "revision = 'a'\ndown_revision = None\ndepends_on = 'nowhere'\n"])
        #expect(RevisionGraph(try AlembicRevision.readFolder(missing.url.appendingPathComponent("v"), display: "v")).problems
                == ["v/a.py:1: depends_on nowhere names no revision or branch label"])
        let helper = try TemporaryFolder(files: ["v/a.py": "revision = 'a'\ndown_revision = None\n", "v/helpers.py": "def x():\n    pass\n"])
        #expect(throws: AlembicError.self) { try AlembicRevision.readFolder(helper.url.appendingPathComponent("v"), display: "v") }
        let legacy = try TemporaryFolder(files: ["v/1f2e.py": "down_revision = None\n"])
        #expect(try AlembicRevision.readFolder(legacy.url.appendingPathComponent("v"), display: "v").map(\.id) == ["1f2e"])
        // Applied through depends_on: not pending again.
        let depends = RevisionGraph([
            AlembicRevision(id: "a", downRevisions: [], branchLabels: [], dependsOn: [], file: "a", line: 1),
            AlembicRevision(id: "x", downRevisions: [], branchLabels: [], dependsOn: [], file: "x", line: 1),
            AlembicRevision(id: "b", downRevisions: ["a"], branchLabels: [], dependsOn: ["x"], file: "b", line: 1),
        ])
        #expect(depends.pending(from: ["b"]).isEmpty)
        #expect(depends.pending(from: []).map(\.id).sorted() == ["a", "b", "x"])
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
