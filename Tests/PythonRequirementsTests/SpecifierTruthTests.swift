import Foundation
@testable import PythonRequirements
import TestSupport
import Testing

/// PEP 440 ordering, specifiers and PEP 508 markers, against packaging (the library pip uses) on
/// a grid of versions, specifiers, markers and environments.
struct SpecifierTruthTests {
    static let python = ProcessInfo.processInfo.environment["QG_TEST_PYTHON"]

    static let versions = [
        "2.5.4", "2.5.4.0", "2.5.4rc1", "2.5.4.dev3", "2.5.4a1.dev1", "2.5.4.post1", "2.5.4+local.7", "2.5.3", "2.5.10", "2.5",
        "2.6.0", "2.9", "2.9.0b2", "3.0", "1!1.0", "0.30.6", "0.30.9", "0.31.0", "2.0.0", "2.1", "v2.5.4", "2.5.4-1", "2.5.4_rc_1",
        "2.5.4.post1.dev2", "1.0+abc", "1.0+5", "1.0+abc.5", "1.0", "1.0.post0", "1.0a", "1.0b0", "1.0c1",
    ]
    static let specifiers = [
        "==2.5.4", "!=2.5.4", "===2.5.4", "===2.5.4.0", "==2.5.*", "!=2.5.*", "==2.*", "==2.0.*", ">=2.5", ">2.5.4", "<2.5.4",
        "<=2.5.4", ">=2.9", "~=2.5", "~=2.5.0", "~=0.30.6", "~=2.0.0", ">2.5", "<2.6", "==1.0", ">1.0", "<1.0", "==1.0+abc",
        ">=2.5.4rc1", "<2.5.4.post1", ">1!0.5",
    ]
    static let markers = [
        #"python_version < "3.8""#, #"python_version >= "3.8""#, #"python_full_version < "3.11.0a7""#,
        #"platform_python_implementation != 'PyPy' and (platform_system != 'Windows' or python_version < '3.10')"#,
        #"sys_platform == "win32""#, #"sys_platform != "win32" and implementation_name == "cpython""#,
        #"python_version not in "3.11, 3.12""#, #""linux" in sys_platform"#, #"python_version ~= "3.11""#, #"python_version == "3.1*""#,
        #"os_name == "nt" or platform_machine == "x86_64""#, #"python_version > "3.11" or python_version <= "3.9""#,
    ]
    static let environments: [MarkerEnvironment] = [.cpython("3.11.7"), .cpython("3.12.1", platform: "win32"),
                                                      .cpython("3.7.17", platform: "darwin", machine: "arm64"),
                                                      .cpython("3.10.0")]

    @Test("specifiers, ordering and markers agree with packaging on the whole grid", .enabled(if: python != nil, "scripts/test sets QG_TEST_PYTHON"))
    func agreesWithPackaging() throws {
        let request: [String: Any] = ["versions": Self.versions, "specifiers": Self.specifiers, "markers": Self.markers,
                                      "environments": Self.environments.map(\.values)]
        let input = try JSONSerialization.data(withJSONObject: request)
        let folder = try TemporaryFolder(files: ["request.json": String(decoding: input, as: UTF8.self)])
        let script = Paths.packageRoot.appendingPathComponent("Tests/QualityGatesTests/Fixtures/pep440_truth.py").path
        let run = try ProcessRunner.run("/bin/sh", ["-c", "\"$0\" \"$1\" < \"$2\"", Self.python!, script, folder.path("request.json")])
        let truth = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
        let contains = try #require(truth["contains"] as? [[Any]])
        var compared = 0
        for (row, text) in Self.specifiers.enumerated() {
            let op = String(text.prefix { "<>=!~".contains($0) })
            let specifier = VersionSpecifier(op: op, version: String(text.dropFirst(op.count)))
            for (column, version) in Self.versions.enumerated() {
                guard let expected = contains[row][column] as? Bool else { continue }
                compared += 1
                #expect(specifier.contains(version) == expected, "\(version) in \(text): packaging says \(expected)")
            }
        }
        let order = try #require(truth["order"] as? [String])
        let ours = Self.versions.compactMap { text in PythonVersion(text).map { ($0, text) } }
        #expect(ours.count == order.count, "the same versions are valid on both sides")
        let sorted = ours.sorted { $0.0 < $1.0 }
        for (index, (version, _)) in sorted.enumerated() where index < order.count {
            #expect(version == PythonVersion(order[index]), "position \(index): packaging has \(order[index]), here \(version)")
        }
        let markerTruth = try #require(truth["markers"] as? [[Any]])
        for (row, marker) in Self.markers.enumerated() {
            for (column, environment) in Self.environments.enumerated() {
                let expected = markerTruth[row][column] as? Bool
                #expect((try? Marker.evaluate(marker, in: environment)) == expected, "\(marker) in \(environment.values["python_full_version"]!)")
                compared += 1
            }
        }
        print("packaging truth: \(compared) answers compared")
    }

    @Test("the defects the issue found, by name")
    func regressions() throws {
        // gotrue==2.5.4 with gotrue>=2.9: pip cannot install both.
        #expect(VersionSpecifier(op: ">=", version: "2.9").contains("2.5.4") == false)
        // === is text: ===2.5.4.0 does not admit 2.5.4.
        #expect(VersionSpecifier(op: "===", version: "2.5.4.0").contains("2.5.4") == false)
        // A marker that is false here leaves its line out.
        #expect(try Marker.evaluate(#"python_version < "3.8""#, in: .cpython("3.11")) == false)
        #expect(throws: MarkerError.self) { try Marker.evaluate("python_version <", in: .cpython("3.11")) }
    }
}
