/// A fragment definition of one document, named from another that uses it.
public struct FragmentReference: Sendable, Equatable, Hashable {
    public var document: Int
    public var name: String

    public init(document: Int, name: String) {
        self.document = document
        self.name = name
    }
}

/// Which fragments a document may use, as the frontend's tooling resolves them:
/// - a `gql` template (Apollo, graphql-tag) sees the fragments it defines and those of the
///   templates it interpolates (`${CHILD_FIELDS}`), followed through imports and re-exports,
///   transitively; a fragment defined elsewhere but not interpolated is unknown there, as it is
///   to Apollo at run time;
/// - gql.tada's `graphql(`…`, [ChildFields])` sees the fragments listed;
/// - a `.graphql` file with `#import` lines sees the files it imports;
/// - codegen's `graphql(`…`)` and `.graphql` files without imports see every fragment of the
///   project by name, as GraphQL Code Generator resolves them.
/// An interpolation that cannot be followed statically (an aliased import path, a computed
/// expression) makes the document fall back to names across the project: no false alarm.
extension FrontendDocuments {
    mutating func resolveScopes(root: String) {
        let index = BindingIndex(documents)
        let direct = documents.indices.map { directScope(of: $0, index: index) }
        for position in documents.indices {
            documents[position].scope = closure(from: position, direct: direct)
        }
    }

    /// The documents a document names directly; nil when it resolves by name.
    private func directScope(of position: Int, index: BindingIndex) -> [Int]? {
        let document = documents[position]
        switch document.template.form {
        case .file:
            guard let paths = document.outline?.imports, !paths.isEmpty else { return nil }
            var found: [Int] = []
            for path in paths {
                guard let target = ModulePath.resolve(path, from: document.file, extensions: []),
                      let targets = index.byFile[target] else { return nil }
                found += targets
            }
            return found
        case .call:
            guard !document.template.fragmentArguments.isEmpty else { return nil }
            return resolveAll(document.template.fragmentArguments, in: document.file, index: index)
        case .tag, .comment:
            return resolveAll(document.template.interpolations.map(\.expression), in: document.file, index: index)
        }
    }

    private func resolveAll(_ expressions: [String], in file: String, index: BindingIndex) -> [Int]? {
        var found: [Int] = []
        for expression in expressions {
            guard let targets = resolve(expression, in: file, index: index) else { return nil }
            found += targets
        }
        return found
    }

    /// The documents an interpolated expression names: `NAME`, `Namespace.NAME`, or (by its last
    /// name, when that is unique in the project) `Component.fragments.name`.
    private func resolve(_ expression: String, in file: String, index: BindingIndex) -> [Int]? {
        let parts = expression.split(separator: ".").map { String($0) }
        guard !parts.isEmpty, parts.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" } }) else { return nil }
        if parts.count == 1 {
            if let local = index.bindings[BindingIndex.key(file, parts[0])] { return local }
            if let imported = imports[file]?.last(where: { !$0.isReexport && $0.local == parts[0] && $0.imported != .namespace }) {
                return export(imported.imported, of: imported.module, from: file, index: index, depth: 0)
                    ?? index.unique(imported.imported.name ?? parts[0])
            }
            return nil
        }
        if parts.count == 2, let namespace = imports[file]?.last(where: { !$0.isReexport && $0.local == parts[0] && $0.imported == .namespace }) {
            return export(.name(parts[1]), of: namespace.module, from: file, index: index, depth: 0) ?? index.unique(parts[1])
        }
        return index.unique(parts[parts.count - 1])
    }

    /// What `module` (imported from `file`) exports as `name`: its own binding, or a re-export.
    private func export(_ name: ScriptImport.Imported, of module: String, from file: String, index: BindingIndex, depth: Int) -> [Int]? {
        guard depth < 16, let target = ModulePath.resolve(module, from: file, extensions: Self.moduleExtensions,
                                                          exists: { index.byFile[$0] != nil || imports[$0] != nil }) else { return nil }
        let wanted = name.name ?? (name == .defaultExport ? "default" : nil)
        if let wanted, let own = index.bindings[BindingIndex.key(target, wanted)] { return own }
        for reexport in imports[target] ?? [] where reexport.isReexport {
            if reexport.imported == .everything {
                if let found = export(name, of: reexport.module, from: target, index: index, depth: depth + 1) { return found }
            } else if reexport.local == wanted {
                return export(reexport.imported, of: reexport.module, from: target, index: index, depth: depth + 1)
            }
        }
        return nil
    }

    static let moduleExtensions = ["", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts",
                                   "/index.ts", "/index.tsx", "/index.js", "/index.jsx"]

    /// Everything reachable from a document through the documents it names; nil when any of them
    /// (itself included) resolves by name.
    private func closure(from start: Int, direct: [[Int]?]) -> Set<Int>? {
        var seen: Set<Int> = [start]
        var pending = [start]
        while let next = pending.popLast() {
            guard let named = direct[next] else {
                // A document that resolves by name makes everything that reaches it do the same,
                // unless it defines fragments only and spreads none of others (nothing to resolve).
                if next != start, let outline = documents[next].outline,
                   outline.spreads.allSatisfy({ spread in outline.fragments.contains { $0.name == spread.name } }) {
                    continue
                }
                return nil
            }
            for target in named where seen.insert(target).inserted { pending.append(target) }
        }
        seen.remove(start)
        return seen
    }

    /// The fragment definitions `position` uses from other documents, each once, in the order a
    /// reader would append them: the ones its own spreads name, then the ones those spread.
    public func fragmentsToAppend(for position: Int) -> [FragmentReference] {
        guard let outline = documents[position].outline else { return [] }
        let own = Set(outline.fragments.map(\.name))
        let candidates = documents[position].scope.map { $0.sorted() } ?? Array(documents.indices).filter { $0 != position }
        var appended: [FragmentReference] = []
        var wanted = outline.spreads.map(\.name).filter { !own.contains($0) }
        var done = own
        while !wanted.isEmpty {
            let name = wanted.removeFirst()
            guard done.insert(name).inserted else { continue }
            for candidate in candidates {
                guard let fragment = documents[candidate].outline?.fragments.first(where: { $0.name == name }) else { continue }
                appended.append(FragmentReference(document: candidate, name: name))
                wanted += fragment.spreads.filter { !done.contains($0) }
                break
            }
        }
        return appended
    }

    /// Fragments no operation of the project reaches, directly or through other fragments.
    public func unusedFragments() -> [(document: Int, fragment: DocumentOutline.Fragment)] {
        var definitions: [String: [DocumentOutline.Fragment]] = [:]
        for document in documents {
            for fragment in document.outline?.fragments ?? [] { definitions[fragment.name, default: []].append(fragment) }
        }
        var reached: Set<String> = []
        // A document that does not parse (its own error is reported) may still use fragments:
        // its spreads are read from the text, so they are not also reported as never used.
        var pending = documents.flatMap { $0.outline?.operations.flatMap(\.spreads) ?? Self.spreadsInText($0.template.text) }
        while let name = pending.popLast() {
            guard reached.insert(name).inserted else { continue }
            pending += (definitions[name] ?? []).flatMap(\.spreads)
        }
        var unused: [(Int, DocumentOutline.Fragment)] = []
        for (position, document) in documents.enumerated() {
            for fragment in document.outline?.fragments ?? [] where !reached.contains(fragment.name) { unused.append((position, fragment)) }
        }
        return unused
    }

    /// The names after `...` in a text that does not parse (`...on` is an inline fragment).
    static func spreadsInText(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        var names: [String] = []
        var index = 0
        while index + 3 < bytes.count {
            guard bytes[index] == UInt8(ascii: "."), bytes[index + 1] == UInt8(ascii: "."), bytes[index + 2] == UInt8(ascii: ".") else {
                index += 1
                continue
            }
            index += 3
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
            let start = index
            while index < bytes.count, bytes[index].isASCIIAlphanumeric || bytes[index] == UInt8(ascii: "_") { index += 1 }
            let name = String(decoding: bytes[start..<index], as: UTF8.self)
            if !name.isEmpty, name != "on" { names.append(name) }
        }
        return names
    }

    /// Every definition of a fragment name already defined by an earlier document, with that
    /// document: graphql-tag and GraphQL Code Generator both want names unique across a project.
    public func duplicateFragments() -> [(document: Int, fragment: DocumentOutline.Fragment, first: Int)] {
        var first: [String: Int] = [:]
        var duplicates: [(Int, DocumentOutline.Fragment, Int)] = []
        for (position, document) in documents.enumerated() {
            for fragment in document.outline?.fragments ?? [] {
                if let earlier = first[fragment.name], earlier != position {
                    duplicates.append((position, fragment, earlier))
                } else if first[fragment.name] == nil {
                    first[fragment.name] = position
                }
            }
        }
        return duplicates
    }

    /// The documents that define `name`.
    public func definitions(ofFragment name: String) -> [Int] {
        documents.indices.filter { documents[$0].outline?.fragments.contains { $0.name == name } == true }
    }

    /// The operation named `name` and the document that holds it.
    public func operation(named name: String) -> (document: Int, operation: DocumentOutline.Operation)? {
        for (position, document) in documents.enumerated() {
            if let operation = document.outline?.operations.first(where: { $0.name == name }) { return (position, operation) }
        }
        return nil
    }

    /// The text the frontend sends for the operation named `name`: its document, with the
    /// fragment definitions it uses from other documents appended (as graphql-tag's interpolation
    /// or codegen's generated document would hold them).
    public func requestText(forOperation name: String) -> (text: String, operation: DocumentOutline.Operation, place: String)? {
        guard let (position, operation) = operation(named: name) else { return nil }
        var text = documents[position].template.text
        for reference in fragmentsToAppend(for: position) {
            guard let fragment = documents[reference.document].outline?.fragments.first(where: { $0.name == reference.name }) else { continue }
            let bytes = Array(documents[reference.document].template.text.utf8)
            text += "\n" + String(decoding: bytes[min(fragment.range.lowerBound, bytes.count)..<min(fragment.range.upperBound, bytes.count)], as: UTF8.self)
        }
        let template = documents[position].template
        let place = template.filePosition(line: operation.line, column: operation.column)
        return (text, operation, "\(documents[position].file):\(place.line):\(place.column)")
    }

    /// Every named operation of the project.
    public var operationNames: [String] {
        documents.flatMap { $0.outline?.operations.compactMap(\.name) ?? [] }
    }
}

/// The templates of the project by the name they are assigned to.
struct BindingIndex {
    var byFile: [String: [Int]] = [:]
    var bindings: [String: [Int]] = [:]
    var byName: [String: [(file: String, document: Int)]] = [:]

    init(_ documents: [FrontendDocuments.Document]) {
        for (position, document) in documents.enumerated() {
            byFile[document.file, default: []].append(position)
            if let binding = document.template.binding {
                bindings[Self.key(document.file, binding), default: []].append(position)
                byName[binding, default: []].append((document.file, position))
            }
        }
    }

    static func key(_ file: String, _ name: String) -> String { file + "\u{0}" + name }

    /// The documents bound to `name`, when a single file binds it.
    func unique(_ name: String) -> [Int]? {
        guard let found = byName[name], Set(found.map(\.file)).count == 1 else { return nil }
        return found.map(\.document)
    }
}

extension ScriptImport.Imported {
    var name: String? {
        if case .name(let name) = self { return name }
        return nil
    }
}

/// Relative module paths, resolved as bundlers do for the extensions given.
enum ModulePath {
    /// `spec` imported from `file`, when it is relative (`./x`, `../x`); with the first extension
    /// for which `exists` says yes.
    static func resolve(_ spec: String, from file: String, extensions: [String], exists: (String) -> Bool = { _ in true }) -> String? {
        guard spec.hasPrefix("./") || spec.hasPrefix("../") else { return nil }
        var parts = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().map(String.init)
        for part in spec.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty, parts.last != ".." else { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        let base = parts.joined(separator: "/")
        if extensions.isEmpty { return base }
        return extensions.lazy.map { base + $0 }.first(where: exists)
    }
}
