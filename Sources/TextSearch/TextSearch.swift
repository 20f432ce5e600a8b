/// Substring search and replacement over UTF-8 bytes. The standard library's generic versions go
/// through the regex runtime and Foundation's through NSString; both cost more than the
/// requirements parsing and redaction they served.
extension String {
    /// The byte range of the first occurrence of `needle` in the UTF-8 of the string, if any.
    public func utf8Range(of needle: String, from start: Int = 0) -> Range<Int>? {
        var haystack = self
        var target = needle
        return haystack.withUTF8 { bytes in
            target.withUTF8 { pattern -> Range<Int>? in
                guard !pattern.isEmpty, pattern.count <= bytes.count else { return pattern.isEmpty ? start..<start : nil }
                let first = pattern[0]
                var index = start
                let last = bytes.count - pattern.count
                while index <= last {
                    if bytes[index] == first {
                        var offset = 1
                        while offset < pattern.count, bytes[index + offset] == pattern[offset] { offset += 1 }
                        if offset == pattern.count { return index..<(index + pattern.count) }
                    }
                    index += 1
                }
                return nil
            }
        }
    }

    /// True when `needle` occurs in the string.
    public func containsText(_ needle: String) -> Bool { utf8Range(of: needle) != nil }

    /// The string with every occurrence of `target` replaced.
    public func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, var found = utf8Range(of: target) else { return self }
        let bytes = Array(utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var position = 0
        while true {
            out += bytes[position..<found.lowerBound]
            out += replacement.utf8
            position = found.upperBound
            guard let next = utf8Range(of: target, from: position) else { break }
            found = next
        }
        out += bytes[position...]
        return String(decoding: out, as: UTF8.self)
    }

    /// The part after the first occurrence of `separator` split from the part before it.
    public func splitOnce(_ separator: String) -> (before: Substring, after: Substring)? {
        guard let range = utf8Range(of: separator) else { return nil }
        let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let upper = utf8.index(utf8.startIndex, offsetBy: range.upperBound)
        return (self[..<lower], self[upper...])
    }
}

extension StringProtocol {
    /// The text without the characters of `set` at either end.
    public func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}

extension UInt8 {
    /// An ASCII letter or digit.
    public var isASCIIAlphanumeric: Bool { (self >= 0x30 && self <= 0x39) || (self | 0x20 >= 0x61 && self | 0x20 <= 0x7A) }
}
