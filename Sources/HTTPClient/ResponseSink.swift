/// Collects a transfer's body and headers from libcurl's callbacks, stopping at the size limit.
/// Lives exactly as long as the transfer; libcurl gets it as an unretained pointer.
final class ResponseSink {
    let limit: Int
    var body: [UInt8] = []
    var headers: [(name: String, value: String)] = []
    var exceeded = false

    init(limit: Int) { self.limit = limit }

    /// Body bytes, after decoding; refusing them (returning less than given) aborts the transfer.
    func append(_ data: UnsafeRawBufferPointer) -> Int {
        guard body.count + data.count <= limit else {
            exceeded = true
            return 0
        }
        body += data
        return data.count
    }

    /// One header line. A status line starts a new block (after a redirect), so only the final
    /// response's headers remain.
    func header(_ line: UnsafeRawBufferPointer) {
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters
        if text.hasPrefix("HTTP/") { headers = []; return }
        guard let colon = text.firstIndex(of: ":") else { return }
        let name = text[..<colon].lowercased()
        let value = String(text[text.index(after: colon)...]).trimmingCharacters
        headers.append((name, value))
    }
}

extension String {
    var trimmingCharacters: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
