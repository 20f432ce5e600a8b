import TextSearch

/// Byte-level helpers for line-oriented formats that are ASCII in practice (requirements files):
/// scanning bytes costs a tiny fraction of walking `String` by `Character`.
typealias Bytes = ArraySlice<UInt8>

extension ArraySlice where Element == UInt8 {
    /// Without leading and trailing spaces and tabs.
    func trimmed() -> ArraySlice<UInt8> { trimmedLeading().trimmedTrailing() }

    func trimmedLeading() -> ArraySlice<UInt8> { drop { $0 == 0x20 || $0 == 0x09 } }

    func trimmedTrailing() -> ArraySlice<UInt8> {
        var end = endIndex
        while end > startIndex, self[end - 1] == 0x20 || self[end - 1] == 0x09 { end -= 1 }
        return self[startIndex..<end]
    }

    /// The index where `needle` first occurs, searching from `from` (default: the start).
    func firstIndex(of needle: String, from: Int? = nil) -> Int? {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return startIndex }
        var index = from ?? startIndex
        while index + pattern.count <= endIndex {
            if self[index] == first, self[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }

    func contains(_ needle: String) -> Bool { firstIndex(of: needle) != nil }

    func hasPrefix(_ prefix: String) -> Bool { starts(with: prefix.utf8) }

    func hasSuffix(_ suffix: String) -> Bool {
        count >= suffix.utf8.count && self[(endIndex - suffix.utf8.count)...].elementsEqual(suffix.utf8)
    }

    var string: String { String(decoding: self, as: UTF8.self) }
}

extension UInt8 {
    var isSpaceOrTab: Bool { self == 0x20 || self == 0x09 }
    /// Letters, digits, `-`, `_` and `.`: what a PEP 508 name is made of.
    var isNameCharacter: Bool { isASCIIAlphanumeric || self == 0x2D || self == 0x5F || self == 0x2E }
}
