internal import CCurl
import Glibc

/// One plain-text email to send over SMTP.
public struct MailMessage: Sendable {
    /// `smtp://host:port` (STARTTLS as `startTLS` says) or `smtps://host:port` (TLS from the start).
    public var url: String
    public var from: String
    public var to: [String]
    public var subject: String
    public var body: String
    public var username: String?
    public var password: String?
    /// `required`: refuse a server that does not offer STARTTLS; `optional`: use it when offered; `off`.
    public var startTLS: String = "required"
    public var caBundle: String?
    public var timeout: Double = 10

    public init(url: String, from: String, to: [String], subject: String, body: String) {
        self.url = url
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
    }

    /// The message as it goes over the wire: headers, a blank line and the body, lines ended by
    /// CRLF. A subject with other than ASCII is RFC 2047 encoded; the body is UTF-8, 8bit.
    public func rendered(date: String) -> [UInt8] {
        let printable = subject.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 32 }
        let encodedSubject = printable ? subject : "=?UTF-8?B?\(Self.base64(Array(subject.utf8)))?="
        var lines = ["Date: \(date)", "From: <\(from)>", "To: " + to.map { "<\($0)>" }.joined(separator: ", "),
                     "Subject: \(encodedSubject)", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
                     "Content-Transfer-Encoding: 8bit", ""]
        lines += body.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.trimmingSuffix("\r")) }
        return Array(lines.joined(separator: "\r\n").utf8) + [13, 10]
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        for start in stride(from: 0, to: bytes.count, by: 3) {
            let chunk = Array(bytes[start..<min(start + 3, bytes.count)]) + [0, 0]
            let value = Int(chunk[0]) << 16 | Int(chunk[1]) << 8 | Int(chunk[2])
            for index in 0..<4 {
                out.append(index <= (bytes.count - start) ? alphabet[(value >> (18 - 6 * index)) & 63] : UInt8(ascii: "="))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

private extension Substring {
    func trimmingSuffix(_ suffix: String) -> Substring { hasSuffix(suffix) ? dropLast(suffix.count) : self }
}

/// Sends mail with libcurl's SMTP: the same loaded library, handle ownership and error
/// classification as HTTP requests.
public enum MailClient {
    /// Sends `message`; what the server said last. Blocks the calling thread.
    public static func send(_ message: MailMessage, date: String) throws(HTTPError) -> String {
        let curl = try LibCurl.shared.get()
        let target = HTTPClient.displayTarget(message.url)
        guard let easy = EasyHandle(curl) else { throw HTTPError(kind: .transport, code: -1, message: "curl_easy_init failed", target: target) }
        let source = UploadSource(message.rendered(date: date))
        let sink = ResponseSink(limit: 64 * 1024)
        let (handle, setopt) = easy.raw
        var failed: CURLcode = CURLE_OK
        func option(_ result: CURLcode) { if failed == CURLE_OK { failed = result } }
        let milliseconds = max(1, Int((message.timeout * 1000).rounded(.up)))
        option(qg_setopt_pointer(setopt, handle, CURLOPT_URL, easy.cString(message.url)))
        option(qg_setopt_pointer(setopt, handle, CURLOPT_PROTOCOLS_STR, easy.cString("smtp,smtps")))
        option(qg_setopt_long(setopt, handle, CURLOPT_NOSIGNAL, 1))
        option(qg_setopt_long(setopt, handle, CURLOPT_TIMEOUT_MS, milliseconds))
        option(qg_setopt_long(setopt, handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds))
        let useSSL: Int = switch message.startTLS {
        case "off": Int(CURLUSESSL_NONE.rawValue)
        case "optional": Int(CURLUSESSL_TRY.rawValue)
        default: Int(CURLUSESSL_ALL.rawValue)
        }
        option(qg_setopt_long(setopt, handle, CURLOPT_USE_SSL, useSSL))
        if let bundle = message.caBundle ?? HTTPClient.environmentCABundle {
            option(qg_setopt_pointer(setopt, handle, CURLOPT_CAINFO, easy.cString(bundle)))
        }
        if let username = message.username { option(qg_setopt_pointer(setopt, handle, CURLOPT_USERNAME, easy.cString(username))) }
        if let password = message.password { option(qg_setopt_pointer(setopt, handle, CURLOPT_PASSWORD, easy.cString(password))) }
        option(qg_setopt_pointer(setopt, handle, CURLOPT_MAIL_FROM, easy.cString("<\(message.from)>")))
        option(qg_setopt_pointer(setopt, handle, CURLOPT_MAIL_RCPT, easy.list(message.to.map { "<\($0)>" })))
        option(qg_setopt_long(setopt, handle, CURLOPT_UPLOAD, 1))
        option(qg_setopt_callback(setopt, handle, CURLOPT_READFUNCTION, { buffer, size, count, context in
            Unmanaged<UploadSource>.fromOpaque(context!).takeUnretainedValue().read(into: buffer, capacity: size * count)
        }))
        option(qg_setopt_pointer(setopt, handle, CURLOPT_READDATA, Unmanaged.passUnretained(source).toOpaque()))
        option(qg_setopt_callback(setopt, handle, CURLOPT_HEADERFUNCTION, { data, size, count, context in
            Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue().header(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }))
        option(qg_setopt_pointer(setopt, handle, CURLOPT_HEADERDATA, Unmanaged.passUnretained(sink).toOpaque()))
        let code = failed != CURLE_OK ? failed : withExtendedLifetime((source, sink)) { easy.perform(sink) }
        guard code == CURLE_OK else {
            let text = easy.message(for: code)
            let reply = easy.long(CURLINFO_RESPONSE_CODE)
            throw HTTPClient.classify(code, message: reply > 0 ? "\(text) (the server answered \(reply))" : text, target: target,
                                      tooLarge: false, limit: 0)
        }
        return "\(easy.long(CURLINFO_RESPONSE_CODE))"
    }
}

/// The bytes an upload reads, in pieces as libcurl asks.
private final class UploadSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func read(into buffer: UnsafeMutablePointer<CChar>?, capacity: Int) -> Int {
        guard let buffer else { return 0 }
        let count = min(capacity, bytes.count - offset)
        bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
