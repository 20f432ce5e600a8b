import Foundation
@testable import QualityGates
import TestSupport
import Testing

/// Every example of every check kind, run as a test: the examples are the kinds' tests and docs.
struct CheckExamplesTests {
    struct LabelledExample: CustomTestStringConvertible, Sendable {
        let kind: String
        let example: CheckExample
        var testDescription: String { "\(kind) example at \(example.sourceFile):\(example.sourceLine)" }
    }

    static let all = CheckRegistry.all.flatMap { type in
        type.description.examples.map { LabelledExample(kind: type.description.kind, example: $0) }
    }

    @Test("each example behaves as it says", arguments: all.filter { !$0.example.needsDatabase && !$0.example.needsHTTPServer })
    func example(_ labelled: LabelledExample) async throws {
        try await check(labelled, environment: labelled.example.environment)
    }

    func check(_ labelled: LabelledExample, environment: [String: String]) async throws {
        let example = labelled.example
        let body = example.yaml.split(separator: "\n").map { "        \($0)" }.joined(separator: "\n")
        let text = gateFile(checks: "      - name: example\n" + body)
        let loaded = loadGates(text, environment: environment)
        if case .invalid(let expected) = example.expectation {
            guard case .failure(let errors) = loaded else {
                Issue.record("\(labelled.testDescription): loaded, but should be refused with “\(expected)”")
                return
            }
            #expect(errors.errors.contains { $0.description.contains(expected) },
                    "\(labelled.testDescription): \(errors.errors.map(\.description))")
            return
        }
        let configuration = try loaded.get()
        let folder = try TemporaryFolder(files: example.files)
        let configured = try #require(configuration.gates.first?.checks.first)
        var history: HistoryStore?
        if !example.history.isEmpty {
            let store = try HistoryStore(path: folder.path("history.sqlite"))
            for (index, run) in example.history.enumerated() { try store.appendExampleRun(run, index: index) }
            history = store
        }
        // A database or HTTP example waits on a server: on a thread of its own, never one of the
        // test pool's two, which the runner's timing tests share.
        let check = configured.check
        let context = CheckContext(projectRoot: folder.url, environment: Environment(environment), target: .build, timeout: 10, history: history)
        let result = try await offPool { check.run(context) }
        switch example.expectation {
        case .passes:
            #expect(result.outcome == .passed, "\(labelled.testDescription): \(result.message)")
        case .fails(let text):
            #expect(result.outcome == .failed, "\(labelled.testDescription): \(result.message)")
            #expect(result.message.contains(text), "\(labelled.testDescription): “\(result.message)” lacks “\(text)”")
        case .errors(let text):
            #expect(result.outcome == .errored, "\(labelled.testDescription): \(result.message)")
            #expect(result.message.contains(text), "\(labelled.testDescription): “\(result.message)” lacks “\(text)”")
        case .warns(let text):
            #expect(result.outcome == .warned, "\(labelled.testDescription): \(result.message)")
            #expect(result.message.contains(text), "\(labelled.testDescription): “\(result.message)” lacks “\(text)”")
        case .skips(let text):
            #expect(result.outcome == .skipped, "\(labelled.testDescription): \(result.message)")
            #expect(result.message.contains(text), "\(labelled.testDescription): “\(result.message)” lacks “\(text)”")
        case .invalid:
            break
        }
    }

    @Test("every kind has a passing, a failing and an invalid example")
    func coverage() {
        for type in CheckRegistry.all {
            let expectations = type.description.examples.map(\.expectation)
            let kind = type.description.kind
            #expect(expectations.contains(.passes), "\(kind) has no passing example")
            #expect(expectations.contains { if case .fails = $0 { true } else { false } }, "\(kind) has no failing example")
            #expect(expectations.contains { if case .invalid = $0 { true } else { false } }, "\(kind) has no invalid example")
        }
    }
}
