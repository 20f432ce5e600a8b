/// HMAC-SHA256 through the system's libcrypto.
enum HMACSHA256 {
    /// The MAC of `message` under `key`; nil when libcrypto cannot be loaded.
    static func mac(key: [UInt8], message: [UInt8]) -> [UInt8]? {
        guard let library = LibCrypto.shared else { return nil }
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
