internal import CCurl
import Glibc

/// libcurl's functions, loaded from `libcurl.so.4` on the first request: linking it would load it
/// and its dependencies (OpenSSL, nghttp2, libssh2, LDAP, Kerberos, ...) at every start, and most
/// runs make no HTTP request. `curl_global_init` runs once, here, before any transfer.
struct LibCurl: @unchecked Sendable {
    // @unchecked: a table of C function pointers, written once and only read after.
    let easyInit: @convention(c) () -> UnsafeMutableRawPointer?
    let easyCleanup: @convention(c) (UnsafeMutableRawPointer?) -> Void
    let easyPerform: @convention(c) (UnsafeMutableRawPointer?) -> CURLcode
    let easyStrerror: @convention(c) (CURLcode) -> UnsafePointer<CChar>?
    let slistAppend: @convention(c) (UnsafeMutablePointer<curl_slist>?, UnsafePointer<CChar>?) -> UnsafeMutablePointer<curl_slist>?
    let slistFreeAll: @convention(c) (UnsafeMutablePointer<curl_slist>?) -> Void
    let urlNew: @convention(c) () -> OpaquePointer?
    let urlCleanup: @convention(c) (OpaquePointer?) -> Void
    let urlSet: @convention(c) (OpaquePointer?, CURLUPart, UnsafePointer<CChar>?, UInt32) -> CURLUcode
    let urlGet: @convention(c) (OpaquePointer?, CURLUPart, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, UInt32) -> CURLUcode
    let free: @convention(c) (UnsafeMutableRawPointer?) -> Void
    /// The variadic functions, called only through the shim's helpers.
    let easySetopt: UnsafeMutableRawPointer
    let easyGetinfo: UnsafeMutableRawPointer

    /// The library, loaded and initialised once; an error names what to install when it is missing.
    static let shared: Result<LibCurl, HTTPError> = load()

    private static func load() -> Result<LibCurl, HTTPError> {
        guard let handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            return .failure(HTTPError(kind: .transport, code: -1, message: "cannot load libcurl (\(reason)); install it: apt-get install libcurl4",
                                      target: "(libcurl)"))
        }
        let names = ["curl_global_init", "curl_easy_init", "curl_easy_cleanup", "curl_easy_perform", "curl_easy_strerror",
                     "curl_slist_append", "curl_slist_free_all", "curl_easy_setopt", "curl_easy_getinfo",
                     "curl_url", "curl_url_cleanup", "curl_url_set", "curl_url_get", "curl_free"]
        let missing = names.filter { dlsym(handle, $0) == nil }
        guard missing.isEmpty else {
            return .failure(HTTPError(kind: .transport, code: -1, message: "libcurl.so.4 lacks \(missing.joined(separator: ", "))",
                                      target: "(libcurl)"))
        }
        // Every name was found above; the types are curl.h's prototypes.
        func symbol<T>(_ name: String, as type: T.Type) -> T { unsafeBitCast(dlsym(handle, name)!, to: type) }
        let globalInit = symbol("curl_global_init", as: (@convention(c) (Int) -> CURLcode).self)
        guard globalInit(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK else {
            return .failure(HTTPError(kind: .transport, code: -1, message: "curl_global_init failed", target: "(libcurl)"))
        }
        return .success(LibCurl(
            easyInit: symbol("curl_easy_init", as: (@convention(c) () -> UnsafeMutableRawPointer?).self),
            easyCleanup: symbol("curl_easy_cleanup", as: (@convention(c) (UnsafeMutableRawPointer?) -> Void).self),
            easyPerform: symbol("curl_easy_perform", as: (@convention(c) (UnsafeMutableRawPointer?) -> CURLcode).self),
            easyStrerror: symbol("curl_easy_strerror", as: (@convention(c) (CURLcode) -> UnsafePointer<CChar>?).self),
            slistAppend: symbol("curl_slist_append", as: (@convention(c) (UnsafeMutablePointer<curl_slist>?, UnsafePointer<CChar>?) -> UnsafeMutablePointer<curl_slist>?).self),
            slistFreeAll: symbol("curl_slist_free_all", as: (@convention(c) (UnsafeMutablePointer<curl_slist>?) -> Void).self),
            urlNew: symbol("curl_url", as: (@convention(c) () -> OpaquePointer?).self),
            urlCleanup: symbol("curl_url_cleanup", as: (@convention(c) (OpaquePointer?) -> Void).self),
            urlSet: symbol("curl_url_set", as: (@convention(c) (OpaquePointer?, CURLUPart, UnsafePointer<CChar>?, UInt32) -> CURLUcode).self),
            urlGet: symbol("curl_url_get", as: (@convention(c) (OpaquePointer?, CURLUPart, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, UInt32) -> CURLUcode).self),
            free: symbol("curl_free", as: (@convention(c) (UnsafeMutableRawPointer?) -> Void).self),
            easySetopt: dlsym(handle, "curl_easy_setopt")!,
            easyGetinfo: dlsym(handle, "curl_easy_getinfo")!))
    }
}
