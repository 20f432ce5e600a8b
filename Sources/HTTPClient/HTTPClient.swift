internal import CCurl
import Glibc

/// Safe Swift over libcurl's easy interface: one handle per request, cleaned up on every path;
/// every libcurl error turned into a thrown `HTTPError`; the limits of `HTTPRequest` enforced
/// inside libcurl (timeouts, low-speed limit, redirects) or in the write callback (decoded size).
public enum HTTPClient {
    /// Performs `request` and returns the response, whatever its status. Blocks the calling thread.
    /// - SeeAlso: `curl_easy_setopt`, `curl_easy_perform`, `curl_easy_getinfo`.
    public static func perform(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        let curl = try LibCurl.shared.get()
        let target = displayTarget(request.url)
        guard let handle = curl.easyInit() else {
            throw HTTPError(kind: .transport, code: -1, message: "curl_easy_init failed", target: target)
        }
        defer { curl.easyCleanup(handle) }
        let sink = ResponseSink(limit: request.maxResponseBytes)
        // Every C string, the header list and the error buffer must outlive curl_easy_perform.
        var strings: [UnsafeMutablePointer<CChar>] = []
        defer { strings.forEach { free($0) } }
        func cString(_ text: String) -> UnsafeMutablePointer<CChar> {
            let copy = strdup(text)!
            strings.append(copy)
            return copy
        }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl.slistFreeAll(headerList) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var body = request.body ?? []

        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorText in
            body.withUnsafeMutableBufferPointer { bodyBytes in
                let setopt = curl.easySetopt
                var failed: CURLcode = CURLE_OK
                func option(_ result: CURLcode) { if failed == CURLE_OK { failed = result } }
                option(qg_setopt_pointer(setopt, handle, CURLOPT_ERRORBUFFER, errorText.baseAddress))
                option(qg_setopt_pointer(setopt, handle, CURLOPT_URL, cString(request.url)))
                option(qg_setopt_pointer(setopt, handle, CURLOPT_PROTOCOLS_STR, cString("http,https")))
                option(qg_setopt_pointer(setopt, handle, CURLOPT_REDIR_PROTOCOLS_STR, cString("http,https")))
                option(qg_setopt_long(setopt, handle, CURLOPT_NOSIGNAL, 1))
                option(qg_setopt_long(setopt, handle, CURLOPT_TIMEOUT_MS, milliseconds(request.timeout)))
                option(qg_setopt_long(setopt, handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(min(request.connectTimeout, request.timeout))))
                option(qg_setopt_long(setopt, handle, CURLOPT_LOW_SPEED_LIMIT, request.lowSpeedBytes))
                option(qg_setopt_long(setopt, handle, CURLOPT_LOW_SPEED_TIME, request.lowSpeedSeconds))
                option(qg_setopt_long(setopt, handle, CURLOPT_FOLLOWLOCATION, request.maxRedirects > 0 ? 1 : 0))
                option(qg_setopt_long(setopt, handle, CURLOPT_MAXREDIRS, request.maxRedirects))
                // "" accepts every encoding libcurl can decode; the size limit counts decoded bytes.
                option(qg_setopt_pointer(setopt, handle, CURLOPT_ACCEPT_ENCODING, cString("")))
                option(qg_setopt_pointer(setopt, handle, CURLOPT_USERAGENT, cString("quality-gates/0.1")))
                option(qg_setopt_long(setopt, handle, CURLOPT_SSL_VERIFYPEER, request.insecure ? 0 : 1))
                option(qg_setopt_long(setopt, handle, CURLOPT_SSL_VERIFYHOST, request.insecure ? 0 : 2))
                if let bundle = request.caBundle { option(qg_setopt_pointer(setopt, handle, CURLOPT_CAINFO, cString(bundle))) }
                if request.method != "GET" { option(qg_setopt_pointer(setopt, handle, CURLOPT_CUSTOMREQUEST, cString(request.method))) }
                if request.body != nil {
                    // An empty body still needs a valid pointer: libcurl would otherwise read POSTFIELDS as unset.
                    let fields: UnsafeRawPointer = bodyBytes.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(cString(""))
                    option(qg_setopt_pointer(setopt, handle, CURLOPT_POSTFIELDS, fields))
                    option(qg_setopt_off(setopt, handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bodyBytes.count)))
                }
                for (name, value) in request.headers { headerList = curl.slistAppend(headerList, cString("\(name): \(value)")) }
                if headerList != nil { option(qg_setopt_pointer(setopt, handle, CURLOPT_HTTPHEADER, headerList)) }
                let context = Unmanaged.passUnretained(sink).toOpaque()
                option(qg_setopt_callback(setopt, handle, CURLOPT_WRITEFUNCTION, { data, size, count, context in
                    let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
                    return sink.append(UnsafeRawBufferPointer(start: data, count: size * count))
                }))
                option(qg_setopt_pointer(setopt, handle, CURLOPT_WRITEDATA, context))
                option(qg_setopt_callback(setopt, handle, CURLOPT_HEADERFUNCTION, { data, size, count, context in
                    let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
                    sink.header(UnsafeRawBufferPointer(start: data, count: size * count))
                    return size * count
                }))
                option(qg_setopt_pointer(setopt, handle, CURLOPT_HEADERDATA, context))
                guard failed == CURLE_OK else { return failed }
                return withExtendedLifetime(sink) { curl.easyPerform(handle) }
            }
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let message = detail.isEmpty ? curl.easyStrerror(code).map { String(cString: $0) } ?? "error" : detail
            throw classify(code, message: message, target: target, tooLarge: sink.exceeded, limit: request.maxResponseBytes)
        }
        return HTTPResponse(status: info(curl, handle, CURLINFO_RESPONSE_CODE), headers: sink.headers, body: sink.body,
                            timings: timings(curl, handle), finalURL: effectiveURL(curl, handle) ?? request.url)
    }

    private static func milliseconds(_ seconds: Double) -> Int { max(1, Int((seconds * 1000).rounded(.up))) }

    private static func info(_ curl: LibCurl, _ handle: UnsafeMutableRawPointer, _ what: CURLINFO) -> Int {
        var value = 0
        _ = qg_getinfo_long(curl.easyGetinfo, handle, what, &value)
        return value
    }

    private static func timings(_ curl: LibCurl, _ handle: UnsafeMutableRawPointer) -> HTTPTimings {
        func ms(_ what: CURLINFO) -> Double {
            var microseconds: curl_off_t = 0
            _ = qg_getinfo_off(curl.easyGetinfo, handle, what, &microseconds)
            return Double(microseconds) / 1000
        }
        return HTTPTimings(dns: ms(CURLINFO_NAMELOOKUP_TIME_T), connect: ms(CURLINFO_CONNECT_TIME_T),
                           tls: ms(CURLINFO_APPCONNECT_TIME_T), firstByte: ms(CURLINFO_STARTTRANSFER_TIME_T),
                           total: ms(CURLINFO_TOTAL_TIME_T))
    }

    private static func effectiveURL(_ curl: LibCurl, _ handle: UnsafeMutableRawPointer) -> String? {
        var pointer: UnsafeMutablePointer<CChar>?
        guard qg_getinfo_string(curl.easyGetinfo, handle, CURLINFO_EFFECTIVE_URL, &pointer) == CURLE_OK, let pointer else { return nil }
        return String(cString: pointer)
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
