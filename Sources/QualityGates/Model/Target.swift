/// What a run checks: the repository's files only, or live services as well.
public enum Target: String, Sendable, CaseIterable, Codable {
    /// Repository files only, no network.
    case build
    /// Live services (database, GraphQL, auth) plus everything the build target checks.
    case staging
}
