import Alembic
import ProjectFiles

/// A versions folder as read: where it is, and its revision graph.
struct VersionsFolder {
    let folder: String
    let graph: RevisionGraph
}

extension PathQuery {
    /// The revision graph of the first versions folder the paths name, with that folder's path.
    func revisionGraph(_ context: CheckContext) throws(CheckStop) -> VersionsFolder {
        let folder = try first(context, kinds: [.directory]).path
        do {
            return VersionsFolder(folder: folder, graph: RevisionGraph(try AlembicRevision.readFolder(context.url(for: folder), display: folder)))
        } catch {
            throw CheckStop(.errored(error.message))
        }
    }
}

extension ParameterDoc {
    /// The versions folder of the Alembic kinds.
    static let alembicVersions = ParameterDoc("versions", "path", required: true,
        "The versions folder (`NestSync-backend/alembic/versions`). \(ParameterDoc.pathForms) (`**/alembic/versions`, `**/migrations/versions`); the first folder that matches is read.")
}
