import Glibc

/// HMAC-SHA256 from the system's libcrypto, loaded at first use like libpq and libcurl: no
/// cryptography of our own, and nothing loaded for runs that verify no token.
enum HMACSHA256 {
    private typealias HMACFunction = @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int32, UnsafePointer<UInt8>?, Int,
                                                     UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt32>?) -> UnsafeMutablePointer<UInt8>?
    private typealias DigestFunction = @convention(c) () -> OpaquePointer?

    private struct Library: @unchecked Sendable {
        // @unchecked: two C function pointers, written once.
        let hmac: HMACFunction
        let sha256: DigestFunction
    }

    private static let library: Library? = {
        guard let handle = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL),
              let hmac = dlsym(handle, "HMAC"), let sha256 = dlsym(handle, "EVP_sha256") else { return nil }
        return Library(hmac: unsafeBitCast(hmac, to: HMACFunction.self), sha256: unsafeBitCast(sha256, to: DigestFunction.self))
    }()

    /// The MAC of `message` under `key`; nil when libcrypto cannot be loaded.
    static func mac(key: [UInt8], message: [UInt8]) -> [UInt8]? {
        guard let library else { return nil }
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBufferPointer { messageBytes in
                library.hmac(library.sha256(), keyBytes.baseAddress, Int32(key.count), messageBytes.baseAddress, message.count,
                             &output, &length)
            }
        }
        return result == nil || length != 32 ? nil : output
    }

    /// Compares in time that does not depend on where the inputs differ.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
