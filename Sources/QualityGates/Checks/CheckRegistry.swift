/// Every check kind, one line each, sorted by type name. A test fails when a `*Check.swift` file
/// is missing here, when two kinds share a name, or when a kind is not snake_case.
public enum CheckRegistry {
    /// Every check type.
    public static let all: [any Check.Type] = [
        AlembicCurrentCheck.self,
        AlembicHeadsCheck.self,
        ConfigCheck.self,
        EnvCheck.self,
        ErrorRateCheck.self,
        FileCheck.self,
        GoTrueAuthCheck.self,
        GraphQLDiffCheck.self,
        GraphQLDocumentsCheck.self,
        GraphQLQueryCheck.self,
        GraphQLSchemaCheck.self,
        HTTPCheck.self,
        LatencyTrendCheck.self,
        PostgresCheck.self,
        PostgresColumnsCheck.self,
        PostgresConnectionsCheck.self,
        PostgresTablesCheck.self,
        PythonPackageCheck.self,
        RequirementsPinCheck.self,
    ]

    /// The check type of `kind`, if there is one.
    public static func type(of kind: String) -> (any Check.Type)? {
        byKind[kind]
    }

    /// Built once: reading a kind's description copies the whole of it (examples and all), and a
    /// gate file asks for a kind per check.
    private static let byKind: [String: any Check.Type] = Dictionary(all.map { ($0.description.kind, $0) }) { first, _ in first }

    /// Every kind, sorted.
    public static var kinds: [String] { all.map { $0.description.kind }.sorted() }
}
