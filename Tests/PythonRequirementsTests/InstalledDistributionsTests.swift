import Foundation
@testable import PythonRequirements
import TestSupport
import Testing

/// Installed distributions read from an environment's metadata, as pip lists them.
struct InstalledDistributionsTests {
    @Test("reads the test venv as its own pip lists it: every name and version",
          .enabled(if: ProcessInfo.processInfo.environment["QG_TEST_PYTHON"] != nil, "scripts/test sets QG_TEST_PYTHON"))
    func agreesWithPip() throws {
        let python = ProcessInfo.processInfo.environment["QG_TEST_PYTHON"]!
        let listed = try ProcessRunner.run(python, ["-m", "pip", "list", "--format", "json", "--disable-pip-version-check"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: String]])
        let venv = URL(fileURLWithPath: python).deletingLastPathComponent().deletingLastPathComponent().path
        let installed = try InstalledDistributions.read(venv, display: ".venv-test")
        #expect(entries.count > 10)
        for entry in entries {
            let name = try #require(entry["name"]), version = try #require(entry["version"])
            let found = installed.distribution(name)
            #expect(found?.version == version, "\(name) \(version): read \(found.map { "\($0.name) \($0.version)" } ?? "nothing")")
        }
        #expect(installed.byName.count == entries.count, "pip lists \(entries.count), read \(installed.byName.count)")
    }

    @Test("egg-info, folder names without metadata, Windows' Lib/site-packages and a site-packages folder given directly")
    func layouts() throws {
        let folder = try TemporaryFolder(files: [
            "a/lib/python3.11/site-packages/GoTrue-2.5.4.dist-info/METADATA": "Metadata-Version: 2.1\nName: GoTrue\nVersion: 2.5.4\n\nName: not-a-header\n",
            "a/lib/python3.11/site-packages/legacy_pkg.egg-info/PKG-INFO": "Name: legacy.pkg\nVersion: 1.0\n",
            "a/lib/python3.11/site-packages/bare-3.1.dist-info/RECORD": "",
            "w/Lib/site-packages/supabase_auth-2.10.0.dist-info/METADATA": "Name: supabase_auth\nVersion: 2.10.0\n",
        ])
        let unix = try InstalledDistributions.read(folder.path("a"), display: "a")
        #expect(unix.sitePackages == "a/lib/python3.11/site-packages")
        #expect(unix.distribution("gotrue")?.version == "2.5.4")
        #expect(unix.distribution("Legacy-Pkg")?.version == "1.0")
        #expect(unix.distribution("bare")?.version == "3.1")
        let windows = try InstalledDistributions.read(folder.path("w"), display: "w")
        #expect(windows.distribution("supabase-auth")?.name == "supabase_auth")
        let direct = try InstalledDistributions.read(folder.path("a/lib/python3.11/site-packages"), display: "sp")
        #expect(direct.byName.count == 3)
        #expect(throws: InstalledDistributions.Problem.self) { try InstalledDistributions.read(folder.path("a/lib"), display: "a/lib") }
    }
}
