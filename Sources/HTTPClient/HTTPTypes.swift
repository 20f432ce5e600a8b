/// An HTTP request, with the limits that keep a misbehaving server from holding or sinking a run.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    /// Header lines, name and value.
    public var headers: [(name: String, value: String)]
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
    public var dns: Double
    public var connect: Double
    public var tls: Double
    public var firstByte: Double
    public var total: Double
}

/// A response: status, headers (names lower-cased, in order), decoded body and timings.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var timings: HTTPTimings
    /// The URL after redirects.
    public var finalURL: String

    /// The first header with `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }
}

/// Why a transfer failed, classified, with libcurl's code and `curl_easy_strerror` text.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case refused, dns, timeout, tooSlow, tls, tooManyRedirects, tooLarge, badURL, transport
    }

    public let kind: Kind
    /// libcurl's `CURLcode`.
    public let code: Int
    public let message: String
    /// The URL, without credentials or query string.
    public let target: String

    public var description: String { "\(target): \(message) (curl \(code))" }
}
