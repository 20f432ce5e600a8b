import Glibc
import GraphQLDocuments
import JSON
import ProjectFiles

/// The GraphQL validator helper, `quality-gates-graphql`: a process of its own because GraphQLSwift
/// needs Foundation, which the main binary does not load. It takes a `ValidationRequest` on
/// standard input and answers a `ValidationResponse`; a hang is killed at the deadline.
enum ValidatorHelper {
    struct Problem: Error { let message: String }

    /// Where the validator is: `QG_GRAPHQL_HELPER`, else beside the running executable.
    static func path() -> String {
        if let path = getenv("QG_GRAPHQL_HELPER").map({ String(cString: $0) }), !path.isEmpty { return path }
        let executable = FileSystem.realPath("/proc/self/exe") ?? ""
        let folder = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return folder + "/quality-gates-graphql"
    }

    /// Runs the validator on a request.
    static func validate(_ request: ValidationRequest, timeout: Double, helper path: String = path()) throws(Problem) -> ValidationResponse {
        guard FileSystem.kind(of: path) == .file else {
            throw Problem(message: "the GraphQL validator is missing: no \(path); build it with `swift build` (it is the quality-gates-graphql product) or set QG_GRAPHQL_HELPER")
        }
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess.run(path, input: Array(request.json.serialized(compact: true).utf8), timeout: timeout)
        } catch {
            throw Problem(message: "the GraphQL validator could not start: \(error.message)")
        }
        if outcome.timedOut {
            throw Problem(message: "the GraphQL validator did not finish within \(Runner.format(timeout)) s; raise the check's timeout")
        }
        let stderr = String(decoding: outcome.stderr.prefix(400), as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        if let signal = outcome.signal {
            throw Problem(message: "the GraphQL validator crashed (signal \(signal))" + (stderr.isEmpty ? "" : ": \(stderr)"))
        }
        guard outcome.status == 0, let document = JSONDocument.parse(outcome.stdout), let response = ValidationResponse(json: document) else {
            throw Problem(message: "the GraphQL validator failed (exit \(outcome.status))" + (stderr.isEmpty ? "" : ": \(stderr)"))
        }
        return response
    }
}
