import Foundation
@testable import PythonRequirements
import TestSupport
import Testing

/// pip is the truth: every requirements file of the corpus is read by pip's own parser
/// (`pip._internal.req.req_file`, through Fixtures/pip_requirements.py) and by this engine, and the
/// two must agree requirement by requirement: the name, the specifiers, whether the marker holds in
/// pip's environment, constraint or not, editable or not; and a file pip refuses must be refused.
/// The corpus: the hand-written files of Tests/Corpora/requirements and the real ones of five
/// projects' sdists (scripts/lib/common.sh, qg_requirements_corpus).
struct PipCorpusTests {
    static let python = ProcessInfo.processInfo.environment["QG_TEST_PYTHON"]
    static let variables = ["GOTRUE_VERSION": "2.5.4"]

    /// One requirement as both sides describe it.
    struct Line: Equatable, CustomStringConvertible {
        let name: String
        let specifier: String
        let applies: Bool
        let constraint: Bool
        let editable: Bool
        var description: String { "\(name.isEmpty ? "(unnamed)" : name)\(specifier)\(applies ? "" : " [marker false]")\(constraint ? " [constraint]" : "")\(editable ? " [editable]" : "")" }
    }

    static func corpusFiles() throws -> [String] {
        var files: [String] = []
        let handWritten = Paths.packageRoot.appendingPathComponent("Tests/Corpora/requirements")
        for name in try FileManager.default.contentsOfDirectory(atPath: handWritten.path).sorted() where name.hasSuffix(".txt") {
            files.append(handWritten.appendingPathComponent(name).path)
        }
        if let real = ProcessInfo.processInfo.environment["QG_TEST_REQUIREMENTS_CORPUS"],
           let walker = FileManager.default.enumerator(atPath: real) {
            for case let path as String in walker where path.hasSuffix(".txt") && !path.hasPrefix("sdists") {
                files.append(real + "/" + path)
            }
        }
        return files
    }

    static func ours(_ path: String, environment: MarkerEnvironment) -> Result<[Line], RequirementError> {
        let read: RequirementsFile
        do {
            read = try RequirementsFile.read(path, root: URL(fileURLWithPath: "/"), environment: variables)
        } catch {
            return .failure(error)
        }
        var lines: [Line] = []
        for requirement in read.requirements {
            let specifier: String
            switch requirement.source {
            case .index(let specifiers): specifier = specifiers.map(\.description).sorted().joined(separator: ",")
            case .direct(_, _, let wheelVersion): specifier = wheelVersion.map { "==\($0)" } ?? ""
            }
            var applies = true
            if let marker = requirement.marker {
                do {
                    applies = try Marker.evaluate(marker, in: environment)
                } catch {
                    return .failure(RequirementError(location: requirement.location, reason: error.reason))
                }
            }
            let editable = if case .direct(_, true, _) = requirement.source { true } else { false }
            lines.append(Line(name: requirement.name, specifier: specifier, applies: applies, constraint: requirement.isConstraint, editable: editable))
        }
        return .success(lines)
    }

    @Test("pip corpus: pip's own parser and this engine agree on every file", .enabled(if: python != nil, "scripts/test sets QG_TEST_PYTHON"))
    func agreesWithPip() throws {
        let files = try Self.corpusFiles()
        let script = Paths.packageRoot.appendingPathComponent("Tests/QualityGatesTests/Fixtures/pip_requirements.py").path
        var environment = ProcessInfo.processInfo.environment
        environment.merge(Self.variables) { _, new in new }
        let run = try ProcessRunner.run(Self.python!, [script] + files, environment: environment, timeout: 120)
        let truth = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
        let markerEnvironment = MarkerEnvironment(values: try #require(truth["environment"] as? [String: String]))
        let answers = try #require(truth["files"] as? [[String: Any]])
        var agreed = 0
        var differences: [String] = []
        for answer in answers {
            let file = try #require(answer["file"] as? String)
            let shown = file.replacingOccurrences(of: Paths.packageRoot.path + "/", with: "")
            switch (answer["error"] as? String, Self.ours(file, environment: markerEnvironment)) {
            case (.some, .failure):
                agreed += 1
            case (.some(let error), .success):
                differences.append("\(shown): pip refuses it (\(error.split(separator: "\n").first ?? "")), this engine reads it")
            case (nil, .failure(let error)):
                differences.append("\(shown): pip reads it, this engine refuses it: \(error.description)")
            case (nil, .success(let lines)):
                let pip = (answer["requirements"] as? [[String: Any]] ?? []).map { entry in
                    Line(name: entry["name"] as? String ?? "", specifier: entry["specifier"] as? String ?? "",
                         applies: entry["applies"] as? Bool ?? true, constraint: entry["constraint"] as? Bool ?? false,
                         editable: entry["editable"] as? Bool ?? false)
                }
                if pip == lines {
                    agreed += 1
                } else {
                    let index = Array(zip(pip, lines)).firstIndex { $0 != $1 } ?? min(pip.count, lines.count)
                    differences.append("\(shown): requirement \(index + 1): pip \(index < pip.count ? pip[index].description : "nothing"), "
                                       + "engine \(index < lines.count ? lines[index].description : "nothing")")
                }
            }
        }
        print("pip corpus: \(agreed) of \(answers.count) files agree with pip \(run.stderr.isEmpty ? "" : "")")
        #expect(answers.count == files.count)
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }
}
