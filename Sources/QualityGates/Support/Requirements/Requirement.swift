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
        var result = ""
        var lastWasSeparator = false
        for character in name.lowercased() {
            if character == "-" || character == "_" || character == "." {
                if !lastWasSeparator { result.append("-") }
                lastWasSeparator = true
            } else {
                result.append(character)
                lastWasSeparator = false
            }
        }
        return result
    }
}

/// Where a requirement was written: the file relative to the project root, and its first line.
struct RequirementLocation: Sendable, Equatable, CustomStringConvertible {
    let file: String
    let line: Int
    var description: String { "\(file):\(line)" }
}

/// Parses the requirement part of a line (options, comments and continuations already removed).
enum RequirementParser {
    private static let operators = ["===", "==", "!=", "<=", ">=", "~=", "<", ">"]

    static func parse(_ text: String, location: RequirementLocation, isConstraint: Bool,
                      editable: Bool = false) -> Result<Requirement, RequirementError> {
        var body = Substring(text)
        var marker: String?
        if let semicolon = markerSeparator(in: body) {
            marker = body[body.index(after: semicolon)...].trimmingCharacters(in: " \t")
            body = body[..<semicolon]
        }
        body = Substring(body.trimmingCharacters(in: " \t"))
        if editable || (looksLikeURLOrPath(body) && !isNamedURL(body)) {
            guard let name = eggName(body) ?? wheelName(body) else {
                return .failure(RequirementError(location: location, reason: "cannot tell the package name of '\(body)'"))
            }
            return .success(Requirement(name: Requirement.normalise(name), displayName: name,
                                        source: .direct(url: String(body), editable: editable),
                                        marker: marker, location: location, isConstraint: isConstraint))
        }
        let nameEnd = body.firstIndex { !($0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0))) } ?? body.endIndex
        let name = body[..<nameEnd]
        guard let first = name.first, first.isLetter || first.isNumber else {
            return .failure(RequirementError(location: location, reason: "'\(text)' is not a requirement"))
        }
        var rest = body[nameEnd...].drop { $0 == " " }
        var displayName = String(name)
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]") else {
                return .failure(RequirementError(location: location, reason: "unclosed extras in '\(text)'"))
            }
            displayName += rest[...close].filter { $0 != " " }
            rest = rest[rest.index(after: close)...].drop { $0 == " " }
        }
        if rest.first == "@" {
            let url = rest.dropFirst().trimmingCharacters(in: " \t")
            return .success(Requirement(name: Requirement.normalise(name), displayName: displayName,
                                        source: .direct(url: url, editable: false), marker: marker,
                                        location: location, isConstraint: isConstraint))
        }
        var specText = rest.trimmingCharacters(in: " \t")
        if specText.hasPrefix("("), specText.hasSuffix(")") { specText = String(specText.dropFirst().dropLast()) }
        var specifiers: [Requirement.Specifier] = []
        for clause in specText.split(separator: ",") {
            let clause = clause.trimmingCharacters(in: " \t")
            guard let op = operators.first(where: { clause.hasPrefix($0) }) else {
                return .failure(RequirementError(location: location, reason: "bad version specifier '\(clause)' in '\(text)'"))
            }
            let version = clause.dropFirst(op.count).trimmingCharacters(in: " \t")
            guard !version.isEmpty else {
                return .failure(RequirementError(location: location, reason: "no version after '\(op)' in '\(text)'"))
            }
            specifiers.append(.init(op: op, version: version))
        }
        return .success(Requirement(name: Requirement.normalise(name), displayName: displayName,
                                    source: .index(specifiers: specifiers), marker: marker,
                                    location: location, isConstraint: isConstraint))
    }

    /// pip splits markers at `;`, which for a URL must follow white space (URLs may hold `;`).
    private static func markerSeparator(in text: Substring) -> Substring.Index? {
        let isURL = looksLikeURLOrPath(text) || isNamedURL(text)
        return text.indices.first { index in
            text[index] == ";" && (!isURL || (index > text.startIndex && text[text.index(before: index)] == " "))
        }
    }

    /// PEP 508's `name [extras] @ url`.
    private static func isNamedURL(_ text: Substring) -> Bool {
        guard let at = text.firstIndex(of: "@") else { return false }
        let head = text[..<at].trimmingCharacters(in: " \t")
        let name = head.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        let rest = head.dropFirst(name.count).trimmingCharacters(in: " \t")
        return !name.isEmpty && (rest.isEmpty || (rest.hasPrefix("[") && rest.hasSuffix("]")))
    }

    private static func looksLikeURLOrPath(_ text: Substring) -> Bool {
        String(text).containsText("://") || text.hasPrefix(".") || text.hasPrefix("/") || text.hasPrefix("file:")
            || [".whl", ".tar.gz", ".zip"].contains { text.split(separator: "#").first?.hasSuffix($0) ?? false }
    }

    private static func eggName(_ text: Substring) -> String? {
        let text = String(text)
        guard let (_, rest) = text.splitOnce("#egg=") ?? text.splitOnce("&egg=") else { return nil }
        let name = rest.prefix { $0 != "&" && $0 != " " && $0 != "[" }
        return name.isEmpty ? nil : String(name)
    }

    private static func wheelName(_ text: Substring) -> String? {
        let file = text.split(separator: "#").first?.split(separator: "/").last ?? ""
        guard file.hasSuffix(".whl"), let dash = file.firstIndex(of: "-") else { return nil }
        return String(file[..<dash])
    }
}

/// A line that cannot be read, an include that cannot be followed, or an include cycle.
struct RequirementError: Error, Sendable, Equatable {
    let location: RequirementLocation?
    let reason: String
    var description: String { location.map { "\($0): \(reason)" } ?? reason }
}
