import ProjectFiles

/// The GraphQL documents of a frontend: `.graphql`/`.gql` files whole, and the tagged templates of
/// its JavaScript and TypeScript files, each with the file it came from.
public struct FrontendDocuments: Sendable {
    public struct Document: Sendable {
        /// The file, as the gate file names it (relative to the project root).
        public var file: String
        public var template: TaggedTemplate
    }

    static let graphQLExtensions: Set<String> = ["graphql", "gql"]
    static let scriptExtensions: Set<String> = ["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"]
    /// Folders never searched: dependencies and tools' caches are not the project's documents.
    static let skippedFolders: Set<String> = ["node_modules", "dist", "build", ".expo", ".next"]
    /// Enough for any frontend; a limit so that pointing at `/` cannot read a disk.
    static let fileLimit = 50_000

    public var documents: [Document] = []
    public var files = 0

    public struct Problem: Error { public let message: String }

    /// Collects the documents under `paths` (files or folders, relative to `root`), in a stable order.
    public static func collect(_ paths: [String], root: String) throws(Problem) -> FrontendDocuments {
        var collected = FrontendDocuments()
        var queue: [String] = []
        for path in paths {
            let full = path.hasPrefix("/") ? path : root + "/" + path
            switch FileSystem.kind(of: full) {
            case .file?: queue.append(path)
            case .directory?: try collected.walk(path, root: root, into: &queue)
            default: throw Problem(message: "\(path) does not exist")
            }
        }
        for file in queue {
            try collected.add(file, root: root)
        }
        return collected
    }

    private func walk(_ folder: String, root: String, into queue: inout [String]) throws(Problem) {
        var pending = [folder]
        while let current = pending.popLast() {
            let full = current.hasPrefix("/") ? current : root + "/" + current
            let opened: FileSystem.Folder
            switch FileSystem.Folder.open(full) {
            case .success(let folder): opened = folder
            case .failure(let error): throw Problem(message: "cannot read \(current): \(error.reason)")
            }
            var subfolders: [String] = []
            for name in opened.names().sorted() where !name.hasPrefix(".") {
                let path = current + "/" + name
                switch FileSystem.kind(of: full + "/" + name) {
                case .directory?:
                    if !Self.skippedFolders.contains(name) { subfolders.append(path) }
                case .file?:
                    if Self.isDocumentFile(name) {
                        queue.append(path)
                        if queue.count > Self.fileLimit {
                            throw Problem(message: "more than \(Self.fileLimit) script and GraphQL files under \(folder); name the frontend's source folders")
                        }
                    }
                default: break
                }
            }
            pending += subfolders.reversed()
        }
    }

    static func isDocumentFile(_ name: String) -> Bool {
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
            documents.append(Document(file: file, template: TaggedTemplate(text: String(decoding: bytes, as: UTF8.self), line: 1, column: 1)))
        } else {
            for template in TemplateExtractor.templates(in: bytes) {
                documents.append(Document(file: file, template: template))
            }
        }
    }
}
