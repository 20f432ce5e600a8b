import Testing
import YAMLReader

struct YAMLReaderTests {
    private func read(_ text: String, limits: YAMLLimits = YAMLLimits()) throws(YAMLError) -> YAMLNode? {
        try YAMLReader.read(Array(text.utf8), limits: limits)
    }

    private func error(_ text: String, limits: YAMLLimits = YAMLLimits()) -> YAMLError? {
        do {
            _ = try read(text, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test("marks are 1-based lines and columns")
    func marks() throws {
        let node = try #require(try read("a: 1\nlist:\n  - x\n"))
        guard case .mapping(let pairs, _) = node else { Issue.record("not a mapping"); return }
        #expect(pairs[1].key.mark == YAMLMark(line: 2, column: 1))
        guard case .sequence(let items, _) = pairs[1].value else { Issue.record("not a list"); return }
        #expect(items[0].mark == YAMLMark(line: 3, column: 5))
    }

    @Test("refuses 100,000 nested brackets without recursing")
    func deepNesting() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(error(text) == .tooDeep(limit: 64, mark: YAMLMark(line: 1, column: 65)))
    }

    @Test("refuses an alias bomb before expanding it, naming the alias that explodes and its anchor")
    func aliasBomb() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(refs)]")
        }
        guard case .aliasBomb(let alias, let expands, let anchorLine, let limit, let mark) = error(lines.joined(separator: "\n")) else {
            Issue.record("the alias bomb was accepted")
            return
        }
        #expect(limit == 200_000)
        #expect((alias, anchorLine, mark.line) == ("a4", 5, 6))
        #expect(expands == 111_111)
        // Defined high and used once at the end: the use is named, not the first alias.
        let hidden = ["x0: &x0 [" + Array(repeating: "y", count: 100).joined(separator: ", ") + "]",
                      "x1: &x1 [" + Array(repeating: "*x0", count: 100).joined(separator: ", ") + "]",
                      "gates:", "  g: {title: T, severity: P0, checks: []}", "bomb: [*x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1]"]
        guard case .aliasBomb(let bombAlias, _, let bombAnchor, _, let bombMark) = error(hidden.joined(separator: "\n")) else {
            Issue.record("the hidden bomb was accepted")
            return
        }
        #expect((bombAlias, bombAnchor, bombMark.line) == ("x1", 2, 5))
    }

    @Test("a core tag on a node it cannot describe is refused: !!str on a mapping, !!int on text, !!map on a value")
    func mismatchedTags() {
        #expect(error("a: !!str {b: 1}\n") == .mismatchedTag(tag: "!!str", node: "a mapping", mark: YAMLMark(line: 1, column: 4)))
        #expect(error("a: !!str [1]\n") == .mismatchedTag(tag: "!!str", node: "a list", mark: YAMLMark(line: 1, column: 4)))
        #expect(error("a: !!int abc\n") == .mismatchedTag(tag: "!!int", node: "'abc', which is not an integer", mark: YAMLMark(line: 1, column: 4)))
        #expect(error("a: !!map x\n") == .mismatchedTag(tag: "!!map", node: "a plain value", mark: YAMLMark(line: 1, column: 4)))
        #expect(error("a: !!bool yes\n") == .mismatchedTag(tag: "!!bool", node: "'yes', which is not true or false", mark: YAMLMark(line: 1, column: 4)))
        for fine in ["a: !!str 12\n", "a: !!int -0x1F\n", "a: !!float 1e3\n", "a: !!float .inf\n", "a: !!null ~\n", "a: !!map {b: 1}\n"] {
            #expect(throws: Never.self, "\(fine)") { _ = try YAMLReader.read(Array(fine.utf8)) }
        }
    }

    @Test("an error at the end of a file without a final newline names its last line, not one past it")
    func errorAtTheEnd() {
        guard let mark = error("gates:\n  g: {title: T, checks: [1, 2")?.mark else {
            Issue.record("accepted")
            return
        }
        #expect(mark.line == 2)
        #expect(mark.column == 30)
    }

    @Test("refuses duplicate keys, naming both lines")
    func duplicateKeys() {
        #expect(error("a: 1\nb: 2\na: 3\n") == .duplicateKey(key: "a", mark: YAMLMark(line: 3, column: 1), first: YAMLMark(line: 1, column: 1)))
    }

    @Test("refuses an alias inside its own anchor")
    func aliasCycle() {
        #expect(error("a: &x [1, *x]\n") == .aliasCycle(anchor: "x", mark: YAMLMark(line: 1, column: 11)))
    }

    @Test("refuses an undefined alias")
    func undefinedAlias() {
        #expect(error("a: *nowhere\n") == .undefinedAlias(anchor: "nowhere", mark: YAMLMark(line: 1, column: 4)))
    }

    @Test("refuses tags outside the core schema")
    func unknownTags() {
        #expect(error("a: !!python/object:os.system x\n") == .unknownTag(tag: "!!python/object:os.system", mark: YAMLMark(line: 1, column: 4)))
        #expect(error("a: !custom x\n") == .unknownTag(tag: "!custom", mark: YAMLMark(line: 1, column: 4)))
        #expect(error("a: !!str 5\n") == nil)
    }

    @Test("refuses a second document")
    func multipleDocuments() {
        #expect(error("a: 1\n---\nb: 2\n") == .multipleDocuments(mark: YAMLMark(line: 2, column: 1)))
    }

    @Test("reports invalid UTF-8 at its line and column, not a byte offset")
    func invalidUTF8() throws {
        var bytes = Array("a: 1\nb: x".utf8)
        bytes += [0xC3, 0x28]
        do {
            _ = try YAMLReader.read(bytes)
            Issue.record("invalid UTF-8 was accepted")
        } catch {
            guard case .syntax(let problem, let mark) = error else { Issue.record("\(error)"); return }
            #expect(problem.contains("UTF-8"))
            #expect(mark == YAMLMark(line: 2, column: 5))
        }
    }

    @Test("refuses binary garbage with a place, and never crashes")
    func binaryGarbage() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<512).map { _ in UInt8.random(in: 0...255, using: &generator) }
            do {
                _ = try YAMLReader.read(bytes)
            } catch {
                #expect(error.mark != nil || error == .tooLarge(bytes: 512, limit: 0))
            }
        }
    }

    @Test("refuses a source over the size limit before parsing")
    func tooLarge() {
        #expect(error("a: 1\n", limits: YAMLLimits(maxBytes: 3)) == .tooLarge(bytes: 5, limit: 3))
    }

    @Test("merge keys copy the keys the mapping does not set")
    func mergeKeys() throws {
        let node = try #require(try read("base: &b {timeout: 5, retries: 1}\ncheck:\n  <<: *b\n  retries: 2\n"))
        guard case .mapping(let top, _) = node, case .mapping(let pairs, _) = top[1].value else { Issue.record("shape"); return }
        #expect(pairs.map(\.key.value) == ["retries", "timeout"])
        guard case .scalar(let retries) = pairs[0].value else { Issue.record("shape"); return }
        #expect(retries.value == "2")
    }

    @Test("an empty source has no document")
    func empty() throws {
        #expect(try read("# only a comment\n") == nil)
    }
}
