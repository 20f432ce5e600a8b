import Glibc
import GraphQLDocuments
import JSON
import ProjectFiles

/// The GraphQL validator helper, `quality-gates-graphql`: a process of its own because GraphQLSwift
/// needs Foundation, which the main binary does not load. It takes a `ValidationRequest` on
/// standard input and answers a `ValidationResponse`; a hang is killed at the deadline.
enum ValidatorHelper {
    static let program = "the GraphQL validator"

    /// Where the validator is: `QG_GRAPHQL_HELPER`, else beside the running executable.
    static func path() -> String {
        if let path = getenv("QG_GRAPHQL_HELPER").map({ String(cString: $0) }), !path.isEmpty { return path }
        let executable = FileSystem.realPath("/proc/self/exe") ?? ""
        let folder = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return folder + "/quality-gates-graphql"
    }

    /// The validator binary as a cached verdict's key names it: its path, size and modification
    /// time, so a rebuilt validator (new rules) never reads an old verdict.
    static func identity(_ path: String = path()) -> String {
        var status = stat()
        guard stat(path, &status) == 0 else { return path }
        return "\(path):\(status.st_size):\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
    }

    /// Runs the validator on a request.
    static func validate(_ request: ValidationRequest, timeout: Double, helper path: String = path()) throws(HelperProcessError) -> ValidationResponse {
        guard FileSystem.kind(of: path) == .file else {
            throw .missing(program: program, hint: "no \(path); build it with `swift build` (it is the quality-gates-graphql product) or set QG_GRAPHQL_HELPER")
        }
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess.run(path, input: request.json.bytes(compact: true), timeout: timeout)
        } catch {
            throw .cannotStart(program: program, reason: error.message)
        }
        if outcome.timedOut { throw .timedOut(program: program, seconds: timeout, hint: "raise the check's timeout") }
        let stderr = HelperProcessError.firstLine(outcome.stderr)
        if let signal = outcome.signal { throw .crashed(program: program, signal: signal, stderr: stderr) }
        guard outcome.status == 0 else { throw .failed(program: program, status: outcome.status, stderr: stderr) }
        guard let document = JSONDocument.parse(outcome.stdout), let response = ValidationResponse(json: document) else {
            throw .noAnswer(program: program, expected: "validation answer", stderr: stderr)
        }
        return response
    }
}
