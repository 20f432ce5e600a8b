internal import CCurl
import Glibc

/// Safe Swift over libcurl's easy interface: one handle per request, cleaned up on every path;
/// every libcurl error turned into a thrown `HTTPError`; the limits of `HTTPRequest` enforced
/// inside libcurl (timeouts, low-speed limit, redirects) or in the write callback (decoded size).
public enum HTTPClient {
    /// Loads libcurl now rather than at the first request: with its dependencies (OpenSSL,
    /// nghttp2, libssh2, LDAP, Kerberos) that takes about 5 ms, which every check making a
    /// request would otherwise wait for. A run that will make requests calls it as it starts.
    public static func loadLibrary() { _ = LibCurl.shared }

    /// The CA bundle the environment names (`SSL_CERT_FILE`, OpenSSL's variable, else
    /// `CURL_CA_BUNDLE`, curl's), for a request that names none: libcurl as a library reads
    /// neither, and a staging whose certificates an internal CA signs is verified with it.
    static let environmentCABundle: String? = {
        for name in ["SSL_CERT_FILE", "CURL_CA_BUNDLE"] {
            if let value = getenv(name).map({ String(cString: $0) }), !value.isEmpty { return value }
        }
        return nil
    }()

    /// Performs `request` and returns the response, whatever its status. Blocks the calling thread.
    /// - SeeAlso: `curl_easy_setopt`, `curl_easy_perform`, `curl_easy_getinfo`.
    public static func perform(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        let curl = try LibCurl.shared.get()
        let target = displayTarget(request.url)
        guard let easy = EasyHandle(curl) else {
            throw HTTPError(kind: .transport, code: -1, message: "curl_easy_init failed", target: target)
        }
        let sink = ResponseSink(limit: request.maxResponseBytes)
        let code = easy.configure(for: request, sink: sink) ?? easy.perform(sink)
        guard code == CURLE_OK else {
            let message = easy.message(for: code)
            throw classify(code, message: message, target: target, tooLarge: sink.exceeded, limit: request.maxResponseBytes)
        }
        return HTTPResponse(status: easy.long(CURLINFO_RESPONSE_CODE), headers: sink.headers, body: sink.body,
                            timings: timings(easy), finalURL: easy.string(CURLINFO_EFFECTIVE_URL) ?? request.url)
    }

    private static func timings(_ easy: EasyHandle) -> HTTPTimings {
        func ms(_ what: CURLINFO) -> Double { Double(easy.offset(what)) / 1000 }
        return HTTPTimings(dns: ms(CURLINFO_NAMELOOKUP_TIME_T), connect: ms(CURLINFO_CONNECT_TIME_T),
                           tls: ms(CURLINFO_APPCONNECT_TIME_T), firstByte: ms(CURLINFO_STARTTRANSFER_TIME_T),
                           total: ms(CURLINFO_TOTAL_TIME_T))
    }

    static func classify(_ code: CURLcode, message: String, target: String, tooLarge: Bool, limit: Int) -> HTTPError {
        let number = Int(code.rawValue)
        let kind: HTTPError.Kind
        var text = message
        switch code {
        case CURLE_COULDNT_CONNECT: kind = .refused
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .dns
        case CURLE_OPERATION_TIMEDOUT: kind = message.lowercased().contains("too slow") ? .tooSlow : .timeout
        case CURLE_TOO_MANY_REDIRECTS: kind = .tooManyRedirects
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: kind = .badURL
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            kind = .tls
        case CURLE_WRITE_ERROR where tooLarge:
            kind = .tooLarge
            text = "the response is larger than \(limit) bytes (after decoding)"
        case CURLE_OUT_OF_MEMORY:
            // libcurl 7.x reports a header line over its 100 KiB limit as running out of memory.
            kind = .tooLarge
            text = "a response header is larger than libcurl accepts (100 KiB a line; libcurl says: \(message))"
        default: kind = .transport
        }
        return HTTPError(kind: kind, code: number, message: text, target: target)
    }

    /// `url` as messages show it: scheme, host, port and path, as libcurl parses them (so as the
    /// request would go), without user, password, query or fragment. A URL libcurl cannot parse
    /// is never shown past its scheme: a password pasted raw into one would show otherwise.
    public static func displayTarget(_ url: String) -> String {
        let scheme = url.firstRange(of: "://").map { String(url[..<$0.lowerBound]) }
            .flatMap { $0.allSatisfy { $0.isLetter || $0.isNumber || "+.-".contains($0) } && !$0.isEmpty ? $0 : nil }
        let unparsed = scheme.map { "\($0)://(a URL libcurl cannot parse)" } ?? "(a URL libcurl cannot parse)"
        guard case .success(let curl) = LibCurl.shared, let handle = curl.urlNew() else { return unparsed }
        defer { curl.urlCleanup(handle) }
        guard curl.urlSet(handle, CURLUPART_URL, url, 0) == CURLUE_OK else { return unparsed }
        func part(_ which: CURLUPart) -> String? {
            var text: UnsafeMutablePointer<CChar>?
            guard curl.urlGet(handle, which, &text, 0) == CURLUE_OK, let text else { return nil }
            defer { curl.free(text) }
            return String(cString: text)
        }
        guard let parsedScheme = part(CURLUPART_SCHEME), let host = part(CURLUPART_HOST) else { return unparsed }
        let port = part(CURLUPART_PORT).map { ":\($0)" } ?? ""
        var path = part(CURLUPART_PATH) ?? ""
        let written = url.prefix { $0 != "?" && $0 != "#" }
        if path == "/", !written.hasSuffix("/") { path = "" }
        return "\(parsedScheme)://\(host)\(port)\(path)"
    }
}
