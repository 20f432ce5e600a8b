/// Hashes that stay the same from run to run and machine to machine (Swift's `Hasher` is seeded
/// per process): cache keys and report fingerprints.
enum StableHash {
    /// FNV-1a over UTF-8, each text followed by its length, so no two lists of texts read alike.
    struct Hasher64 {
        var value: UInt64
        init(seed: UInt64) { value = seed }

        mutating func add(_ text: String) {
            var hash = value
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
            var length = UInt64(text.utf8.count)
            for _ in 0..<8 {
                hash ^= length & 0xFF
                hash = hash &* 0x0000_0100_0000_01B3
                length >>= 8
            }
            value = hash
        }
    }

    /// 128 bits (two independently seeded hashes) over `parts`, as 32 hex digits.
    static func hex128(_ parts: [String]) -> String {
        var first = Hasher64(seed: 0xCBF2_9CE4_8422_2325)
        var second = Hasher64(seed: 0x84222325CBF29CE4 ^ 0x9E37_79B9_7F4A_7C15)
        for part in parts {
            first.add(part)
            second.add(part)
        }
        return hex(first.value) + hex(second.value)
    }

    static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}

/// A stable hash of a text, for callers outside this module (manifests hash their operations).
public enum StableHashText {
    public static func hex(_ text: String) -> String { StableHash.hex128([text]) }
}
