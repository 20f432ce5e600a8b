import Glibc
import Synchronization

/// `watch --listen`: a minimal HTTP/1.1 server for `/metrics` and `/health`, on POSIX sockets.
/// Not Hummingbird or FlyingFox: both bring Foundation (FlyingFox) or SwiftNIO (Hummingbird) into
/// the one binary, and every `run` would pay for loading them at start-up (BENCHMARKS.md, part 8).
/// It answers GET and HEAD, one connection at a time, `Connection: close`; a client gets 2 s to
/// send its request. Enough for a scraper and a health probe; not a general server.
public final class StatusServer: Sendable {
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    /// The bound address, `host:port` (the port the system chose when 0 was asked).
    public let address: String
    private let socket: Int32
    private let stopped = Mutex(false)

    /// What a request gets: status, content type and body.
    public typealias Handler = @Sendable (_ path: String) -> (status: Int, contentType: String, body: String)

    /// Listens on `address` (`127.0.0.1:9464`, `localhost:0`) and serves `handler` on a thread of its own.
    public init(listen address: String, handler: @escaping Handler) throws(Problem) {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
            throw Problem(description: "--listen \(address): give host:port, such as 127.0.0.1:9464")
        }
        var host = String(address[..<colon])
        if host.isEmpty || host == "localhost" { host = "127.0.0.1" }
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &socketAddress.sin_addr) == 1 else {
            throw Problem(description: "--listen \(address): '\(host)' is not an IPv4 address (use 127.0.0.1, or 0.0.0.0 for every interface)")
        }
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Problem(description: "--listen \(address): socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Problem(description: "--listen \(address): \(reason)\(errno == EADDRINUSE ? "; choose another port" : "")")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.address = "\(host):\(UInt16(bigEndian: actual.sin_port))"
        socket = fd
        DetachedThread.start { [self] in serve(handler) }
    }

    /// Stops accepting; the listening socket closes within a fifth of a second.
    public func stop() { stopped.withLock { $0 = true } }

    private func serve(_ handler: Handler) {
        defer { close(socket) }
        while !stopped.withLock({ $0 }) {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let client = accept(socket, nil, nil)
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            answer(client, handler)
            close(client)
        }
    }

    private func answer(_ client: Int32, _ handler: Handler) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        // The request line and headers; a body, if any, is not read.
        while request.count < 16_384, !request.ends(with: [13, 10, 13, 10]), !request.ends(with: [10, 10]) {
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            request += buffer[..<count]
        }
        let line = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self).split(separator: " ")
        let response: (status: Int, contentType: String, body: String)
        var head = false
        if line.count != 3 || !line[2].hasPrefix("HTTP/1.") {
            response = (400, "text/plain; charset=utf-8", "a request line such as GET /health HTTP/1.1\n")
        } else if line[0] != "GET" && line[0] != "HEAD" {
            response = (405, "text/plain; charset=utf-8", "only GET and HEAD\n")
        } else {
            head = line[0] == "HEAD"
            response = handler(String(line[1].prefix { $0 != "?" }))
        }
        let reasons = [200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"]
        let body = Array(response.body.utf8)
        var bytes = Array(("HTTP/1.1 \(response.status) \(reasons[response.status] ?? "Status")\r\n"
            + "Content-Type: \(response.contentType)\r\nContent-Length: \(body.count)\r\n"
            + (response.status == 405 ? "Allow: GET, HEAD\r\n" : "") + "Cache-Control: no-store\r\nConnection: close\r\n\r\n").utf8)
        if !head { bytes += body }
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return }
            sent += count
        }
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
