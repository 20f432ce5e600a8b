/// Reads the `import … from` and `export … from` statements of a script from its top-level
/// tokens: what a template's `${NAME}` may have been imported as.
enum ImportReader {
    static func imports(in tokens: [ScriptToken]) -> [ScriptImport] {
        var found: [ScriptImport] = []
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            guard case .word(let keyword) = tokens[index], keyword == "import" || keyword == "export" else { continue }
            // `import`/`export` must start a statement: not `x.import`, not `foo(import(…))`.
            if index > 0, tokens[index - 1] == .punctuation(UInt8(ascii: ".")) { continue }
            guard let end = statementEnd(tokens, from: index + 1) else { continue }
            let body = Array(tokens[(index + 1)..<end.clauseEnd])
            found += keyword == "import" ? importClause(body, module: end.module) : exportClause(body, module: end.module)
            index = end.clauseEnd
        }
        return found
    }

    /// Where the clause ends (at `from`) and the module named after it; nil when the statement
    /// has no `from "module"` within a few dozen tokens (a local export, a dynamic import).
    private static func statementEnd(_ tokens: [ScriptToken], from start: Int) -> (clauseEnd: Int, module: String)? {
        var index = start
        while index < tokens.count, index < start + 200 {
            switch tokens[index] {
            case .word("from"):
                guard index + 1 < tokens.count, case .string(let module) = tokens[index + 1] else { return nil }
                return (index, module)
            case .punctuation(UInt8(ascii: ";")), .template, .word("import"), .word("export") where index > start:
                return nil
            case .punctuation(UInt8(ascii: "=")), .punctuation(UInt8(ascii: "(")):
                return nil
            default:
                index += 1
            }
        }
        return nil
    }

    /// `D`, `{ A, B as C }`, `* as NS`, combined with commas; `type` modifiers are passed over.
    private static func importClause(_ body: [ScriptToken], module: String) -> [ScriptImport] {
        var found: [ScriptImport] = []
        var index = 0
        if body.first == .word("type") { index += 1 }
        while index < body.count {
            switch body[index] {
            case .punctuation(UInt8(ascii: "{")):
                let (names, next) = namedList(body, from: index + 1)
                found += names.map { ScriptImport(local: $0.local, imported: $0.imported == "default" ? .defaultExport : .name($0.imported), module: module, isReexport: false) }
                index = next
            case .punctuation(UInt8(ascii: "*")):
                if index + 2 < body.count, body[index + 1] == .word("as"), case .word(let name) = body[index + 2] {
                    found.append(ScriptImport(local: name, imported: .namespace, module: module, isReexport: false))
                }
                index += 3
            case .word(let name) where name != "type":
                found.append(ScriptImport(local: name, imported: .defaultExport, module: module, isReexport: false))
                index += 1
            default:
                index += 1
            }
        }
        return found
    }

    /// `{ A, B as C }`, `*`, `* as NS`.
    private static func exportClause(_ body: [ScriptToken], module: String) -> [ScriptImport] {
        var index = 0
        if body.first == .word("type") { index += 1 }
        guard index < body.count else { return [] }
        switch body[index] {
        case .punctuation(UInt8(ascii: "{")):
            return namedList(body, from: index + 1).names.map {
                ScriptImport(local: $0.local, imported: $0.imported == "default" ? .defaultExport : .name($0.imported), module: module, isReexport: true)
            }
        case .punctuation(UInt8(ascii: "*")):
            if index + 2 < body.count, body[index + 1] == .word("as"), case .word(let name) = body[index + 2] {
                return [ScriptImport(local: name, imported: .namespace, module: module, isReexport: true)]
            }
            return [ScriptImport(local: "*", imported: .everything, module: module, isReexport: true)]
        default:
            return []
        }
    }

    /// The names of `{ A, B as C, type D }` up to its `}`, and the index after it.
    private static func namedList(_ body: [ScriptToken], from start: Int) -> (names: [(imported: String, local: String)], next: Int) {
        var names: [(String, String)] = []
        var index = start
        while index < body.count, body[index] != .punctuation(UInt8(ascii: "}")) {
            guard case .word(var imported) = body[index] else { index += 1; continue }
            if imported == "type", index + 1 < body.count, case .word(let next) = body[index + 1], next != "as" {
                imported = next
                index += 1
            }
            var local = imported
            if index + 2 < body.count, body[index + 1] == .word("as"), case .word(let alias) = body[index + 2] {
                local = alias
                index += 2
            }
            names.append((imported, local))
            index += 1
        }
        return (names, index + 1)
    }
}
