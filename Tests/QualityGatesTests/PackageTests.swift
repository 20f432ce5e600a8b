import Foundation
import TestSupport
import Testing

/// The release tarball `scripts/package` wrote (scripts/test builds it and names it in
/// QG_TEST_PACKAGE): its checksum, its contents, and its binaries running the example project in a
/// fresh folder with the Swift toolchain off the PATH.
struct PackageTests {
    static let tarball = ProcessInfo.processInfo.environment["QG_TEST_PACKAGE"]
    /// No Swift toolchain (it lives in /opt/swift here) and nothing else from the test's environment.
    static let bare = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory(), "LANG": "C.UTF-8"]

    @Test("the tarball matches its .sha256, holds the executables, the packs, README and LICENSE, and runs the example's build target without the toolchain",
          .enabled(if: tarball != nil, "scripts/test runs scripts/package and sets QG_TEST_PACKAGE"))
    func unpackedRuns() async throws {
        let tarball = URL(fileURLWithPath: Self.tarball!)
        let dist = tarball.deletingLastPathComponent()
        let check = try ProcessRunner.run("/usr/bin/sha256sum", ["-c", tarball.lastPathComponent + ".sha256"], environment: Self.bare, directory: dist)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains(": OK"))

        let folder = try TemporaryFolder()
        let unpack = try ProcessRunner.run("/usr/bin/tar", ["-xzf", tarball.path, "-C", folder.path(".")], environment: Self.bare)
        #expect(unpack.status == 0, "\(unpack.stderr)")
        let name = tarball.lastPathComponent.replacingOccurrences(of: ".tar.gz", with: "")
        #expect(name.hasPrefix("quality-gates-") && name.hasSuffix("-linux-x86_64"))
        let root = folder.url.appendingPathComponent(name)
        for file in ["bin/quality-gates", "bin/quality-gates-graphql", "gates/nestsync.yml", "README.md", "LICENSE", "docs/gates.md"] {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(file).path), "\(file) missing")
        }
        let binary = root.appendingPathComponent("bin/quality-gates").path
        let version = try ProcessRunner.run(binary, ["--version"], environment: Self.bare)
        #expect(version.status == 0)
        #expect(version.stdout.contains("(commit ") && !version.stdout.contains("unknown"), "a release names its commit: \(version.stdout)")
        // Nothing of the Swift toolchain is loaded: the runtime is linked in.
        let libraries = try ProcessRunner.run("/usr/bin/ldd", [binary], environment: Self.bare)
        #expect(!libraries.stdout.contains("libswift") && !libraries.stdout.contains("/opt/swift"), "\(libraries.stdout)")

        try FileManager.default.copyItem(at: Paths.packageRoot.appendingPathComponent("examples/nestsync"), to: folder.url.appendingPathComponent("project"))
        // --cache none: the GraphQL validator beside the binary runs.
        let directory = folder.url
        let run = try await offPool {
            try ProcessRunner.run(binary, ["run", "--project-root", "project", "--target", "build", "--cache", "none"],
                                  environment: Self.bare, directory: directory)
        }
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("PASSED"))
        let report = folder.read("reports/report.json")
        #expect(report.contains("\"graphql_schema_health\""))
        #expect(report.contains("operations and 1 fragment in 5 files are valid against"), "the frontend's operations were validated by the packaged helper")
        #expect(FileManager.default.fileExists(atPath: folder.path("reports/junit.xml")))
    }

    @Test("the Dockerfile builds in one stage and ships in a second on Debian slim with the runtime libraries only (docker is not on this machine: checked by structure)")
    func dockerfile() throws {
        let text = try String(contentsOf: Paths.packageRoot.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let instructions = text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        let stages = instructions.filter { $0.hasPrefix("FROM ") }
        #expect(stages.count == 2)
        #expect(stages.first?.hasSuffix(" AS build") == true)
        #expect(stages.last?.hasPrefix("FROM debian:") == true && stages.last?.hasSuffix("-slim") == true)
        let runtime = text[(try #require(text.range(of: stages.last!))).upperBound...]
        let installed = runtime.matches(of: /install -y --no-install-recommends ([a-z0-9 .+-]+)/).flatMap { $0.output.1.split(separator: " ").map(String.init) }
        #expect(Set(installed) == ["libcurl4", "libpq5", "libsqlite3-0", "ca-certificates"], "\(installed)")
        #expect(runtime.contains("COPY --from=build /out /opt/quality-gates"))
        #expect(runtime.contains("ENTRYPOINT [\"quality-gates\"]"))
        #expect(text.contains("RUN scripts/package"), "the image holds the same tarball a release publishes")
    }
}
