import FoundationEssentials

/// One migration file as Alembic reads it: its module-level `revision`, `down_revision`,
/// `branch_labels` and `depends_on`, in the plain (`revision = "a1"`) or the annotated style
/// (`down_revision: Union[str, Sequence[str], None] = ("a1", "b2")`).
struct AlembicRevision: Sendable, Equatable {
    let id: String
    let downRevisions: [String]
    let branchLabels: [String]
    let dependsOn: [String]
    /// The file, relative to the project root.
    let file: String
    /// The line of the `revision` assignment.
    let line: Int

    /// The file name without `.py`, the way responders refer to a migration (`003_consent_records`).
    var name: String {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        return base.hasSuffix(".py") ? String(base.dropLast(3)) : base
    }

    /// Reads every `.py` file directly in `folder` (as Alembic does without recursive version
    /// locations); files with no `revision` assignment are not migrations and are passed over.
    static func readFolder(_ folder: URL, display: String) throws(ObservationError) -> [AlembicRevision] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw ObservationError(FileSystem.kind(of: folder.path) == nil ? "\(display) does not exist" : "cannot read \(display)")
        }
        var revisions: [AlembicRevision] = []
        for name in names.sorted() where name.hasSuffix(".py") && !name.hasPrefix(".") {
            let path = display.hasSuffix("/") ? display + name : display + "/" + name
            let bytes: [UInt8]
            do {
                bytes = try FileReader.read(folder.appendingPathComponent(name), display: path)
            } catch {
                throw ObservationError(error.description)
            }
            do {
                if let revision = try parse(bytes, file: path) { revisions.append(revision) }
            } catch {
                throw ObservationError(error.message)
            }
        }
        return revisions
    }

    /// The revision a file defines; nil when it assigns no `revision` at module level.
    static func parse(_ bytes: [UInt8], file: String) throws(ObservationError) -> AlembicRevision? {
        var values: [String: (value: PythonLiteral, line: Int)] = [:]
        let wanted: [String] = ["revision", "down_revision", "branch_labels", "depends_on"]
        var lineStart = 0
        var lineNumber = 1
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            if let name = wanted.first(where: { startsAssignment(bytes, at: lineStart, name: $0) }) {
                let (literal, end) = try PythonLiteral.parseAssignment(bytes, nameEnd: lineStart + name.utf8.count,
                                                                       file: file, line: lineNumber)
                values[name] = (literal, lineNumber)
                lineNumber += bytes[lineStart..<min(end, bytes.count)].filter { $0 == 0x0A }.count
                lineStart = min(end, bytes.count)
                if lineStart < bytes.count && bytes[lineStart] == 0x0A { lineStart += 1; lineNumber += 1 }
                continue
            }
            lineStart = lineEnd + 1
            lineNumber += 1
        }
        guard let revision = values["revision"] else { return nil }
        guard case .string(let id) = revision.value else {
            throw ObservationError("\(file):\(revision.line): revision must be a string")
        }
        func strings(_ key: String) throws(ObservationError) -> [String] {
            guard let entry = values[key] else { return [] }
            switch entry.value {
            case .none: return []
            case .string(let text): return [text]
            case .list(let items): return items
            }
        }
        guard values["down_revision"] != nil else {
            throw ObservationError("\(file):\(revision.line): revision \(id) has no down_revision")
        }
        return AlembicRevision(id: id, downRevisions: try strings("down_revision"), branchLabels: try strings("branch_labels"),
                               dependsOn: try strings("depends_on"), file: file, line: revision.line)
    }

    /// `name` at the very start of the line, followed by `=` or an annotation (`:`), not `==`.
    private static func startsAssignment(_ bytes: [UInt8], at start: Int, name: String) -> Bool {
        let name = Array(name.utf8)
        guard start + name.count < bytes.count, bytes[start..<(start + name.count)].elementsEqual(name) else { return false }
        var index = start + name.count
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: ":") { return true }
        return bytes[index] == UInt8(ascii: "=") && (index + 1 >= bytes.count || bytes[index + 1] != UInt8(ascii: "="))
    }
}
