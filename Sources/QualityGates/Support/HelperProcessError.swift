/// Why a helper process gave no answer: the GraphQL validator, or a backend's schema export
/// command. The cases are values (tests compare them); the words are written once, here.
enum HelperProcessError: Error, Equatable, Sendable {
    /// The program is not where it should be.
    case missing(program: String, hint: String)
    /// It could not be started (pipes, spawn).
    case cannotStart(program: String, reason: String)
    /// It did not finish in time, and was killed.
    case timedOut(program: String, seconds: Double, hint: String)
    /// A signal ended it.
    case crashed(program: String, signal: Int32, stderr: String)
    /// It exited with a status other than 0.
    case failed(program: String, status: Int32, stderr: String)
    /// It exited 0 but printed nothing usable.
    case noAnswer(program: String, expected: String, stderr: String)

    var message: String {
        func said(_ stderr: String) -> String { stderr.isEmpty ? "" : ": \(stderr)" }
        switch self {
        case .missing(let program, let hint): return "\(program) is missing; \(hint)"
        case .cannotStart(let program, let reason): return "\(program) could not start: \(reason)"
        case .timedOut(let program, let seconds, let hint): return "\(program) did not finish within \(NumberText.number(seconds)) s; \(hint)"
        case .crashed(let program, let signal, let stderr): return "\(program) was ended by signal \(signal)\(said(stderr))"
        case .failed(let program, let status, let stderr): return "\(program) exited with status \(status)\(said(stderr))"
        case .noAnswer(let program, let expected, let stderr): return "\(program) printed no \(expected)\(said(stderr))"
        }
    }

    /// The first line of what a process wrote on standard error (or the last, for commands that
    /// log their way to the error), cut short.
    static func firstLine(_ stderr: [UInt8], last: Bool = false) -> String {
        let text = String(decoding: last ? Array(stderr.suffix(2000)) : Array(stderr.prefix(400)), as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline)
        return (last ? lines.last : lines.first).map(String.init) ?? ""
    }
}
