import Foundation
import GraphQLDocuments
import GraphQLValidation
import TestSupport
import Testing

/// graphql-core is the truth: every operation of the corpus is validated by graphql-core's
/// `validate` (all the specification's rules) and by the validator behind graphql_documents, and
/// the two must report the same problems at the same places (messages are worded differently by
/// the two implementations; the place and the count are compared). The corpus: GitHub's own
/// operations (shared/bench/github-ops/platform-samples) and hand-written ones planting each kind
/// of field-merging conflict, out-of-range Ints and more (Tests/Corpora/graphql), all against
/// GitHub's public schema.
struct GraphQLCorpusTests {
    static let python = ProcessInfo.processInfo.environment["QG_TEST_PYTHON"]

    static func corpus() throws -> [String] {
        var files: [String] = []
        for folder in [Paths.sharedBench.appendingPathComponent("github-ops/platform-samples"),
                       Paths.packageRoot.appendingPathComponent("Tests/Corpora/graphql")] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".graphql") {
                files.append(folder.appendingPathComponent(name).path)
            }
        }
        return files
    }

    @Test("graphql-core corpus: the same problems at the same places, on GitHub's schema",
          .enabled(if: python != nil, "scripts/test sets QG_TEST_PYTHON"))
    func agreesWithGraphQLCore() throws {
        let files = try Self.corpus()
        let schemaPath = Paths.sharedBench.appendingPathComponent("github-schema.graphql").path
        let script = Paths.fixtures.appendingPathComponent("graphql_truth.py").path
        let run = try ProcessRunner.run(Self.python!, [script, schemaPath] + files, timeout: 120)
        let truth = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]], "\(run.stderr)")
        let texts = try files.map { try String(contentsOfFile: $0, encoding: .utf8) }
        let answer = DocumentValidator.validate(ValidationRequest(
            schema: .init(name: "github-schema.graphql", sdl: try String(contentsOfFile: schemaPath, encoding: .utf8), assumeValidSDL: true),
            documents: texts.enumerated().map { .init(name: files[$0.offset], text: $0.element) }))
        #expect(answer.schemaError == nil)
        var agreed = 0
        var compared = 0
        var differences: [String] = []
        for (index, entry) in truth.enumerated() {
            let core = (entry["errors"] as? [[Any]] ?? []).map { "\($0[0] as? Int ?? 0):\($0[1] as? Int ?? 0)" }.sorted()
            let ours = answer.problems.filter { $0.document == index }.map { "\($0.line):\($0.column)" }.sorted()
            compared += core.count
            if core == ours {
                agreed += 1
            } else {
                let shown = files[index].split(separator: "/").last.map(String.init) ?? files[index]
                let coreMessages = (entry["errors"] as? [[Any]] ?? []).map { "\($0[0]):\($0[1]) \($0[2])" }
                let ourMessages = answer.problems.filter { $0.document == index }.map { "\($0.line):\($0.column) \($0.message)" }
                differences.append("\(shown): graphql-core \(coreMessages), here \(ourMessages)")
            }
        }
        print("graphql-core corpus: \(agreed) of \(files.count) documents agree (\(compared) graphql-core errors)")
        for difference in differences { print("difference: \(difference)") }
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        // The planted documents do hold problems (one each, but the two that must pass): a test that
        // compared empty lists would prove nothing.
        let planted = truth.enumerated().filter { files[$0.offset].contains("Tests/Corpora/graphql") }
        #expect(planted.reduce(0) { $0 + (($1.element["errors"] as? [Any])?.count ?? 0) } >= planted.count - 2)
    }

    @Test("validation on several threads answers exactly what one thread answers: problems, places, counts, fragments appended from other documents")
    func threadsAgree() throws {
        let files = try Self.corpus()
        let schemaPath = Paths.sharedBench.appendingPathComponent("github-schema.graphql").path
        var documents = try files.map { ValidationRequest.Document(name: $0, text: try String(contentsOfFile: $0, encoding: .utf8)) }
        // Fragments defined in one document and spread in another: one of them broken, so a problem
        // found while validating one document is placed in another.
        documents.append(.init(name: "fragments.graphql", text: "fragment Who on User { login name }\nfragment Broken on User { login nonsense }\n",
                               validate: false))
        let library = documents.count - 1
        for copy in 0..<6 {
            documents.append(.init(name: "who\(copy).graphql", text: "query Who\(copy) { viewer { ...Who } }",
                                   fragments: [.init(document: library, name: "Who")]))
            documents.append(.init(name: "broken\(copy).graphql", text: "query Broken\(copy) { viewer { ...Broken } }",
                                   fragments: [.init(document: library, name: "Broken")]))
        }
        documents += documents.prefix(files.count)
        let request = ValidationRequest(
            schema: .init(name: "github-schema.graphql", sdl: try String(contentsOfFile: schemaPath, encoding: .utf8), assumeValidSDL: true),
            documents: documents)
        let one = DocumentValidator.validate(request, workers: 1)
        #expect(one.schemaError == nil)
        #expect(one.problems.count > 20)
        #expect(one.problems.contains { $0.document == library && $0.message.contains("nonsense") })
        #expect(one.operations > files.count)
        for workers in [2, 4, 8] {
            #expect(DocumentValidator.validate(request, workers: workers) == one)
        }
    }

    @Test("graphql-core corpus: subscriptions (one root field, no introspection) on a schema that has them",
          .enabled(if: python != nil, "scripts/test sets QG_TEST_PYTHON"))
    func subscriptionsAgree() throws {
        let schema = "type Query { me: User }\ntype User { id: ID! name: String }\ntype Subscription { userAdded: User userRemoved: User }\n"
        let documents = [
            "subscription One { userAdded { id } }",
            "subscription Two {\n  userAdded { id }\n  userRemoved { id }\n}",
            "subscription { __typename }",
            "subscription Spread { ...Both }\nfragment Both on Subscription { userAdded { id } gone: userRemoved { id } }",
            "subscription Aliased { a: userAdded { id } a: userAdded { name } }",
        ]
        var files = ["schema.graphql": schema]
        for (index, text) in documents.enumerated() { files["d\(index).graphql"] = text }
        let folder = try TemporaryFolder(files: files)
        let paths = documents.indices.map { folder.path("d\($0).graphql") }
        let run = try ProcessRunner.run(Self.python!, [Paths.fixtures.appendingPathComponent("graphql_truth.py").path, folder.path("schema.graphql")] + paths)
        let truth = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]], "\(run.stderr)")
        let answer = DocumentValidator.validate(ValidationRequest(schema: .init(name: "schema.graphql", sdl: schema),
                                                                  documents: documents.enumerated().map { .init(name: "d\($0.offset)", text: $0.element) }))
        var planted = 0
        for (index, entry) in truth.enumerated() {
            let core = (entry["errors"] as? [[Any]] ?? []).map { "\($0[0] as? Int ?? 0):\($0[1] as? Int ?? 0)" }.sorted()
            planted += core.count
            let ours = answer.problems.filter { $0.document == index }.map { "\($0.line):\($0.column)" }.sorted()
            #expect(core == ours, "\(documents[index]): graphql-core \(entry["errors"] ?? []), here \(answer.problems.filter { $0.document == index }.map(\.message))")
        }
        #expect(planted >= 3)
    }
}
