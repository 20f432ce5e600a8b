internal import CCurl
import Glibc

/// One libcurl easy handle, owned, with everything it points at while a transfer runs: the C
/// strings of the options, the header list, the request body and the error buffer. All of it is
/// freed in `deinit`, on every path (the shape of corelibs Foundation's `_EasyHandle`).
final class EasyHandle {
    private let curl: LibCurl
    private let handle: UnsafeMutableRawPointer
    private var strings: [UnsafeMutablePointer<CChar>] = []
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var otherLists: [UnsafeMutablePointer<curl_slist>] = []
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var body: UnsafeMutableBufferPointer<UInt8>?

    /// nil when libcurl cannot make a handle.
    init?(_ curl: LibCurl) {
        guard let handle = curl.easyInit() else { return nil }
        self.curl = curl
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl.easyCleanup(handle)
        curl.slistFreeAll(headerList)
        otherLists.forEach { curl.slistFreeAll($0) }
        strings.forEach { free($0) }
        errorBuffer.deallocate()
        body?.deallocate()
    }

    /// What libcurl wrote into the error buffer, if anything.
    var errorText: String {
        String(cString: errorBuffer)
    }

    /// Why a transfer ended with `code`: the error buffer's detail, else libcurl's name for the code.
    func message(for code: CURLcode) -> String {
        let detail = errorText
        return detail.isEmpty ? curl.easyStrerror(code).map { String(cString: $0) } ?? "error" : detail
    }

    /// A libcurl string list of `items` that lives as long as the handle.
    func list(_ items: [String]) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items { list = curl.slistAppend(list, cString(item)) }
        if let list { otherLists.append(list) }
        return list
    }

    /// The raw handle and setopt, for options set outside this file.
    var raw: (handle: UnsafeMutableRawPointer, setopt: UnsafeMutableRawPointer) { (handle, curl.easySetopt) }

    /// A copy of `text` that lives as long as the handle.
    func cString(_ text: String) -> UnsafeMutablePointer<CChar> {
        let copy = strdup(text)!
        strings.append(copy)
        return copy
    }

    /// Sets every option `request` asks for, with `sink` receiving the headers and body; the
    /// first option libcurl refuses, or nil.
    func configure(for request: HTTPRequest, sink: ResponseSink) -> CURLcode? {
        let setopt = curl.easySetopt
        var failed: CURLcode = CURLE_OK
        func option(_ result: CURLcode) { if failed == CURLE_OK { failed = result } }
        func milliseconds(_ seconds: Double) -> Int { max(1, Int((seconds * 1000).rounded(.up))) }
        option(qg_setopt_pointer(setopt, handle, CURLOPT_ERRORBUFFER, errorBuffer))
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
        if let bundle = request.caBundle ?? HTTPClient.environmentCABundle {
            option(qg_setopt_pointer(setopt, handle, CURLOPT_CAINFO, cString(bundle)))
        }
        if request.method != "GET" { option(qg_setopt_pointer(setopt, handle, CURLOPT_CUSTOMREQUEST, cString(request.method))) }
        if let bytes = request.body {
            // An empty body still needs a valid pointer: libcurl would otherwise read POSTFIELDS as unset.
            let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, bytes.count))
            _ = copy.initialize(from: bytes)
            body = copy
            option(qg_setopt_pointer(setopt, handle, CURLOPT_POSTFIELDS, copy.baseAddress))
            option(qg_setopt_off(setopt, handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count)))
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
        return failed == CURLE_OK ? nil : failed
    }

    /// Runs the transfer; `sink` must live until it returns (the callbacks hold it unretained).
    func perform(_ sink: ResponseSink) -> CURLcode {
        withExtendedLifetime(sink) { curl.easyPerform(handle) }
    }

    func long(_ what: CURLINFO) -> Int {
        var value = 0
        _ = qg_getinfo_long(curl.easyGetinfo, handle, what, &value)
        return value
    }

    func offset(_ what: CURLINFO) -> curl_off_t {
        var value: curl_off_t = 0
        _ = qg_getinfo_off(curl.easyGetinfo, handle, what, &value)
        return value
    }

    /// A string the handle owns, copied out.
    func string(_ what: CURLINFO) -> String? {
        var pointer: UnsafeMutablePointer<CChar>?
        guard qg_getinfo_string(curl.easyGetinfo, handle, what, &pointer) == CURLE_OK, let pointer else { return nil }
        return String(cString: pointer)
    }
}
