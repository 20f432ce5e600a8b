/// RS256 (RSASSA-PKCS1-v1_5 with SHA-256) and ES256 (ECDSA P-256 with SHA-256) signatures,
/// checked by libcrypto's EVP_DigestVerify.
public enum PublicKeySignature {
    public enum Outcome: Equatable, Sendable {
        case valid, invalid
        case unavailable(String)  // libcrypto missing, or it refused the key
    }

    public static func verify(algorithm: String, publicKeyInfo: [UInt8], signature: [UInt8], message: [UInt8]) -> Outcome {
        guard let library = LibCrypto.shared else { return .unavailable("libcrypto (\(LibCrypto.name)) could not be loaded") }
        defer { library.clearErrors() }  // libcurl shares this thread's OpenSSL error queue
        var derSignature = signature
        if algorithm == "ES256" {
            // JWS carries ECDSA's r and s as 32 bytes each (RFC 7518 §3.4); libcrypto reads DER.
            guard signature.count == 64 else { return .invalid }
            derSignature = DER.sequence(DER.unsignedInteger(Array(signature[..<32])), DER.unsignedInteger(Array(signature[32...])))
        }
        let key = publicKeyInfo.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return library.decodePublicKey(nil, &cursor, buffer.count)
        }
        guard let key else { return .unavailable("libcrypto does not read the key") }
        defer { library.freePublicKey(key) }
        guard let context = library.newDigestContext() else { return .unavailable("libcrypto is out of memory") }
        defer { library.freeDigestContext(context) }
        guard library.digestVerifyInit(context, nil, library.sha256(), nil, key) == 1 else {
            return .unavailable("libcrypto cannot verify \(algorithm) with the key")
        }
        let result = derSignature.withUnsafeBufferPointer { signatureBytes in
            message.withUnsafeBufferPointer { messageBytes in
                library.digestVerify(context, signatureBytes.baseAddress, signatureBytes.count, messageBytes.baseAddress, messageBytes.count)
            }
        }
        return result == 1 ? .valid : .invalid
    }
}
