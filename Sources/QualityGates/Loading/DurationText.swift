/// A duration as gate files write it: a number with `ms`, `s`, `m`, `h` or `d` (seconds when bare).
enum DurationText {
    static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        let (digits, scale) = units.first { text.hasSuffix($0.0) }.map { (String(text.dropLast($0.0.count)), $0.1) } ?? (text, 1)
        guard let value = Double(digits.trimmingCharacters(in: " ")), value.isFinite, value > 0 else { return nil }
        return value * scale
    }
}
