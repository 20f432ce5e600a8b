import ProjectFiles

/// The GraphQL documents of a frontend: `.graphql`/`.gql` files whole, and the templates of its
/// JavaScript and TypeScript files, each with the file it came from, its outline, and the
/// fragments it may use as the frontend's own tooling resolves them (`FragmentScope`).
public struct FrontendDocuments: Sendable {
    public struct Document: Sendable {
        /// The file, as messages name it (relative to the project root).
        public var file: String
        public var template: TaggedTemplate
        /// What the document defines and spreads; nil when it does not read as GraphQL.
        public var outline: DocumentOutline?
        /// The documents whose fragments it may use; nil when they are found by name across the
        /// project (codegen's client preset, `.graphql` files without `#import`, or an
        /// interpolation that cannot be followed statically).
        public var scope: Set<Int>?
    }

    public static let graphQLExtensions: Set<String> = ["graphql", "gql"]
    public static let scriptExtensions: Set<String> = ["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"]
    /// Folders never searched: dependencies, builds and tools' caches are not the project's documents.
    public static let skippedFolders: Set<String> = ["node_modules", "dist", "build", ".expo", ".next", "__generated__", "coverage"]
    /// Enough for any frontend; a limit so that pointing at `/` cannot read a disk.
    public static let fileLimit = 50_000

    public var documents: [Document] = []
    /// How many files were read.
    public var files = 0
    /// The imports of each script file read.
    var imports: [String: [ScriptImport]] = [:]

    public struct Problem: Error { public let message: String }

    /// Collects the documents under `paths` (files or folders, relative to `root`), in a stable
    /// order, leaving out what `finder` excludes; then resolves each document's fragment scope.
    public static func collect(_ paths: [String], root: String, finder: PathFinder? = nil) throws(Problem) -> FrontendDocuments {
        var collected = FrontendDocuments()
        var queue: [String] = []
        var seen: Set<String> = []
        for path in paths {
            let full = path.hasPrefix("/") ? path : root + "/" + path
            switch FileSystem.kind(of: full) {
            case .file?: if seen.insert(path).inserted { queue.append(path) }
            case .directory?: try walk(path, root: root, finder: finder, into: &queue, seen: &seen)
            default: throw Problem(message: "\(path) does not exist")
            }
        }
        for file in queue {
            try collected.add(file, root: root)
        }
        collected.resolveScopes(root: root)
        return collected
    }

    private static func walk(_ folder: String, root: String, finder: PathFinder?, into queue: inout [String], seen: inout Set<String>) throws(Problem) {
        var pending = [folder]
        while let current = pending.popLast() {
            let full = current.hasPrefix("/") ? current : root + "/" + current
            let listed: [FileSystem.Folder.Entry]
            if let entries = finder?.listings?.entries(of: full) {
                listed = entries
            } else {
                switch FileSystem.Folder.open(full) {
                case .success(let folder): listed = folder.entries().sorted { $0.name < $1.name }
                case .failure(let error): throw Problem(message: "cannot read \(current): \(error.reason)")
                }
            }
            var subfolders: [String] = []
            for entry in listed where !entry.name.hasPrefix(".") {
                let name = entry.name
                let path = current == "." ? name : current + "/" + name
                // A folder or file that cannot be a document is passed over before the exclusions are asked.
                guard entry.kind == .directory || entry.kind == .unknown || entry.kind == .symbolicLink || isDocumentFile(name) else { continue }
                if finder?.isExcluded(path) == true { continue }
                let kind: FileSystem.Kind? = switch entry.kind {
                case .file: .file
                case .directory: .directory
                case .symbolicLink, .unknown, .other: FileSystem.kind(of: full + "/" + name)
                }
                switch kind {
                case .directory?:
                    // A linked folder is not followed: it may lead out of the project, or back into it.
                    if !skippedFolders.contains(name), entry.kind != .symbolicLink { subfolders.append(path) }
                case .file?:
                    if isDocumentFile(name), seen.insert(path).inserted {
                        queue.append(path)
                        if queue.count > fileLimit {
                            throw Problem(message: "more than \(fileLimit) script and GraphQL files under \(folder); name the frontend's source folders")
                        }
                    }
                default: break
                }
            }
            pending += subfolders.reversed()
        }
    }

    public static func isDocumentFile(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: ".") else { return false }
        let suffix = name[name.index(after: dot)...].lowercased()
        return graphQLExtensions.contains(suffix) || scriptExtensions.contains(suffix)
    }

    private mutating func add(_ file: String, root: String) throws(Problem) {
        let full = file.hasPrefix("/") ? file : root + "/" + file
        let bytes: [UInt8]
        do {
            bytes = try FileReader.read(path: full, display: file)
        } catch {
            throw Problem(message: error.description)
        }
        files += 1
        let suffix = file.split(separator: ".").last.map { $0.lowercased() } ?? ""
        if Self.graphQLExtensions.contains(suffix) {
            let text = String(decoding: bytes, as: UTF8.self)
            // A schema file (`type Query { … }`) is not one of the frontend's documents.
            if SDLText.isTypeSystem(text) { return }
            documents.append(Document(file: file, template: TaggedTemplate(text: text, line: 1, column: 1, form: .file),
                                      outline: DocumentOutline.read(text)))
        } else {
            let source = TemplateExtractor.read(bytes)
            imports[file] = source.imports
            for template in source.templates {
                documents.append(Document(file: file, template: template, outline: DocumentOutline.read(template.text)))
            }
        }
    }
}
