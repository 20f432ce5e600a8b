import Dispatch
import FoundationEssentials
import Glibc
import ProjectFiles
import Synchronization

/// One migration file as Alembic reads it: its module-level `revision`, `down_revision`,
/// `branch_labels` and `depends_on`, in the plain (`revision = "a1"`) or the annotated style
/// (`down_revision: Union[str, Sequence[str], None] = ("a1", "b2")`).
public struct AlembicRevision: Sendable, Equatable {
    public let id: String
    public let downRevisions: [String]
    public let branchLabels: [String]
    public let dependsOn: [String]
    /// False when `branch_labels` is computed (an imported constant): the labels are unknown.
    public let branchLabelsKnown: Bool
    /// The file, relative to the project root.
    public let file: String
    /// The line of the `revision` assignment.
    public let line: Int

    /// A revision as a file defines it.
    public init(id: String, downRevisions: [String], branchLabels: [String], dependsOn: [String], file: String, line: Int,
                branchLabelsKnown: Bool = true) {
        self.id = id
        self.downRevisions = downRevisions
        self.branchLabels = branchLabels
        self.dependsOn = dependsOn
        self.branchLabelsKnown = branchLabelsKnown
        self.file = file
        self.line = line
    }

    /// The file name without `.py`, the way responders refer to a migration (`003_consent_records`).
    public var name: String {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        return base.hasSuffix(".py") ? String(base.dropLast(3)) : base
    }

    /// Reads every `.py` file directly in `folder` (as Alembic does without recursive version
    /// locations); a file with no `revision` is an error, as it is for Alembic (`parseFile`).
    public static func readFolder(_ folder: URL, display: String) throws(AlembicError) -> [AlembicRevision] {
        let directory: FileSystem.Folder
        switch FileSystem.Folder.open(folder.path) {
        case .success(let opened): directory = opened
        case .failure(let error):
            throw AlembicError(error.missing ? "\(display) does not exist"
                                   : error.notAFolder ? "\(display) is not a folder" : "cannot read \(display): \(error.reason)")
        }
        let names = directory.names()
        let folderPath = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
        let displayPrefix = display.hasSuffix("/") ? display : display + "/"
        let files = names.filter { $0.hasSuffix(".py") && !$0.hasPrefix(".") }
        // Reading is mostly system calls; with tens of thousands of files, every core helps.
        let slices = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8, files.count / 256))
        let results = SliceResults(count: slices)
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            let range = (files.count * slice / slices)..<(files.count * (slice + 1) / slices)
            var revisions: [AlembicRevision] = []
            revisions.reserveCapacity(range.count)
            do throws(AlembicError) {
                for name in files[range] {
                    let path = displayPrefix + name
                    let bytes: [UInt8]
                    do throws(FileReader.Problem) {
                        if let small = try FileReader.readSmallRegularFile(name, in: directory, display: path) {
                            bytes = small
                        } else {
                            bytes = try FileReader.read(path: folderPath + name, display: path)
                        }
                    } catch {
                        throw AlembicError(error.description)
                    }
                    if let revision = try parseFile(bytes, name: name, file: path) { revisions.append(revision) }
                }
                results.set(slice, .success(revisions))
            } catch {
                results.set(slice, .failure(error))
            }
        }
        var revisions: [AlembicRevision] = []
        for result in results.all {
            switch result {
            case .success(let slice): revisions += slice
            case .failure(let error): throw error
            case nil: throw AlembicError("\(display): reading was interrupted")
            }
        }
        return revisions
    }

    private static let variables = ["revision", "down_revision", "branch_labels", "depends_on"].map { Array($0.utf8) }

    /// The revision a file defines; nil when it assigns no `revision` at module level. Names
    /// (`down_revision = PARENT`) are resolved from the file's own module-level constants; a
    /// `branch_labels` that cannot be resolved (a constant imported from another module, as
    /// neutron's expand/contract labels are) is left unknown, since labels do not change heads.
    public static func parse(_ bytes: [UInt8], file: String) throws(AlembicError) -> AlembicRevision? {
        let values = try assignments(bytes, file: file)
        guard let revision = values[0] else { return nil }
        return try revisionFrom(values, id: nil, bytes: bytes, file: file, line: revision.line)
    }

    /// What Alembic itself makes of a file in the versions folder: its revision, or, for a file
    /// without one, the revision its name gives (Alembic's legacy `<hex>.py`), or the error Alembic
    /// stops with. `__init__.py` and editor lock files (`.#…`) are not read by Alembic.
    static func parseFile(_ bytes: [UInt8], name: String, file: String) throws(AlembicError) -> AlembicRevision? {
        if name.hasPrefix("__init__") || name.hasPrefix(".#") { return nil }
        let values = try assignments(bytes, file: file)
        if let revision = values[0] { return try revisionFrom(values, id: nil, bytes: bytes, file: file, line: revision.line) }
        let stem = name.dropLast(3)
        if !stem.isEmpty, stem.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) }) {
            return try revisionFrom(values, id: String(stem), bytes: bytes, file: file, line: 1)
        }
        throw AlembicError("\(file) defines no revision: Alembic stops at it (\"Could not determine revision id from filename \(name)\"); "
                           + "move helpers out of the versions folder")
    }

    /// The four revision variables, as written, with their lines.
    private static func assignments(_ bytes: [UInt8], file: String) throws(AlembicError) -> [(value: PythonLiteral, line: Int)?] {
        // One slot per variable, in the order of `variables`.
        var values: [(value: PythonLiteral, line: Int)?] = [nil, nil, nil, nil]
        var lineStart = 0
        var lineNumber = 1
        while lineStart < bytes.count {
            // Assignments start in column 0 with a lower-case letter; most lines are passed over at once.
            let first = bytes[lineStart]
            if first >= UInt8(ascii: "b"), first <= UInt8(ascii: "r"),
               let slot = variables.firstIndex(where: { startsAssignment(bytes, at: lineStart, name: $0) }) {
                let parsed: (PythonLiteral, Int)
                do {
                    parsed = try PythonLiteral.parseAssignment(bytes, nameEnd: lineStart + variables[slot].count, file: file, line: lineNumber)
                } catch {
                    // A computed branch_labels does not change which revisions are heads.
                    guard slot == 2 else { throw error }
                    parsed = (.name("(computed)"), skipStatement(bytes, from: lineStart))
                }
                let (literal, end) = parsed
                values[slot] = (literal, lineNumber)
                for byte in bytes[lineStart..<min(end, bytes.count)] where byte == 0x0A { lineNumber += 1 }
                lineStart = min(end, bytes.count)
                if lineStart < bytes.count && bytes[lineStart] == 0x0A { lineStart += 1; lineNumber += 1 }
                continue
            }
            lineStart = (bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count) + 1
            lineNumber += 1
        }
        return values
    }

    /// Where a statement that could not be read ends: the end of its line, or of its brackets.
    private static func skipStatement(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case 0x0A where depth <= 0: return index
            default: break
            }
            index += 1
        }
        return bytes.count
    }

    private static func revisionFrom(_ values: [(value: PythonLiteral, line: Int)?], id given: String?, bytes: [UInt8], file: String,
                                     line: Int) throws(AlembicError) -> AlembicRevision {
        // Names are resolved only when one is used: most files hold literals alone.
        let usesNames = values.contains { slot in
            guard let value = slot?.value else { return false }
            if case .name = value { return true }
            if case .list(let items) = value { return items.contains { if case .name = $0 { true } else { false } } }
            return false
        }
        let constants = usesNames ? Self.constants(bytes, file: file) : [:]
        func resolved(_ slot: Int, _ what: String) throws(AlembicError) -> PythonLiteral? {
            guard let (value, line) = values[slot] else { return nil }
            guard let resolved = value.resolved(constants) else {
                throw AlembicError("\(file):\(line): \(what) is not a literal this file defines; revision variables must be literal strings, tuples or lists, None, or a constant of the same file")
            }
            return resolved
        }
        let id: String
        if let given {
            id = given
        } else {
            guard case .string(let text)? = try resolved(0, "revision") else { throw AlembicError("\(file):\(line): revision must be a string") }
            id = text
        }
        guard let down = try resolved(1, "down_revision") else {
            throw AlembicError("\(file):\(line): revision \(id) has no down_revision")
        }
        let labels = values[2].flatMap { $0.value.resolved(constants) }
        return AlembicRevision(id: id, downRevisions: down.strings, branchLabels: labels?.strings ?? [],
                               dependsOn: try resolved(3, "depends_on")?.strings ?? [], file: file, line: line,
                               branchLabelsKnown: values[2] == nil || labels != nil)
    }

    /// Module-level `NAME = literal` assignments (column 0), later ones winning, as Python runs them.
    private static func constants(_ bytes: [UInt8], file: String) -> [String: PythonLiteral] {
        var constants: [String: PythonLiteral] = [:]
        var lineStart = 0
        while lineStart < bytes.count {
            let end = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            var nameEnd = lineStart
            while nameEnd < end, bytes[nameEnd].isASCIIAlphanumeric || bytes[nameEnd] == UInt8(ascii: "_") { nameEnd += 1 }
            if nameEnd > lineStart, !(bytes[lineStart] >= 0x30 && bytes[lineStart] <= 0x39),
               startsAssignment(bytes, at: lineStart, name: Array(bytes[lineStart..<nameEnd])),
               let (value, _) = try? PythonLiteral.parseAssignment(bytes, nameEnd: nameEnd, file: file, line: 0) {
                constants[String(decoding: bytes[lineStart..<nameEnd], as: UTF8.self)] = value
            }
            lineStart = end + 1
        }
        return constants
    }

    /// `name` at the very start of the line, followed by `=` or an annotation (`:`), not `==`.
    private static func startsAssignment(_ bytes: [UInt8], at start: Int, name: [UInt8]) -> Bool {
        guard start + name.count < bytes.count, bytes[start..<(start + name.count)].elementsEqual(name) else { return false }
        var index = start + name.count
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: ":") { return true }
        return bytes[index] == UInt8(ascii: "=") && (index + 1 >= bytes.count || bytes[index + 1] != UInt8(ascii: "="))
    }
}

/// One result per slice of a parallel read, filled by the slices' threads.
private final class SliceResults: Sendable {
    private let slots: Mutex<[Result<[AlembicRevision], AlembicError>?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ index: Int, _ result: Result<[AlembicRevision], AlembicError>) {
        slots.withLock { $0[index] = result }
    }

    var all: [Result<[AlembicRevision], AlembicError>?] { slots.withLock { $0 } }
}

/// Why a versions folder or a migration file could not be read: one line, with the file and line.
public struct AlembicError: Error, Sendable, Equatable {
    /// What could not be read, and where.
    public let message: String

    /// An error with a message.
    public init(_ message: String) { self.message = message }
}
