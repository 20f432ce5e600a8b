/// One requirement line of a pip requirements file, parsed as pip reads it (PEP 508 plus pip's
/// URL, path and editable forms).
struct Requirement: Sendable, Equatable {
    enum Source: Sendable, Equatable {
        /// A name with version specifiers (possibly none).
        case index(specifiers: [Specifier])
        /// `name @ url`, a bare URL or path, or an editable (`-e`).
        case direct(url: String, editable: Bool)
    }

    struct Specifier: Sendable, Equatable, CustomStringConvertible {
        let op: String
        let version: String
        var description: String { op + version }
    }

    /// PEP 503 normalised: lower case, runs of `-`, `_` and `.` as one `-`.
    let name: String
    /// The name as written, with its extras.
    let displayName: String
    let source: Source
    let marker: String?
    let location: RequirementLocation
    let isConstraint: Bool

    /// The requirement as a responder would write it: `gotrue>=2.5`, `gotrue @ https://…`.
    var text: String {
        switch source {
        case .index(let specifiers): displayName + specifiers.map(\.description).joined(separator: ",")
        case .direct(let url, let editable): editable ? "-e \(url)" : "\(displayName) @ \(url)"
        }
    }

    static func normalise(_ name: some StringProtocol) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(name.utf8.count)
        var lastWasSeparator = false
        for byte in name.utf8 {
            if byte == 0x2D || byte == 0x5F || byte == 0x2E {
                if !lastWasSeparator { result.append(0x2D) }
                lastWasSeparator = true
            } else {
                result.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                lastWasSeparator = false
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}

/// Where a requirement was written: the file relative to the project root, and its first line.
struct RequirementLocation: Sendable, Equatable, CustomStringConvertible {
    let file: String
    let line: Int
    var description: String { "\(file):\(line)" }
}

/// A line that cannot be read, an include that cannot be followed, or an include cycle.
struct RequirementError: Error, Sendable, Equatable {
    let location: RequirementLocation?
    let reason: String
    var description: String { location.map { "\($0): \(reason)" } ?? reason }
}
