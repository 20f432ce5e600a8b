import Glibc

/// The few functions of the system's libcrypto (OpenSSL 3) that token verification uses, loaded
/// with dlopen at first use like libpq and libcurl: no cryptography of our own, and nothing loaded
/// for runs that verify no token.
struct LibCrypto: @unchecked Sendable {
    // @unchecked: C function pointers, written once.
    typealias HMACFunction = @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int32, UnsafePointer<UInt8>?, Int,
                                             UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt32>?) -> UnsafeMutablePointer<UInt8>?
    typealias DigestFunction = @convention(c) () -> OpaquePointer?
    typealias DecodePublicKeyFunction = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, Int) -> OpaquePointer?
    typealias FreeFunction = @convention(c) (OpaquePointer?) -> Void
    typealias NewContextFunction = @convention(c) () -> OpaquePointer?
    typealias VerifyInitFunction = @convention(c) (OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?, OpaquePointer?, OpaquePointer?, OpaquePointer?) -> Int32
    typealias VerifyFunction = @convention(c) (OpaquePointer?, UnsafePointer<UInt8>?, Int, UnsafePointer<UInt8>?, Int) -> Int32
    typealias ClearErrorsFunction = @convention(c) () -> Void

    let hmac: HMACFunction
    let sha256: DigestFunction
    let decodePublicKey: DecodePublicKeyFunction       // d2i_PUBKEY
    let freePublicKey: FreeFunction                    // EVP_PKEY_free
    let newDigestContext: NewContextFunction           // EVP_MD_CTX_new
    let freeDigestContext: FreeFunction                // EVP_MD_CTX_free
    let digestVerifyInit: VerifyInitFunction           // EVP_DigestVerifyInit
    let digestVerify: VerifyFunction                   // EVP_DigestVerify
    let clearErrors: ClearErrorsFunction               // ERR_clear_error

    static let name = "libcrypto.so.3"

    /// The library, or nil when it (or one of its functions) cannot be loaded.
    static let shared: LibCrypto? = {
        guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { return nil }
        func load<T>(_ symbol: String, as type: T.Type) -> T? {
            dlsym(handle, symbol).map { unsafeBitCast($0, to: type) }
        }
        guard let hmac = load("HMAC", as: HMACFunction.self),
              let sha256 = load("EVP_sha256", as: DigestFunction.self),
              let decodePublicKey = load("d2i_PUBKEY", as: DecodePublicKeyFunction.self),
              let freePublicKey = load("EVP_PKEY_free", as: FreeFunction.self),
              let newDigestContext = load("EVP_MD_CTX_new", as: NewContextFunction.self),
              let freeDigestContext = load("EVP_MD_CTX_free", as: FreeFunction.self),
              let digestVerifyInit = load("EVP_DigestVerifyInit", as: VerifyInitFunction.self),
              let digestVerify = load("EVP_DigestVerify", as: VerifyFunction.self),
              let clearErrors = load("ERR_clear_error", as: ClearErrorsFunction.self) else { return nil }
        return LibCrypto(hmac: hmac, sha256: sha256, decodePublicKey: decodePublicKey, freePublicKey: freePublicKey,
                         newDigestContext: newDigestContext, freeDigestContext: freeDigestContext,
                         digestVerifyInit: digestVerifyInit, digestVerify: digestVerify, clearErrors: clearErrors)
    }()
}
