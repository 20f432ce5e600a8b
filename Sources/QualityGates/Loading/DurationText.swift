/// A duration as gate files write it: a number with `ms`, `s`, `m`, `h` or `d` (seconds when bare).
enum DurationText {
    static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        let (digits, scale) = units.first { text.hasSuffix($0.0) }.map { (String(text.dropLast($0.0.count)), $0.1) } ?? (text, 1)
        guard let value = Double(digits.trimmingCharacters(in: " ")), value.isFinite, value > 0 else { return nil }
        return value * scale
    }

    /// `seconds` as a short duration: `45 s`, `2 min`, `3 h`, `1.5 d`.
    static func display(_ seconds: Double) -> String {
        func short(_ value: Double) -> String { NumberText.number(NumberText.tenths(value)) }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 120 { return "\(short(seconds)) s" }
        if seconds < 7200 { return "\(short(seconds / 60)) min" }
        if seconds < 172_800 { return "\(short(seconds / 3600)) h" }
        return "\(short(seconds / 86_400)) d"
    }
}
