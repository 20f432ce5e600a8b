/// An HTTP request, with the limits that keep a misbehaving server from holding or sinking a run.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, … (anything but GET is sent as a custom request).
    public var method: String
    /// An `http://` or `https://` URL; other protocols are refused, also on redirects.
    public var url: String
    /// Header lines, name and value.
    public var headers: [(name: String, value: String)]
    /// The request body, sent as is; nil for none.
    public var body: [UInt8]?
    /// Seconds the whole transfer may take (`CURLOPT_TIMEOUT_MS`).
    public var timeout: Double
    /// Seconds connecting may take (`CURLOPT_CONNECTTIMEOUT_MS`).
    public var connectTimeout: Double
    /// Largest response body accepted, counted after decoding (a gzip bomb counts what it inflates to).
    public var maxResponseBytes: Int
    /// Redirects followed before it is an error.
    public var maxRedirects: Int
    /// A server slower than `lowSpeedBytes` a second for `lowSpeedSeconds` is an error, so one that
    /// drips a byte a second cannot hold a check until its timeout.
    public var lowSpeedBytes: Int
    /// See `lowSpeedBytes`.
    public var lowSpeedSeconds: Int
    /// A CA bundle to verify TLS with, instead of the system's.
    public var caBundle: String?
    /// Skip TLS verification; only when a gate file says so, and then reported.
    public var insecure: Bool

    /// A request with quality-gates' defaults: 10 s, 5 s to connect, 10 MiB, 5 redirects, under 1
    /// byte a second for 5 s is too slow, TLS verified.
    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
                timeout: Double = 10, connectTimeout: Double = 5, maxResponseBytes: Int = 10 << 20, maxRedirects: Int = 5,
                lowSpeedBytes: Int = 1, lowSpeedSeconds: Int = 5, caBundle: String? = nil, insecure: Bool = false) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxResponseBytes = maxResponseBytes
        self.maxRedirects = maxRedirects
        self.lowSpeedBytes = lowSpeedBytes
        self.lowSpeedSeconds = lowSpeedSeconds
        self.caBundle = caBundle
        self.insecure = insecure
    }
}

/// Where the time of a transfer went, in milliseconds from its start (libcurl's breakdown).
public struct HTTPTimings: Sendable, Equatable {
    /// The host name resolved.
    public var dns: Double
    /// The TCP connection made.
    public var connect: Double
    /// The TLS handshake done (equal to `connect` over plain HTTP).
    public var tls: Double
    /// The first byte of the response arrived.
    public var firstByte: Double
    /// The transfer ended.
    public var total: Double
}

/// A response: status, headers (names lower-cased, in order), decoded body and timings.
public struct HTTPResponse: Sendable {
    /// The final response's status (after redirects).
    public var status: Int
    /// The final response's headers: names lower-cased, values trimmed, in order.
    public var headers: [(name: String, value: String)]
    /// The body, decoded (gzip, brotli, zstd, deflate).
    public var body: [UInt8]
    /// Where the time went.
    public var timings: HTTPTimings
    /// The URL after redirects.
    public var finalURL: String

    /// The first header with `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }

    /// The seconds a `Retry-After` header asks to wait (delay-seconds, or an HTTP date measured
    /// against `now`, seconds since 1970); nil without one or when it cannot be read.
    public func retryAfter(now: Double) -> Double? {
        guard let value = header("retry-after") else { return nil }
        if let seconds = Int(value), seconds >= 0 { return Double(seconds) }
        return HTTPDate.seconds(value).map { max(0, $0 - now) }
    }
}

/// HTTP dates as RFC 9110 writes them (IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`).
enum HTTPDate {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Seconds since 1970 for an IMF-fixdate; nil for anything else.
    static func seconds(_ text: String) -> Double? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let month = months.firstIndex(of: String(parts[2])),
              let year = Int(parts[3]) else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (1...31).contains(day), year >= 1970 else { return nil }
        // Days from 1970-01-01 to the date (proleptic Gregorian), Howard Hinnant's days_from_civil.
        let y = month < 2 ? year - 1 : year
        let era = y / 400
        let yearOfEra = y - era * 400
        let monthIndex = (month + 9) % 12
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2])
    }
}

/// Why a transfer failed, classified, with libcurl's code and `curl_easy_strerror` text.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure: the cases a check words differently.
    public enum Kind: String, Sendable {
        case refused, dns, timeout, tooSlow, tls, tooManyRedirects, tooLarge, badURL, transport
    }

    /// The classification.
    public let kind: Kind
    /// libcurl's `CURLcode`.
    public let code: Int
    /// libcurl's error text, or ours for the limits enforced here.
    public let message: String
    /// The URL, without credentials or query string.
    public let target: String

    /// `target: message (curl N)`.
    public var description: String { "\(target): \(message) (curl \(code))" }

    /// Whether the same request could fail otherwise a moment later: not for a certificate that
    /// does not verify, a response over the size limit, a redirect loop or a URL curl refuses.
    public var mayPassOnRetry: Bool {
        switch kind {
        case .tls, .tooLarge, .tooManyRedirects, .badURL: false
        default: true
        }
    }
}
