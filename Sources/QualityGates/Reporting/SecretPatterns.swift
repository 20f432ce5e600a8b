/// Masks what looks like a secret whatever the environment holds: the password in
/// `scheme://user:password@host`, the token after `Bearer`, JWT-shaped strings (`eyJ….….…`) and
/// secret-named query parameters (`?access_token=…`). A hand-written scan over the UTF-8 bytes:
/// every output passes through it, and a regex engine here cost a quarter of a whole run.
enum SecretPatterns {
    static let secretParameters: [[UInt8]] = ["password", "token", "secret", "api_key", "apikey", "access_token"].map { Array($0.utf8) }

    static func mask(_ text: String, with mask: String) -> String {
        let bytes = Array(text.utf8)
        let maskBytes = Array(mask.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        var changed = false
        while index < bytes.count {
            if let (keep, end) = match(bytes, at: index) {
                out += bytes[index..<keep]
                out += maskBytes
                index = end
                changed = true
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : text
    }

    /// When a secret starts at `start`: the end of what is kept before the mask, and where the
    /// secret ends.
    private static func match(_ b: [UInt8], at start: Int) -> (keep: Int, end: Int)? {
        switch b[start] {
        case UInt8(ascii: ":"): return urlPassword(b, colon: start)
        case UInt8(ascii: "b"), UInt8(ascii: "B"): return bearer(b, at: start)
        case UInt8(ascii: "e"): return jwt(b, at: start)
        case UInt8(ascii: "?"), UInt8(ascii: "&"): return queryParameter(b, at: start)
        default: return nil
        }
    }

    /// `scheme://user:password@`: called at the colon after the user.
    private static func urlPassword(_ b: [UInt8], colon: Int) -> (Int, Int)? {
        // Walk back over the user name to `//`, then over the scheme.
        var user = colon
        while user > 0, !isSpace(b[user - 1]), b[user - 1] != UInt8(ascii: "/"), b[user - 1] != UInt8(ascii: "@"),
              b[user - 1] != UInt8(ascii: ":") { user -= 1 }
        guard user >= 3, b[user - 1] == UInt8(ascii: "/"), b[user - 2] == UInt8(ascii: "/"), b[user - 3] == UInt8(ascii: ":"),
              user - 3 > 0, isSchemeCharacter(b[user - 4]) else { return nil }
        var end = colon + 1
        while end < b.count, !isSpace(b[end]), b[end] != UInt8(ascii: "@"), b[end] != UInt8(ascii: "/") { end += 1 }
        guard end < b.count, b[end] == UInt8(ascii: "@"), end > colon + 1 else { return nil }
        return (colon + 1, end)
    }

    /// `Bearer <token>`, case-insensitive, at a word boundary.
    private static func bearer(_ b: [UInt8], at start: Int) -> (Int, Int)? {
        let word = Array("bearer".utf8)
        guard start + word.count < b.count, start == 0 || !isWordCharacter(b[start - 1]),
              zip(b[start..<(start + word.count)], word).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }
        var tokenStart = start + word.count
        guard isSpace(b[tokenStart]) else { return nil }
        while tokenStart < b.count, isSpace(b[tokenStart]) { tokenStart += 1 }
        var end = tokenStart
        while end < b.count, isTokenCharacter(b[end]) { end += 1 }
        return end > tokenStart ? (tokenStart, end) : nil
    }

    /// `eyJ<base64url>.<base64url>.<base64url>`: a JWT's header always starts `{"` → `eyJ`.
    private static func jwt(_ b: [UInt8], at start: Int) -> (Int, Int)? {
        guard start + 3 < b.count, b[start + 1] == UInt8(ascii: "y"), b[start + 2] == UInt8(ascii: "J") else { return nil }
        var end = start + 3
        var dots = 0
        var segmentLength = 0
        while end < b.count {
            if b[end] == UInt8(ascii: ".") {
                guard dots < 2, segmentLength > 0 || dots == 0 else { break }
                dots += 1
                segmentLength = 0
            } else if isBase64URL(b[end]) {
                segmentLength += 1
            } else {
                break
            }
            end += 1
        }
        return dots == 2 ? (start, end) : nil
    }

    /// `?token=…` or `&password=…`, name case-insensitive.
    private static func queryParameter(_ b: [UInt8], at start: Int) -> (Int, Int)? {
        for name in secretParameters {
            let equals = start + 1 + name.count
            guard equals < b.count, b[equals] == UInt8(ascii: "="),
                  zip(b[(start + 1)..<equals], name).allSatisfy({ $0 | 0x20 == $1 || ($1 == UInt8(ascii: "_") && $0 == $1) }) else { continue }
            var end = equals + 1
            while end < b.count, b[end] != UInt8(ascii: "&"), !isSpace(b[end]) { end += 1 }
            return end > equals + 1 ? (equals + 1, end) : nil
        }
        return nil
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
    private static func isAlphanumeric(_ c: UInt8) -> Bool { (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || (c >= 0x30 && c <= 0x39) }
    private static func isWordCharacter(_ c: UInt8) -> Bool { isAlphanumeric(c) || c == UInt8(ascii: "_") }
    private static func isSchemeCharacter(_ c: UInt8) -> Bool { isAlphanumeric(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") || c == UInt8(ascii: "-") }
    private static func isBase64URL(_ c: UInt8) -> Bool { isAlphanumeric(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") }
    private static func isTokenCharacter(_ c: UInt8) -> Bool { isBase64URL(c) || "._~+/=".utf8.contains(c) }
}
