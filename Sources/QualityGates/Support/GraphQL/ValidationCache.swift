import FoundationEssentials
import Glibc
import GraphQLDocuments
import JSON
import ProjectFiles

/// The GraphQL validator's verdicts, kept beside the run history and keyed by everything that
/// decides them: the tool's version, the schema, every document with the fragments it is given,
/// and the rules. A run whose frontend and schema did not change reads the verdict instead of
/// starting the validator (a process that loads Foundation and GraphQLSwift: about 10 ms); any
/// change to any part is another key, so a stale verdict cannot be read.
struct ValidationCache: Sendable {
    /// The folder the verdicts are kept in.
    let folder: String
    /// Verdicts kept; the oldest beyond this are removed.
    static let limit = 64

    /// The request's key: two independent 64-bit FNV-1a hashes (128 bits) over the version and
    /// every field of the request, each with its length, so no two requests read alike.
    static func key(_ request: ValidationRequest, version: String) -> String {
        var first = StableHash.Hasher64(seed: 0xCBF2_9CE4_8422_2325)
        var second = StableHash.Hasher64(seed: 0x84222325CBF29CE4 ^ 0x9E37_79B9_7F4A_7C15)
        func add(_ text: String) {
            first.add(text)
            second.add(text)
        }
        add(version)
        add(request.schema.name)
        add(request.schema.sdl ?? "\u{0}none")
        add(request.schema.introspection ?? "\u{0}none")
        add(request.schema.assumeValidSDL ? "valid" : "check")
        for document in request.documents {
            add(document.name)
            add(document.text)
            add(document.validate ? "validate" : "fragments")
            for fragment in document.fragments { add("\(fragment.document):\(fragment.name)") }
            add("\u{0}end")
        }
        for (rule, level) in request.rules.sorted(by: { $0.key < $1.key }) { add("\(rule)=\(level.rawValue)") }
        return StableHash.hex(first.value) + StableHash.hex(second.value)
    }

    private func path(_ key: String) -> String { "\(folder)/\(key).json" }

    /// The verdict kept for `key`, if any and readable.
    func read(_ key: String) -> ValidationResponse? {
        guard let bytes = try? FileReader.read(path: path(key), display: path(key)),
              let document = JSONDocument.parse(bytes) else { return nil }
        return ValidationResponse(json: document)
    }

    /// Keeps a verdict (written to a temporary file and renamed, so a reader never sees half of
    /// one); a folder that cannot be written only means no cache.
    func write(_ response: ValidationResponse, for key: String) {
        let url = URL(fileURLWithPath: path(key))
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = URL(fileURLWithPath: "\(folder)/.\(key).\(getpid()).tmp")
        guard (try? Data(response.json.serialized(compact: true).utf8).write(to: temporary)) != nil else { return }
        if rename(temporary.path, url.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
        prune()
    }

    /// Removes the oldest verdicts beyond `limit`.
    private func prune() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder), names.count > Self.limit else { return }
        let dated = names.filter { $0.hasSuffix(".json") }.compactMap { name -> (String, Date)? in
            let date = (try? FileManager.default.attributesOfItem(atPath: "\(folder)/\(name)"))?[.modificationDate] as? Date
            return date.map { (name, $0) }
        }.sorted { $0.1 < $1.1 }
        for (name, _) in dated.prefix(max(0, dated.count - Self.limit)) { try? FileManager.default.removeItem(atPath: "\(folder)/\(name)") }
    }
}
