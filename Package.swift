// swift-tools-version:6.0
import PackageDescription

// YAML comes from libyaml directly (CLibYAML + YAMLReader) rather than jpsim/Yams: Yams builds its
// node tree recursively (a file of 100,000 nested `[` overflows the stack, on load and again on
// deinit) and exposes no event API through which depth and alias expansion could be bounded.
let package = Package(
    name: "quality-gates",
    products: [
        .executable(name: "quality-gates", targets: ["quality-gates"]),
        .executable(name: "quality-gates-graphql", targets: ["quality-gates-graphql"]),
        .library(name: "QualityGates", targets: ["QualityGates"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/GraphQLSwift/GraphQL", from: "4.3.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // Headers only: Postgres loads libpq.so.5 at first use (see LibPQ.swift).
        .systemLibrary(
            name: "CLibPQ",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(name: "XMLWriter", dependencies: ["CLibXML2"]),
        .target(name: "Postgres", dependencies: ["CLibPQ"]),
        // Headers and static inline helpers only: HTTPClient loads libcurl.so.4 at first use (see LibCurl.swift).
        .systemLibrary(
            name: "CCurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "HTTPClient", dependencies: ["CCurl"]),
        .target(name: "YAMLReader", dependencies: ["CLibYAML"]),
        // libsqlite3 is loaded with dlopen when a history is opened (see SQLite.swift).
        .target(name: "SQLite"),
        // Engines: each reads one technology's files and knows nothing of gates (ARCHITECTURE.md, "Modules").
        .target(name: "TextSearch"),
        .target(name: "ProjectFiles"),
        .target(name: "JSON"),
        .target(name: "Alembic", dependencies: ["ProjectFiles", "TextSearch"]),
        .target(name: "PythonRequirements", dependencies: ["ProjectFiles", "TextSearch"]),
        .target(name: "GraphQLDocuments", dependencies: ["ProjectFiles", "JSON", "TextSearch"]),
        .target(name: "JOSE", dependencies: ["JSON"]),
        .target(name: "ConfigFiles", dependencies: ["ProjectFiles", "JSON", "TextSearch", "YAMLReader"]),
        .target(name: "QualityGates", dependencies: [
            "XMLWriter", "YAMLReader", "Postgres", "HTTPClient", "SQLite", "TextSearch", "ProjectFiles", "JSON",
            "Alembic", "PythonRequirements", "GraphQLDocuments", "JOSE", "ConfigFiles",
        ]),
        .executableTarget(
            name: "quality-gates",
            dependencies: [
                "QualityGates",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // GraphQLSwift needs Foundation (corelibs Foundation and ICU's data: twice the binary and
        // 4 ms on every start), so document validation runs in a helper executable that the
        // graphql_documents check spawns; `quality-gates` itself never links it.
        .target(name: "GraphQLValidation", dependencies: ["GraphQLDocuments", "JSON", .product(name: "GraphQL", package: "GraphQL")]),
        .executableTarget(name: "quality-gates-graphql", dependencies: ["GraphQLValidation", "GraphQLDocuments", "JSON"]),
        // Helpers every test target shares: temporary folders, the package's paths, child processes.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "AlembicTests", dependencies: ["Alembic", "TestSupport"]),
        .testTarget(name: "PythonRequirementsTests", dependencies: ["PythonRequirements", "TestSupport"]),
        .testTarget(name: "GraphQLDocumentsTests", dependencies: ["GraphQLDocuments", "TestSupport"]),
        .testTarget(name: "JOSETests", dependencies: ["JOSE"]),
        .testTarget(name: "ProjectFilesTests", dependencies: ["ProjectFiles", "TestSupport"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "ConfigFilesTests", dependencies: ["ConfigFiles", "JSON", "TestSupport"]),
        .testTarget(
            name: "QualityGatesTests",
            dependencies: [
                "QualityGates", "XMLWriter", "YAMLReader", "Postgres", "HTTPClient", "GraphQLValidation", "TestSupport",
                "TextSearch", "ProjectFiles", "JSON", "Alembic", "PythonRequirements", "GraphQLDocuments", "JOSE", "ConfigFiles",
            ],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
