/// Numbers as messages and reports write them, decided in one place: whole numbers without a
/// fraction, measurements to a tenth, shares as percentages.
enum NumberText {
    /// `3`, `2.5`, `0.001`: a whole number without `.0`, else Swift's shortest exact form.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// A measurement rounded to a tenth (milliseconds, percentages).
    static func tenths(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    /// A share as a percentage to a tenth: `62.5 %`, `20 %`.
    static func percent(_ fraction: Double) -> String { number(tenths(fraction * 100)) + " %" }
}
