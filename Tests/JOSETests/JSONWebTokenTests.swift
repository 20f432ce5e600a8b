import Testing
@testable import JOSE

/// The pure parts of token verification: DER building, key-set reading, signature shapes.
struct JSONWebTokenTests {
    @Test("DER lengths use the short form below 128 and the long form above; integers stay positive")
    func derEncoding() {
        #expect(DER.length(5) == [5])
        #expect(DER.length(127) == [127])
        #expect(DER.length(128) == [0x81, 0x80])
        #expect(DER.length(270) == [0x82, 0x01, 0x0E])
        #expect(DER.unsignedInteger([0x00, 0x00, 0x7F]) == [0x02, 0x01, 0x7F])
        #expect(DER.unsignedInteger([0x80]) == [0x02, 0x02, 0x00, 0x80])
        #expect(DER.unsignedInteger([0x00]) == [0x02, 0x01, 0x00])
    }

    @Test("a key set keeps RSA and P-256 keys, and names the ones it cannot use")
    func keySetReading() throws {
        let body = """
            {"keys": [
              {"kty": "oct", "kid": "legacy", "k": "c2VjcmV0"},
              {"kty": "EC", "kid": "p384", "crv": "P-384", "x": "AA", "y": "AA"},
              {"kty": "RSA", "kid": "enc", "use": "enc", "n": "AQAB", "e": "AQAB"},
              {"kty": "RSA", "kid": "r1", "alg": "RS256", "n": "wAAB", "e": "AQAB"}
            ]}
            """
        let keySet = try #require(JSONWebKeySet.parse(Array(body.utf8)))
        #expect(keySet.keys.map(\.id) == ["r1"])
        #expect(keySet.otherKeyIDs == ["legacy", "p384", "enc"])
        #expect(keySet.key(id: nil, algorithm: "RS256")?.id == "r1")  // the only RS256 key
        #expect(keySet.key(id: "r2", algorithm: "RS256") == nil)
        #expect(keySet.key(id: "r1", algorithm: "ES256") == nil)
        // SubjectPublicKeyInfo { rsaEncryption NULL, BIT STRING { n, e } }; the modulus 0xC00001
        // gains a zero byte so it stays positive.
        #expect(keySet.keys[0].publicKeyInfo == [0x30, 0x1F, 0x30, 0x0D] + DER.rsaEncryption + DER.null
                + [0x03, 0x0E, 0x00, 0x30, 0x0B, 0x02, 0x04, 0x00, 0xC0, 0x00, 0x01, 0x02, 0x03, 0x01, 0x00, 0x01])
        #expect(JSONWebKeySet.parse(Array("{\"keys\": 3}".utf8)) == nil)
    }

    @Test("an ES256 signature that is not 64 bytes is invalid, not a crash")
    func shortECSignature() {
        #expect(PublicKeySignature.verify(algorithm: "ES256", publicKeyInfo: [0x30, 0x00], signature: [1, 2, 3], message: [1]) == .invalid)
        #expect(PublicKeySignature.verify(algorithm: "RS256", publicKeyInfo: [0x30, 0x00], signature: [1, 2, 3], message: [1])
                == .unavailable("libcrypto does not read the key"))
    }
}
