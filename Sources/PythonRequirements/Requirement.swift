/// One requirement line of a pip requirements file, parsed as pip reads it (PEP 508 plus pip's
/// URL, path and editable forms).
public struct Requirement: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// A name with version specifiers (possibly none).
        case index(specifiers: [Specifier])
        /// `name @ url`, a bare URL or path, or an editable (`-e`). A wheel's file name carries
        /// its version (`gotrue-2.5.4-py3-none-any.whl`), which pip reads as `==2.5.4`.
        case direct(url: String, editable: Bool, wheelVersion: String? = nil)
    }

    public struct Specifier: Sendable, Equatable, CustomStringConvertible {
        public let op: String
        public let version: String
        public var description: String { op + version }
    }

    /// PEP 503 normalised: lower case, runs of `-`, `_` and `.` as one `-`.
    public let name: String
    /// The name as written, with its extras.
    public let displayName: String
    public let source: Source
    public let marker: String?
    public let location: RequirementLocation
    public let isConstraint: Bool

    /// The requirement as a responder would write it: `gotrue>=2.5`, `gotrue @ https://…`.
    public var text: String {
        switch source {
        case .index(let specifiers): displayName + specifiers.map(\.description).joined(separator: ",")
        case .direct(let url, let editable, _): editable ? "-e \(url)" : "\(displayName) @ \(url)"
        }
    }

    public static func normalise(_ name: some StringProtocol) -> String {
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
public struct RequirementLocation: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public var description: String { "\(file):\(line)" }

    /// A place: `file` relative to the project root, `line` from 1.
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
}

/// A line that cannot be read, an include that cannot be followed, or an include cycle.
public struct RequirementError: Error, Sendable, Equatable {
    public let location: RequirementLocation?
    public let reason: String

    public init(location: RequirementLocation?, reason: String) {
        self.location = location
        self.reason = reason
    }

    public var description: String { location.map { "\($0): \(reason)" } ?? reason }
}
