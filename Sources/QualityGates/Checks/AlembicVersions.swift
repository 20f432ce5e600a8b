import Alembic
import ProjectFiles

/// A versions folder as read: where it is, and its revision graph.
struct VersionsFolder {
    let folder: String
    let graph: RevisionGraph
}

extension PathQuery {
    /// The revision graph of the first versions folder the paths name, with that folder's path;
    /// an `alembic.ini` names its folder (`script_location`, `version_locations`). An ini that
    /// names none this reader can follow (a package's resource, a folder that is not there)
    /// gives way to the next match, and is the error only when no match is left.
    func revisionGraph(_ context: CheckContext) throws(CheckStop) -> VersionsFolder {
        var problem: CheckStop?
        var chosen: String?
        for found in try find(context, kinds: [.directory, .file]) {
            guard found.kind == .file else { chosen = found.path; break }
            do throws(CheckStop) {
                let named = try AlembicIni.versionsFolder(found.path, context)
                guard FileSystem.kind(of: context.url(for: named).path) == .directory else {
                    throw CheckStop(.errored("\(found.path) names the versions folder \(named), which does not exist"))
                }
                chosen = named
                break
            } catch {
                problem = problem ?? error
            }
        }
        guard let folder = chosen else { throw problem ?? CheckStop(nothingFound(in: context)) }
        do {
            return VersionsFolder(folder: folder, graph: RevisionGraph(try AlembicRevision.readFolder(context.url(for: folder), display: folder)))
        } catch {
            throw CheckStop(.errored(error.message))
        }
    }
}

/// Where an `alembic.ini` keeps its revisions, as Alembic reads it: the first of
/// `version_locations`, else `script_location` + `/versions`, relative to the file's folder
/// (`%(here)s` is that folder too).
enum AlembicIni {
    static func versionsFolder(_ path: String, _ context: CheckContext) throws(CheckStop) -> String {
        let bytes: [UInt8]
        do {
            bytes = try FileReader.read(context.url(for: path), display: path)
        } catch {
            throw CheckStop(.errored(error.description))
        }
        let here = ProjectPath.folder(of: path)
        let values = settings(String(decoding: bytes, as: UTF8.self))
        let written: String
        if let locations = values["version_locations"], let first = locations.split(whereSeparator: { " ,;:".contains($0) }).first {
            written = String(first)
        } else if let script = values["script_location"] {
            guard !script.contains(":") || script.contains("%(here)s") else {
                throw CheckStop(.errored("\(path): script_location \(script) names a Python package; give `versions:` the versions folder"))
            }
            written = script + "/versions"
        } else {
            throw CheckStop(.errored("\(path) has no script_location in its [alembic] section"))
        }
        // Relative to the file's folder, as `%(here)s` says it; the project's own files only, as
        // every search keeps to them.
        let relative = written.replacingAll("%(here)s/", with: "").replacingAll("%(here)s", with: ".")
        guard let folder = ProjectPath.relative(relative, from: here) else {
            throw CheckStop(.errored("\(path): the versions folder \(written) is outside the project; give `versions:` a folder in it"))
        }
        return folder
    }

    /// The `[alembic]` section's keys and values (continuation lines joined, comments left out).
    static func settings(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        var inSection = false
        var last: String?
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = raw.trimmingCharacters(in: " \t")
            if line.hasPrefix("[") { inSection = line == "[alembic]"; last = nil; continue }
            guard inSection, !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix(";") else { continue }
            if raw.first == " " || raw.first == "\t", let key = last {
                values[key, default: ""] += " " + line
                continue
            }
            guard let equals = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let key = line[..<equals].trimmingCharacters(in: " \t").lowercased()
            values[key] = line[line.index(after: equals)...].trimmingCharacters(in: " \t")
            last = key
        }
        return values
    }
}

extension ParameterDoc {
    /// The versions folder of the Alembic kinds.
    static let alembicVersions = ParameterDoc("versions", "path", required: true,
        "The versions folder (`NestSync-backend/alembic/versions`), or an `alembic.ini` that names it (`script_location`, `version_locations`). \(ParameterDoc.pathForms) (`**/alembic.ini`, `**/alembic/versions`, `**/migrations/versions`); the first match is read.")
}
