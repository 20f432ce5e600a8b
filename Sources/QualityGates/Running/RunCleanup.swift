import HTTPClient
import Synchronization

/// Requests a run sends once its checks are over: the sign-in sessions that checks handed on a
/// token from, ended after every check that used the token has run. A smoke test that signs in
/// on every run (every minute under `watch`) would otherwise leave a live session and refresh
/// token in the project's auth database each time.
public final class RunCleanup: Sendable {
    private let requests = Mutex<[(request: HTTPRequest, what: String)]>([])

    public init() {}

    /// Adds a request; `what` names it in a note when it fails ("the sign-in session at …").
    func add(_ request: HTTPRequest, what: String) {
        requests.withLock { $0.append((request, what)) }
    }

    /// Sends every request added so far, each with at most `limit` seconds, all at once, and
    /// forgets them; returns a line for each that did not succeed (status 2xx). Never a secret: a
    /// request's headers and body are not in the lines.
    public func perform(limit: Double = 5) async -> [String] {
        let pending = requests.withLock { requests in
            defer { requests = [] }
            return requests
        }
        guard !pending.isEmpty else { return [] }
        let threads = pending.map { item in
            Background { () -> String? in
                var request = item.request
                request.timeout = min(request.timeout, limit)
                request.connectTimeout = min(request.connectTimeout, limit)
                do throws(HTTPError) {
                    let response = try HTTPClient.perform(request)
                    return (200..<300).contains(response.status) ? nil : "\(item.what) answered HTTP \(response.status)"
                } catch {
                    return "\(item.what): \(HTTPCheck.message(error, timeout: request.timeout))"
                }
            }
        }
        var problems: [String] = []
        for thread in threads {
            if let problem = await thread.value() { problems.append(problem) }
        }
        return problems
    }
}
