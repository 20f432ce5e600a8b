import ConfigFiles
import ProjectFiles

/// The services of a docker-compose file as the config check reads them: those running a stack's
/// own images (`skip_images`) left out, and the dotenv files a service names in `env_file:` read
/// as its environment.
extension ConfigCheck {
    /// Whether `service` (a compose service's node) runs one of `images`.
    static func runsSkippedImage(_ service: ConfigNode?, _ images: [String]) -> Bool {
        guard !images.isEmpty, case .scalar(let image)? = service?.member("image")?.value else { return false }
        return images.contains { Glob.matches($0, image.text) }
    }

    /// Whether a declaration at `key` (`services.studio.environment.SUPABASE_URL`) sits in a
    /// compose service whose image the source skips.
    static func skipped(_ key: String, in root: ConfigNode, images: [String]) -> Bool {
        let parts = key.split(separator: ".", maxSplits: 2)
        guard parts.count == 3, parts[0] == "services" else { return false }
        return runsSkippedImage(root.member("services")?.member(String(parts[1])), images)
    }

    /// The dotenv files compose services name in `env_file:` (a path, a list of paths, or of
    /// `{path, required}`), relative to the compose file, each as a tree
    /// `services.<service>.environment.<VARIABLE>` so the source's key path finds its variables
    /// as it finds those of `environment:`. Only for a key path into `services.*.environment`;
    /// a file the repository does not have (a git-ignored `.env`) is passed over, as is one
    /// outside the project.
    static func composeEnvFiles(_ root: ConfigNode, composeFile: String, format: ConfigFormat, key: ConfigKeyPath,
                                images: [String], _ context: CheckContext) throws(CheckStop) -> [(String, ConfigNode)] {
        guard format == .yaml, key.segments.count >= 3, key.segments[0] == .name("services"), key.segments[2] == .name("environment"),
              case .table(let services)? = root.member("services")?.value else { return [] }
        let folder = ProjectPath.folder(of: composeFile)
        var trees: [(String, ConfigNode)] = []
        for service in services where !runsSkippedImage(service.node, images) {
            for written in envFilePaths(service.node.member("env_file")) {
                // A link could lead out of the project, which no search leaves: such a file is passed over too.
                guard let file = ProjectPath.relative(written, from: folder), FileSystem.kind(of: context.url(for: file).path) == .file,
                      ProjectPath.isInside(context.url(for: file).path, root: context.projectRoot.path) else { continue }
                let variables = try read(file, as: .dotenv, context, note: " (the env_file of service \(service.key) in \(composeFile))")
                let environment = ConfigNode(.table([ConfigMember(key: "environment", node: variables)]), line: 1, column: 1)
                let named = ConfigNode(.table([ConfigMember(key: service.key, node: environment)]), line: 1, column: 1)
                trees.append((file, ConfigNode(.table([ConfigMember(key: "services", node: named)]), line: 1, column: 1)))
            }
        }
        return trees
    }

    /// The paths an `env_file:` value names: one path, or a list of paths and `{path, required}`.
    static func envFilePaths(_ node: ConfigNode?) -> [String] {
        switch node?.value {
        case .scalar(let path)?: return [path.text]
        case .list(let items)?:
            return items.compactMap { item in
                if case .scalar(let path) = item.value { return path.text }
                if case .scalar(let path)? = item.member("path")?.value { return path.text }
                return nil
            }
        default: return []
        }
    }
}
