import Glibc
import ProjectFiles

/// A file as a commit of the repository holds it, read from git's own files without running git:
/// the ref resolved through loose refs and packed-refs (annotated tags peeled), then the commit,
/// its tree and the blob, each from a loose object or a pack (version 2 index, deltas against an
/// offset or an object id applied). SHA-1 repositories; a SHA-256 one is an error that says so.
struct GitObjects {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let gitFolder: String
    /// The folder holding objects and shared refs (a worktree's `commondir`).
    let common: String

    /// The repository holding `folder`, or nil when there is none.
    init?(containing folder: String) {
        guard let gitFolder = GitCommit.findGitFolder(from: folder) else { return nil }
        self.gitFolder = gitFolder
        common = GitCommit.firstLine(gitFolder + "/commondir").map { $0.hasPrefix("/") ? $0 : gitFolder + "/" + $0 } ?? gitFolder
    }

    /// The content of `path` (relative to the repository's root) at `ref`.
    func file(_ path: String, at ref: String) throws(Failure) -> [UInt8] {
        guard LibZ.shared != nil else { throw Failure(description: "zlib (libz.so.1) cannot be loaded to read git's objects") }
        if GitCommit.firstLine(common + "/config").map({ _ in configuredHash() == "sha256" }) == true {
            throw Failure(description: "the repository uses SHA-256 object names, which are not read yet")
        }
        guard var id = resolve(ref) else { throw Failure(description: "no commit, branch or tag '\(ref)' in \(gitFolder)") }
        var (type, data) = try object(id)
        while type == "tag" {  // an annotated tag: the object it names
            guard let target = Self.header("object", in: data) else { throw Failure(description: "tag \(ref) names no object") }
            id = target
            (type, data) = try object(id)
        }
        guard type == "commit", let tree = Self.header("tree", in: data) else { throw Failure(description: "'\(ref)' is a \(type), not a commit") }
        var current = tree
        let parts = path.split(separator: "/").map(String.init).filter { $0 != "." && !$0.isEmpty }
        guard !parts.isEmpty else { throw Failure(description: "no path given after the ref") }
        for (index, part) in parts.enumerated() {
            let (treeType, entries) = try object(current)
            guard treeType == "tree" else { throw Failure(description: "\(parts[..<index].joined(separator: "/")) is not a folder at \(ref)") }
            guard let entry = Self.entry(named: part, in: entries) else {
                throw Failure(description: "\(path) does not exist at \(ref) (no \(part) in \(index == 0 ? "the repository's root" : parts[..<index].joined(separator: "/")))")
            }
            current = entry
        }
        let (blobType, content) = try object(current)
        guard blobType == "blob" else { throw Failure(description: "\(path) is a folder at \(ref), not a file") }
        return content
    }

    private func configuredHash() -> String? {
        guard let bytes = try? FileReader.read(path: common + "/config", display: "config") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        return text.contains("objectformat = sha256") ? "sha256" : nil
    }

    /// A full object id, a ref (`origin/main`, `main`, `v1.2`, `refs/…`, `HEAD`), or nil.
    func resolve(_ ref: String) -> String? {
        if Self.isObjectID(ref) { return ref }
        let candidates = ref.hasPrefix("refs/") || ref == "HEAD" ? [ref] : ["refs/remotes/\(ref)", "refs/heads/\(ref)", "refs/tags/\(ref)", ref]
        for candidate in candidates {
            var name = candidate
            for _ in 0..<5 {
                guard let line = GitCommit.firstLine(gitFolder + "/" + name) ?? GitCommit.firstLine(common + "/" + name) ?? packedRef(name) else { break }
                if line.hasPrefix("ref: ") {
                    name = String(line.dropFirst(5))
                    continue
                }
                if Self.isObjectID(line) { return line }
                break
            }
        }
        return nil
    }

    private func packedRef(_ ref: String) -> String? {
        guard let bytes = try? FileReader.read(path: common + "/packed-refs", display: "packed-refs") else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasSuffix(" " + ref) {
            return String(line.prefix { $0 != " " })
        }
        return nil
    }

    /// 40 hex digits (SHA-1), or 64 (SHA-256: resolved, but its objects are not read).
    static func isObjectID(_ text: String) -> Bool {
        (text.utf8.count == 40 || text.utf8.count == 64) && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// `tree <id>` and the like from a commit's or a tag's header lines.
    static func header(_ name: String, in data: [UInt8]) -> String? {
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { return nil }  // the message starts
            if line.hasPrefix(name + " ") { return String(line.dropFirst(name.count + 1)) }
        }
        return nil
    }

    /// The object id a tree gives `name`: its entries are `mode name\0` and 20 bytes of id.
    static func entry(named name: String, in tree: [UInt8]) -> String? {
        var index = 0
        let wanted = Array(name.utf8)
        while index < tree.count {
            guard let space = tree[index...].firstIndex(of: 0x20), let zero = tree[space...].firstIndex(of: 0) else { return nil }
            let idEnd = zero + 21
            guard idEnd <= tree.count else { return nil }
            if Array(tree[(space + 1)..<zero]) == wanted { return hex(tree[(zero + 1)..<idEnd]) }
            index = idEnd
        }
        return nil
    }

    static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An object's type and content: loose first, then in the packs.
    func object(_ id: String) throws(Failure) -> (type: String, data: [UInt8]) {
        let loose = common + "/objects/" + id.prefix(2) + "/" + id.dropFirst(2)
        if FileSystem.kind(of: loose) == .file {
            guard let bytes = try? FileReader.read(path: loose, display: loose, limit: 256 << 20),
                  let inflated = bytes.withUnsafeBytes({ LibZ.shared?.inflate($0) }),
                  let zero = inflated.firstIndex(of: 0),
                  let type = String(decoding: inflated[..<zero], as: UTF8.self).split(separator: " ").first else {
                throw Failure(description: "object \(id) cannot be read (a broken loose object)")
            }
            return (String(type), Array(inflated[(zero + 1)...]))
        }
        for pack in packs() {
            if let found = try pack.object(id, repository: self) { return found }
        }
        throw Failure(description: "object \(id) is in neither the loose objects nor the packs of \(common)")
    }

    private func packs() -> [Pack] {
        let folder = common + "/objects/pack"
        guard case .success(let opened) = FileSystem.Folder.open(folder) else { return [] }
        return opened.names().filter { $0.hasSuffix(".idx") }.sorted().compactMap { Pack(index: folder + "/" + $0) }
    }
}

/// One pack: its index and its data, mapped into memory.
final class Pack {
    private let index: MappedFile
    private let data: MappedFile
    private let count: Int

    init?(index path: String) {
        guard let index = MappedFile(path), let data = MappedFile(String(path.dropLast(4)) + ".pack"),
              index.count > 1032, index.bytes[0..<8].elementsEqual([0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2]) else { return nil }
        self.index = index
        self.data = data
        count = Int(index.uint32(at: 8 + 255 * 4))
    }

    /// The object `id`, if this pack has it.
    func object(_ id: String, repository: GitObjects) throws(GitObjects.Failure) -> (type: String, data: [UInt8])? {
        guard let wanted = Pack.bytes(ofHex: id) else { return nil }
        let first = Int(wanted[0])
        var low = first == 0 ? 0 : Int(index.uint32(at: 8 + (first - 1) * 4))
        var high = Int(index.uint32(at: 8 + first * 4))
        let names = 8 + 256 * 4
        while low < high {
            let middle = (low + high) / 2
            let start = names + middle * 20
            let order = Pack.compare(index.bytes[start..<(start + 20)], wanted)
            if order == 0 { return try entry(at: offset(of: middle), repository: repository) }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    private func offset(of position: Int) -> Int {
        let offsets = 8 + 256 * 4 + count * 24
        let small = index.uint32(at: offsets + position * 4)
        guard small & 0x8000_0000 != 0 else { return Int(small) }
        let large = offsets + count * 4 + Int(small & 0x7FFF_FFFF) * 8
        return Int(index.uint32(at: large)) << 32 | Int(index.uint32(at: large + 4))
    }

    private static let typeNames = [1: "commit", 2: "tree", 3: "blob", 4: "tag"]

    /// The entry at `offset`: its header, then its zlib data; a delta is applied to its base.
    private func entry(at offset: Int, repository: GitObjects, depth: Int = 0) throws(GitObjects.Failure) -> (type: String, data: [UInt8]) {
        guard depth < 64, offset < data.count else { throw GitObjects.Failure(description: "a pack entry at \(offset) cannot be read") }
        var position = offset
        var byte = data.bytes[position]
        let type = Int(byte >> 4) & 7
        var size = Int(byte & 0x0F)
        var shift = 4
        while byte & 0x80 != 0 {
            position += 1
            guard position < data.count else { throw GitObjects.Failure(description: "a pack entry's header runs past the pack") }
            byte = data.bytes[position]
            size |= Int(byte & 0x7F) << shift
            shift += 7
        }
        position += 1
        var base: (type: String, data: [UInt8])?
        switch type {
        case 6:  // OFS_DELTA: the base is this many bytes before
            byte = data.bytes[position]
            var distance = Int(byte & 0x7F)
            while byte & 0x80 != 0 {
                position += 1
                byte = data.bytes[position]
                distance = ((distance + 1) << 7) | Int(byte & 0x7F)
            }
            position += 1
            base = try entry(at: offset - distance, repository: repository, depth: depth + 1)
        case 7:  // REF_DELTA: the base is named
            let id = GitObjects.hex(data.bytes[position..<(position + 20)])
            position += 20
            base = try repository.object(id)
        default:
            guard Pack.typeNames[type] != nil else { throw GitObjects.Failure(description: "a pack entry of unknown type \(type)") }
        }
        guard let inflated = LibZ.shared?.inflate(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(data.bytes)[position...]), expected: size),
              inflated.count == size else {
            throw GitObjects.Failure(description: "a pack entry at \(offset) does not inflate")
        }
        guard let base else { return (Pack.typeNames[type]!, inflated) }
        return (base.type, try Pack.apply(inflated, to: base.data))
    }

    /// git's delta: the base's size and the result's, then copies from the base and inserted bytes.
    static func apply(_ delta: [UInt8], to base: [UInt8]) throws(GitObjects.Failure) -> [UInt8] {
        var position = 0
        func varint() -> Int {
            var value = 0, shift = 0
            while position < delta.count {
                let byte = delta[position]
                position += 1
                value |= Int(byte & 0x7F) << shift
                shift += 7
                if byte & 0x80 == 0 { break }
            }
            return value
        }
        guard varint() == base.count else { throw GitObjects.Failure(description: "a delta that does not fit its base") }
        let size = varint()
        var out: [UInt8] = []
        out.reserveCapacity(size)
        while position < delta.count {
            let op = delta[position]
            position += 1
            if op & 0x80 != 0 {
                var start = 0, length = 0
                for bit in 0..<4 where op & (1 << bit) != 0 {
                    guard position < delta.count else { throw GitObjects.Failure(description: "a truncated delta") }
                    start |= Int(delta[position]) << (8 * bit)
                    position += 1
                }
                for bit in 0..<3 where op & (1 << (4 + bit)) != 0 {
                    guard position < delta.count else { throw GitObjects.Failure(description: "a truncated delta") }
                    length |= Int(delta[position]) << (8 * bit)
                    position += 1
                }
                if length == 0 { length = 0x10000 }
                guard start + length <= base.count else { throw GitObjects.Failure(description: "a delta that copies past its base") }
                out += base[start..<(start + length)]
            } else if op != 0 {
                guard position + Int(op) <= delta.count else { throw GitObjects.Failure(description: "a truncated delta") }
                out += delta[position..<(position + Int(op))]
                position += Int(op)
            } else {
                throw GitObjects.Failure(description: "a delta with a reserved instruction")
            }
        }
        guard out.count == size else { throw GitObjects.Failure(description: "a delta whose result is not the size it says") }
        return out
    }

    static func bytes(ofHex text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count == 40 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case 0x30...0x39: digit - 0x30
            case 0x61...0x66: digit - 0x61 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        for pair in stride(from: 0, to: 40, by: 2) {
            guard let high = value(digits[pair]), let low = value(digits[pair + 1]) else { return nil }
            out.append(high << 4 | low)
        }
        return out
    }

    static func compare<C: Collection>(_ lhs: C, _ rhs: [UInt8]) -> Int where C.Element == UInt8 {
        for (a, b) in zip(lhs, rhs) where a != b { return a < b ? -1 : 1 }
        return 0
    }
}

/// A file mapped read-only into memory.
final class MappedFile {
    let bytes: UnsafeBufferPointer<UInt8>
    var count: Int { bytes.count }

    init?(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size > 0 else { return nil }
        let length = Int(status.st_size)
        guard let address = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else { return nil }
        bytes = UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: length)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count) }

    func uint32(at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
