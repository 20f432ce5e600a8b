import JSON

/// A JWKS document (RFC 7517), as GoTrue publishes its signing keys at
/// `/auth/v1/.well-known/jwks.json`: the public keys a token's RS256 or ES256 signature is
/// checked with, chosen by the token's `kid`.
public struct JSONWebKeySet: Sendable {
    /// One public key: its id, and the SubjectPublicKeyInfo DER libcrypto reads.
    public struct Key: Sendable {
        public let id: String?
        public let algorithm: String  // RS256 or ES256: what this key can verify
        public let publicKeyInfo: [UInt8]
    }

    public let keys: [Key]
    /// Keys the document holds that cannot verify RS256 or ES256 (symmetric, other curves), by id.
    public let otherKeyIDs: [String]

    /// A key set of these keys.
    public init(keys: [Key], otherKeyIDs: [String]) {
        self.keys = keys
        self.otherKeyIDs = otherKeyIDs
    }

    /// Reads the document; nil when it is not a key set (a JSON object with a `keys` array).
    public static func parse(_ body: [UInt8]) -> JSONWebKeySet? {
        guard let document = JSONDocument.parse(body), case .array(let entries)? = document.value(at: ["keys"]) else { return nil }
        var keys: [Key] = []
        var others: [String] = []
        for entry in entries {
            guard case .object(let fields) = entry else { continue }
            func field(_ name: String) -> String? {
                if case .string(let text)? = fields[name] { text } else { nil }
            }
            let id = field("kid")
            if let key = Self.key(kty: field("kty"), field: field), field("alg").map({ $0 == key.algorithm }) ?? true,
               field("use").map({ $0 == "sig" }) ?? true {
                keys.append(Key(id: id, algorithm: key.algorithm, publicKeyInfo: key.der))
            } else {
                others.append(id ?? "(no kid)")
            }
        }
        return JSONWebKeySet(keys: keys, otherKeyIDs: others)
    }

    private static func key(kty: String?, field: (String) -> String?) -> (algorithm: String, der: [UInt8])? {
        switch kty {
        case "RSA":
            guard let modulus = field("n").flatMap(Base64URL.decode), let exponent = field("e").flatMap(Base64URL.decode),
                  !modulus.isEmpty, !exponent.isEmpty else { return nil }
            let publicKey = DER.sequence(DER.unsignedInteger(modulus), DER.unsignedInteger(exponent))
            return ("RS256", DER.sequence(DER.sequence(DER.rsaEncryption, DER.null), DER.bitString(publicKey)))
        case "EC":
            guard field("crv") == "P-256", let x = field("x").flatMap(Base64URL.decode), let y = field("y").flatMap(Base64URL.decode),
                  x.count == 32, y.count == 32 else { return nil }
            return ("ES256", DER.sequence(DER.sequence(DER.ecPublicKey, DER.prime256v1), DER.bitString([0x04] + x + y)))
        default:
            return nil
        }
    }

    /// The key for a token's header: the one with its `kid`, or without a `kid` the only key for
    /// its algorithm.
    public func key(id: String?, algorithm: String) -> Key? {
        let usable = keys.filter { $0.algorithm == algorithm }
        if let id { return usable.first { $0.id == id } }
        return usable.count == 1 ? usable[0] : nil
    }
}
