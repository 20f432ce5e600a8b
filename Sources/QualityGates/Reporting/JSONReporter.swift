import Foundation

/// The JSON report: the run report itself, snake_case keys, ISO 8601 dates; its schema is
/// `docs/report.schema.json` and its `version` field changes when the schema does.
public enum JSONReporter {
    /// The report as JSON bytes.
    public static func render(_ report: RunReport) -> [UInt8] {
        // Encoding plain value types with finite numbers cannot fail; an empty object is the fallback.
        (try? [UInt8](encoder().encode(report.sanitisedNumbers())) + [0x0A]) ?? Array("{}\n".utf8)
    }

    /// Reads a JSON report back (for tests and tools).
    public static func decode(_ bytes: [UInt8]) throws -> RunReport {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(RunReport.self, from: Data(bytes))
    }

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension RunReport {
    /// JSON has no NaN or infinity; such a measurement is written as 0 rather than failing the report.
    func sanitisedNumbers() -> RunReport {
        var copy = self
        if !copy.durationSeconds.isFinite { copy.durationSeconds = 0 }
        copy.gates = gates.map { gate in
            var gate = gate
            gate.checks = gate.checks.map { check in
                var check = check
                if !check.durationSeconds.isFinite { check.durationSeconds = 0 }
                check.measurements = check.measurements.map { m in
                    var m = m
                    if !m.value.isFinite { m.value = 0 }
                    return m
                }
                return check
            }
            return gate
        }
        return copy
    }
}
