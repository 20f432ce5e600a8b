import JSON

/// A JWT split into its parts, as issued by GoTrue: header and claims decoded, the signature
/// kept as bytes with the text it signs.
public struct JSONWebToken: Sendable {
    public let header: JSONDocument
    public let claims: JSONDocument
    public let signingInput: [UInt8]
    public let signature: [UInt8]

    /// Why a token does not hold.
    public enum Problem: Error, Equatable, Sendable {
        case malformed(String)
        case unsupportedAlgorithm(String)
        /// The signature does not verify: with the JWT secret (nil), or with the JWKS key named.
        case badSignature(jwksKey: String?)
        case keySetUnavailable(String)
        case noKey(kid: String?, algorithm: String, keySet: String, available: [String])
        case expired(secondsAgo: Int)
        case wrongAudience(found: String, expected: String)
    }

    public init(_ token: String) throws(Problem) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("a JWT has three parts; this has \(parts.count)") }
        guard let headerBytes = Base64URL.decode(parts[0]), let header = JSONDocument.parse(headerBytes),
              let claimBytes = Base64URL.decode(parts[1]), let claims = JSONDocument.parse(claimBytes),
              let signature = Base64URL.decode(parts[2]) else {
            throw .malformed("its parts are not base64url-encoded JSON")
        }
        self.header = header
        self.claims = claims
        self.signature = signature
        signingInput = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
    }

    /// The header's `alg`.
    public func algorithm() throws(Problem) -> String {
        guard case .string(let algorithm)? = header.value(at: ["alg"]) else { throw .malformed("its header names no alg") }
        return algorithm
    }

    /// The header's `kid`, naming the key of a key set that signed it.
    public var keyID: String? {
        if case .string(let id)? = header.value(at: ["kid"]) { id } else { nil }
    }

    /// Checks an HS256 signature with the shared secret.
    public func verify(secret: String) throws(Problem) {
        let algorithm = try algorithm()
        guard algorithm == "HS256" else { throw .unsupportedAlgorithm(algorithm) }
        guard let expected = HMACSHA256.mac(key: Array(secret.utf8), message: signingInput) else {
            throw .malformed("libcrypto (\(LibCrypto.name)) could not be loaded to verify it")
        }
        guard HMACSHA256.equal(expected, signature) else { throw .badSignature(jwksKey: nil) }
    }

    /// Checks an RS256 or ES256 signature with the key of `keySet` (fetched from `source`) that the
    /// header's `kid` names.
    public func verify(keySet: JSONWebKeySet, source: String) throws(Problem) {
        let algorithm = try algorithm()
        guard Self.publicKeyAlgorithms.contains(algorithm) else { throw .unsupportedAlgorithm(algorithm) }
        guard let key = keySet.key(id: keyID, algorithm: algorithm) else {
            throw .noKey(kid: keyID, algorithm: algorithm, keySet: source,
                         available: keySet.keys.map { "\($0.id ?? "(no kid)") (\($0.algorithm))" } + keySet.otherKeyIDs)
        }
        let keyName = key.id.map { "key \"\($0)\"" } ?? "key"
        switch PublicKeySignature.verify(algorithm: algorithm, publicKeyInfo: key.publicKeyInfo, signature: signature, message: signingInput) {
        case .valid: return
        case .invalid: throw .badSignature(jwksKey: keyName)
        case .unavailable(let reason): throw .keySetUnavailable("\(reason) (\(keyName) of \(source))")
        }
    }

    /// The algorithms verified with a published public key rather than the shared secret.
    public static let publicKeyAlgorithms: Set<String> = ["RS256", "ES256"]

    /// Checks that `exp` is in the future and that `aud` names `audience`.
    public func verifyClaims(audience: String, now: Double) throws(Problem) {
        guard case .number(let expiry)? = claims.value(at: ["exp"]) else { throw .malformed("it has no exp claim") }
        guard expiry > now else { throw .expired(secondsAgo: Int(now - expiry)) }
        switch claims.value(at: ["aud"]) {
        case .string(let value)? where value == audience: return
        case .array(let values)? where values.contains(.string(audience)): return
        case let other: throw .wrongAudience(found: other.map { $0.displayText } ?? "none", expected: audience)
        }
    }
}

/// base64url without padding, as JWTs use it.
enum Base64URL {
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var bits: UInt32 = 0
        var count = 0
        var output: [UInt8] = []
        for byte in text.utf8 where byte != UInt8(ascii: "=") {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "-"), UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "_"), UInt8(ascii: "/"): value = 63
            default: return nil
            }
            bits = bits << 6 | value
            count += 6
            if count >= 8 {
                count -= 8
                output.append(UInt8(truncatingIfNeeded: bits >> UInt32(count)))
            }
        }
        return output
    }
}
