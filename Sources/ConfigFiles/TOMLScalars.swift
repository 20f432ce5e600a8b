/// TOML's unquoted scalars, checked against the grammar of TOML 1.0: each function gives the
/// value's text (integers in decimal, floats and dates as written without `_`) or nil when the
/// word is not of that kind.
enum TOMLScalars {
    /// `42`, `+17`, `-0`, `1_000`, `0xDEAD_beef`, `0o755`, `0b1101`; 64-bit signed.
    static func integer(_ word: String) -> String? {
        var text = Substring(word)
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where text.hasPrefix(prefix) {
            let digits = text.dropFirst(2)
            guard validUnderscores(digits), digits.allSatisfy({ $0 == "_" || $0.isHexDigit }), let value = Int64(digits.filter { $0 != "_" }, radix: radix) else { return nil }
            return String(value)
        }
        var sign = ""
        if text.first == "+" || text.first == "-" {
            sign = text.first == "-" ? "-" : ""
            text = text.dropFirst()
        }
        guard let first = text.first, first.isASCIIDigit, validUnderscores(text), text.allSatisfy({ $0.isASCIIDigit || $0 == "_" }) else { return nil }
        if first == "0", text.count > 1 { return nil }
        guard let value = Int64(sign + text.filter { $0 != "_" }) else { return nil }
        return String(value)
    }

    /// `3.14`, `-0.01`, `5e+22`, `6.626e-34`, `224_617.445_991`, `inf`, `-nan`.
    static func float(_ word: String) -> String? {
        var text = Substring(word)
        if text.first == "+" || text.first == "-" { text = text.dropFirst() }
        if text == "inf" || text == "nan" { return word }
        let exponentIndex = text.firstIndex { $0 == "e" || $0 == "E" }
        let mantissa = exponentIndex.map { text[..<$0] } ?? text
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, isDecimalInteger(whole) else { return nil }
        if parts.count == 2 {
            guard isDigits(parts[1]) else { return nil }
        }
        if let exponentIndex {
            var exponent = text[text.index(after: exponentIndex)...]
            if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
            guard isDigits(exponent) else { return nil }
        } else if parts.count == 1 {
            return nil  // an integer
        }
        let plain = word.filter { $0 != "_" }
        return Double(plain) == nil ? nil : plain
    }

    /// RFC 3339 dates and times as TOML allows them: offset and local date-times (`T`, `t` or a
    /// space between), local dates, local times; with real calendar ranges.
    static func dateTime(_ word: String) -> String? {
        let characters = Array(word)
        guard characters.count >= 8 else { return nil }
        if characters.count >= 10, characters[4] == "-" {
            guard let (year, month, day) = date(characters[0..<10]), valid(year: year, month: month, day: day) else { return nil }
            if characters.count == 10 { return word }
            guard characters.count > 11, "Tt ".contains(characters[10]) else { return nil }
            var rest = characters[11...]
            guard let timeLength = time(rest) else { return nil }
            rest = rest.dropFirst(timeLength)
            guard rest.isEmpty || offset(rest) else { return nil }
            return word
        }
        guard let length = time(characters[...]), length == characters.count else { return nil }
        return word
    }

    private static func date(_ text: ArraySlice<Character>) -> (Int, Int, Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              let year = Int(String(parts[0])), let month = Int(String(parts[1])), let day = Int(String(parts[2])) else { return nil }
        return (year, month, day)
    }

    private static func valid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    /// `HH:MM:SS` with an optional fraction; the length read, or nil.
    private static func time(_ text: ArraySlice<Character>) -> Int? {
        let characters = Array(text)
        guard characters.count >= 8, characters[2] == ":", characters[5] == ":",
              [0, 1, 3, 4, 6, 7].allSatisfy({ characters[$0].isASCIIDigit }),
              let hour = Int(String(characters[0...1])), let minute = Int(String(characters[3...4])),
              let second = Int(String(characters[6...7])), hour < 24, minute < 60, second < 60 else { return nil }
        var length = 8
        if characters.count > 8, characters[8] == "." {
            length = 9
            while length < characters.count, characters[length].isASCIIDigit { length += 1 }
            guard length > 9 else { return nil }
        }
        return length
    }

    private static func offset(_ text: ArraySlice<Character>) -> Bool {
        if text.count == 1 { return text.first == "Z" || text.first == "z" }
        let characters = Array(text)
        guard characters.count == 6, characters[0] == "+" || characters[0] == "-", characters[3] == ":",
              [1, 2, 4, 5].allSatisfy({ characters[$0].isASCIIDigit }),
              let hours = Int(String(characters[1...2])), let minutes = Int(String(characters[4...5])) else { return false }
        return hours < 24 && minutes < 60
    }

    private static func isDecimalInteger(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCIIDigit, isDigits(text) else { return false }
        return !(first == "0" && text.count > 1)
    }

    /// Digits, with single `_` between digits only.
    private static func isDigits(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCIIDigit, text.allSatisfy({ $0.isASCIIDigit || $0 == "_" }) else { return false }
        return validUnderscores(text)
    }

    private static func validUnderscores(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.first != "_", text.last != "_" else { return false }
        return !text.contains("__")
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
