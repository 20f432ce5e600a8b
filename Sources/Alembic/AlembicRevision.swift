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
    /// The file, relative to the project root.
    public let file: String
    /// The line of the `revision` assignment.
    public let line: Int

    /// A revision as a file defines it.
    public init(id: String, downRevisions: [String], branchLabels: [String], dependsOn: [String], file: String, line: Int) {
        self.id = id
        self.downRevisions = downRevisions
        self.branchLabels = branchLabels
        self.dependsOn = dependsOn
        self.file = file
        self.line = line
    }

    /// The file name without `.py`, the way responders refer to a migration (`003_consent_records`).
    public var name: String {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        return base.hasSuffix(".py") ? String(base.dropLast(3)) : base
    }

    /// Reads every `.py` file directly in `folder` (as Alembic does without recursive version
    /// locations); files with no `revision` assignment are not migrations and are passed over.
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
                    if let revision = try parse(bytes, file: path) { revisions.append(revision) }
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

    /// The revision a file defines; nil when it assigns no `revision` at module level.
    public static func parse(_ bytes: [UInt8], file: String) throws(AlembicError) -> AlembicRevision? {
        // One slot per variable, in the order of `variables`.
        var values: [(value: PythonLiteral, line: Int)?] = [nil, nil, nil, nil]
        var lineStart = 0
        var lineNumber = 1
        while lineStart < bytes.count {
            // Assignments start in column 0 with a lower-case letter; most lines are passed over at once.
            let first = bytes[lineStart]
            if first >= UInt8(ascii: "b"), first <= UInt8(ascii: "r"),
               let slot = variables.firstIndex(where: { startsAssignment(bytes, at: lineStart, name: $0) }) {
                let (literal, end) = try PythonLiteral.parseAssignment(bytes, nameEnd: lineStart + variables[slot].count,
                                                                       file: file, line: lineNumber)
                values[slot] = (literal, lineNumber)
                for byte in bytes[lineStart..<min(end, bytes.count)] where byte == 0x0A { lineNumber += 1 }
                lineStart = min(end, bytes.count)
                if lineStart < bytes.count && bytes[lineStart] == 0x0A { lineStart += 1; lineNumber += 1 }
                continue
            }
            lineStart = (bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count) + 1
            lineNumber += 1
        }
        guard let revision = values[0] else { return nil }
        guard case .string(let id) = revision.value else {
            throw AlembicError("\(file):\(revision.line): revision must be a string")
        }
        guard values[1] != nil else {
            throw AlembicError("\(file):\(revision.line): revision \(id) has no down_revision")
        }
        func strings(_ slot: Int) -> [String] {
            guard let literal = values[slot]?.value else { return [] }
            switch literal {
            case .string(let text): return [text]
            case .list(let items): return items
            case .none: return []
            }
        }
        return AlembicRevision(id: id, downRevisions: strings(1), branchLabels: strings(2), dependsOn: strings(3),
                               file: file, line: revision.line)
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
