import Foundation
@testable import ProjectFiles
import TestSupport
import Testing

/// Globs and candidate lists, as gate files use them to find a project's files wherever it keeps them.
struct PathFinderTests {
    static let layout = [
        "railway.toml": "", "NestSync-backend/railway.toml": "", "NestSync-backend/docs/schema.graphql": "",
        "NestSync-backend/requirements.txt": "", "NestSync-backend/requirements-dev.txt": "", "NestSync-backend/requirements/base.txt": "",
        "docker/docker-compose.yml": "", "docker/docker-compose.prod.yml": "", ".env.example": "", "app/.env.example": "",
        "frontend/node_modules/x/schema.graphql": "", ".git/schema.graphql": "", "frontend/src/a.ts": "", "frontend/src/b.test.ts": "",
    ]

    private func find(_ patterns: [String], exclude: [String] = [], in folder: TemporaryFolder) throws -> [String] {
        let finder = PathFinder(root: folder.url.path, excluding: try exclude.map { try PathPattern($0) })
        return try finder.find(try patterns.map { try PathPattern($0) }).map(\.path)
    }

    @Test("** finds a file at any depth, shallower first; the root's own file comes first")
    func anyDepth() throws {
        let folder = try TemporaryFolder(files: Self.layout)
        #expect(try find(["**/railway.toml"], in: folder) == ["railway.toml", "NestSync-backend/railway.toml"])
        #expect(try find(["**/schema.graphql"], in: folder) == ["NestSync-backend/docs/schema.graphql"])
    }

    @Test("* stays within one name; ? is one character; [..] is a set; {a,b} are alternatives")
    func wildcards() throws {
        let folder = try TemporaryFolder(files: Self.layout)
        #expect(try find(["NestSync-backend/requirements*.txt"], in: folder)
                == ["NestSync-backend/requirements-dev.txt", "NestSync-backend/requirements.txt"])
        #expect(try find(["docker/docker-compose*.yml"], in: folder) == ["docker/docker-compose.prod.yml", "docker/docker-compose.yml"])
        #expect(try find(["frontend/src/?.ts"], in: folder) == ["frontend/src/a.ts"])
        #expect(try find(["frontend/src/[ab].*"], in: folder) == ["frontend/src/a.ts", "frontend/src/b.test.ts"])
        #expect(try find(["frontend/src/[a-b].ts"], in: folder) == ["frontend/src/a.ts"])
        #expect(try find(["frontend/src/[!a]*.ts"], in: folder) == ["frontend/src/b.test.ts"])
        #expect(try find(["{docker,NestSync-backend}/*.{yml,toml}"], in: folder)
                == ["NestSync-backend/railway.toml", "docker/docker-compose.prod.yml", "docker/docker-compose.yml"])
    }

    @Test("hidden names are matched only by a pattern that writes the dot; ** skips node_modules and hidden folders")
    func hiddenAndSkipped() throws {
        let folder = try TemporaryFolder(files: Self.layout)
        #expect(try find(["**/.env.example"], in: folder) == [".env.example", "app/.env.example"])
        #expect(try find(["*"], in: folder).allSatisfy { !$0.hasPrefix(".") })
        #expect(try find(["**/schema.graphql"], in: folder).allSatisfy { !$0.contains("node_modules") && !$0.contains(".git") })
        #expect(try find(["frontend/node_modules/*/schema.graphql"], in: folder) == ["frontend/node_modules/x/schema.graphql"])
    }

    @Test("candidates keep their order, a path found twice is listed once, and nothing found is an empty list")
    func candidates() throws {
        let folder = try TemporaryFolder(files: Self.layout)
        #expect(try find(["docker/docker-compose.yml", "**/docker-compose*.yml", "missing.yml"], in: folder)
                == ["docker/docker-compose.yml", "docker/docker-compose.prod.yml"])
        #expect(try find(["nowhere/**/x.toml", "nope.txt"], in: folder).isEmpty)
    }

    @Test("exclude takes whole paths, or a bare name at any depth")
    func exclusion() throws {
        let folder = try TemporaryFolder(files: Self.layout)
        #expect(try find(["frontend/**/*.ts"], exclude: ["*.test.ts"], in: folder) == ["frontend/src/a.ts"])
        #expect(try find(["**/railway.toml"], exclude: ["NestSync-backend"], in: folder) == ["railway.toml"])
        #expect(try find(["**/*.yml"], exclude: ["docker/*.prod.yml"], in: folder) == ["docker/docker-compose.yml"])
    }

    @Test("searches sharing a run's listings find what each finds alone; a folder is read once, so a file made later is not seen")
    func sharedListings() throws {
        let folder = try TemporaryFolder(files: Self.layout)
        let searches: [([String], [String])] = [
            (["**/railway.toml"], []), (["**/*.yml"], ["docker/*.prod.yml"]), (["frontend/**/*.ts"], ["*.test.ts"]),
            (["**/.env.example"], []), (["{docker,NestSync-backend}/*.{yml,toml}"], []), (["**"], ["NestSync-backend"]),
        ]
        let listings = FolderListings()
        for (patterns, exclude) in searches {
            let excluded = try exclude.map { try PathPattern($0) }
            let shared = PathFinder(root: folder.url.path, excluding: excluded, listings: listings)
            #expect(try shared.find(try patterns.map { try PathPattern($0) }).map(\.path)
                    == (try find(patterns, exclude: exclude, in: folder)), "\(patterns) excluding \(exclude)")
        }
        try folder.write("docker/docker-compose.staging.yml", "")
        let pattern = try PathPattern("docker/*.yml")
        #expect(try PathFinder(root: folder.url.path, listings: listings).find([pattern]).count == 2)
        #expect(try PathFinder(root: folder.url.path, listings: FolderListings()).find([pattern]).count == 3)
    }

    @Test("a glob searched again with the run's listings gives what it gave, and never another root's or another exclusion's matches")
    func rememberedSearches() throws {
        let folder = try TemporaryFolder(files: Self.layout)
        let other = try TemporaryFolder(files: ["docker/docker-compose.yml": "", "x/docker-compose.dev.yml": ""])
        let listings = FolderListings()
        let pattern = try PathPattern("**/docker-compose*.yml")
        func search(_ root: TemporaryFolder, excluding: [String] = []) throws -> [String] {
            try PathFinder(root: root.url.path, excluding: try excluding.map { try PathPattern($0) }, listings: listings).find([pattern]).map(\.path)
        }
        let all = try search(folder)
        #expect(all == ["docker/docker-compose.prod.yml", "docker/docker-compose.yml"])
        #expect(try search(folder) == all)
        #expect(try search(folder, excluding: ["*.prod.yml"]) == ["docker/docker-compose.yml"])
        #expect(try search(other) == ["docker/docker-compose.yml", "x/docker-compose.dev.yml"])
        #expect(try search(folder) == all)
    }

    @Test("trailing ** is everything below the folder")
    func trailing() throws {
        let folder = try TemporaryFolder(files: Self.layout)
        #expect(try find(["NestSync-backend/requirements/**"], in: folder) == ["NestSync-backend/requirements/base.txt"])
    }

    @Test("a symbolic link out of the project is never followed; a link cycle does not trap **")
    func symbolicLinks() throws {
        let outside = try TemporaryFolder(files: ["secret/railway.toml": "", "railway.toml": ""])
        let folder = try TemporaryFolder(files: ["in/railway.toml": ""])
        try FileManager.default.createSymbolicLink(atPath: folder.path("escape"), withDestinationPath: outside.path("secret"))
        try FileManager.default.createSymbolicLink(atPath: folder.path("escape.toml"), withDestinationPath: outside.path("railway.toml"))
        try FileManager.default.createSymbolicLink(atPath: folder.path("in/loop"), withDestinationPath: folder.path("in"))
        try FileManager.default.createSymbolicLink(atPath: folder.path("inside.toml"), withDestinationPath: folder.path("in/railway.toml"))
        #expect(try find(["**/railway.toml"], in: folder) == ["in/railway.toml"])
        #expect(try find(["*.toml"], in: folder) == ["inside.toml"])
        #expect(try find(["escape/*"], in: folder).isEmpty)
    }

    @Test("braces expand left to right, nested too, whatever the letters around them; a '}' alone is refused")
    func braces() throws {
        #expect(try PathPattern.expandBraces("{a,{b,c}}/é{1,2}.ts") == ["a/é1.ts", "a/é2.ts", "b/é1.ts", "b/é2.ts", "c/é1.ts", "c/é2.ts"])
        #expect(try PathPattern.expandBraces("日本/{x,}.md") == ["日本/x.md", "日本/.md"])
        #expect(try PathPattern.expandBraces("plain/path.txt") == ["plain/path.txt"])
        #expect(throws: PathPatternError.self) { try PathPattern.expandBraces("a}.txt") }
        #expect(try PathPattern("ü/**/*.py").matches("ü/deep/er/x.py"))
        #expect(try !PathPattern("ü/**/*.py").matches("u/deep/x.py"))
    }

    @Test("a glob may not be absolute or climb out with ..; a plain path is used as written", arguments: [
        ("/etc/*.conf", "must be relative"), ("../*/railway.toml", "may not leave the project root"), ("a/**b/c", "whole name"),
        ("a/{b,c", "unclosed '{'"), ("a/[bc", "unclosed '['"), ("", "empty"), ("src/**.py", "whole name"), ("a/x**", "whole name"),
        ("a/[b]/[c", "unclosed '['"),
    ])
    func refused(_ text: String, _ reason: String) {
        #expect(throws: PathPatternError.self) { try PathPattern(text) }
        do { _ = try PathPattern(text) } catch { #expect(error.reason.contains(reason), "\(error.reason)") }
    }

    @Test("plain paths, absolute or relative, are taken as written")
    func plainPaths() throws {
        let folder = try TemporaryFolder(files: ["a/b.txt": ""])
        #expect(try PathPattern("../x/y.txt").isLiteral)
        #expect(try find([folder.path("a/b.txt")], in: folder) == [folder.path("a/b.txt")])
        #expect(try find(["a/b.txt", "a"], in: folder) == ["a/b.txt", "a"])
    }

    @Test("a search that would read a disk ends with a message")
    func bounded() throws {
        let folder = try TemporaryFolder()
        for index in 0..<30 {
            try FileManager.default.createDirectory(atPath: folder.path("d\(index)"), withIntermediateDirectories: true)
            for file in 0..<20 { _ = FileManager.default.createFile(atPath: folder.path("d\(index)/f\(file)"), contents: nil) }
        }
        #expect(throws: PathSearchError.tooManyEntries(pattern: "**/x", limit: 500)) {
            try PathFinder(root: folder.url.path, entryLimit: 500).find([try PathPattern("**/x")])
        }
        #expect(try PathFinder(root: folder.url.path, entryLimit: 700).find([try PathPattern("**/x")]).isEmpty)
    }
}

/// Paths written in a project's files, resolved from the folder of the file that writes them.
struct ProjectPathTests {
    @Test("relative paths resolve inside the project; absolute ones and climbs out of it do not", arguments: [
        ("../backend/.env", "docker", "backend/.env"), ("./.env", "docker", "docker/.env"), ("migrations/versions", "", "migrations/versions"),
        ("a/../b/./c", "x", "x/b/c"), ("..", "docker", ""),
    ])
    func inside(_ path: String, _ folder: String, _ expected: String) {
        #expect(ProjectPath.relative(path, from: folder) == expected)
    }

    @Test("outside the project: nil", arguments: [("../x", ""), ("../../x", "docker"), ("/etc/passwd", "docker")])
    func outside(_ path: String, _ folder: String) {
        #expect(ProjectPath.relative(path, from: folder) == nil)
    }
}
