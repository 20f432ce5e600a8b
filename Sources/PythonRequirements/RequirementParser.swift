/// Parses the requirement part of a line (options, comments and continuations already removed)
/// as pip does: PEP 508 (`name[extras] specifiers ; marker`, `name @ url`) plus pip's bare URLs,
/// paths and editables. Works on bytes; Strings are made only for the parts kept.
public enum RequirementParser {
    private static let operators = ["===", "==", "!=", "<=", ">=", "~=", "<", ">"].map { Array($0.utf8) }

    public static func parse(_ text: String, location: RequirementLocation, isConstraint: Bool,
                      editable: Bool = false) -> Result<Requirement, RequirementError> {
        parse(Array(text.utf8)[...], location: location, isConstraint: isConstraint, editable: editable)
    }

    static func parse(_ line: Bytes, location: RequirementLocation, isConstraint: Bool,
                      editable: Bool = false) -> Result<Requirement, RequirementError> {
        func failure(_ reason: String) -> Result<Requirement, RequirementError> {
            .failure(RequirementError(location: location, reason: reason))
        }
        var body = line
        var marker: String?
        if let semicolon = markerSeparator(in: body, urlLike: editable || looksLikeURLOrPath(body) || isNamedURL(body)) {
            marker = body[(semicolon + 1)...].trimmed().string
            body = body[..<semicolon]
        }
        body = body.trimmed()
        if editable || (looksLikeURLOrPath(body) && !isNamedURL(body)) {
            // pip accepts a URL or path it can only name by building it (no #egg=, not a wheel):
            // such a line names no package this reader can see, and refuses nothing.
            let wheel = wheelNameAndVersion(body)
            let name = eggName(body) ?? wheel?.name ?? ""
            return .success(Requirement(name: Requirement.normalise(name), displayName: name.isEmpty ? body.string : name,
                                        source: .direct(url: body.string, editable: editable, wheelVersion: wheel?.version),
                                        marker: marker, location: location, isConstraint: isConstraint))
        }
        let nameEnd = body.firstIndex { !$0.isNameCharacter } ?? body.endIndex
        let name = body[..<nameEnd]
        guard let first = name.first, first.isASCIIAlphanumeric else { return failure("'\(line.string)' is not a requirement") }
        var rest = body[nameEnd...].trimmedLeading()
        var displayName = name.string
        if rest.first == UInt8(ascii: "[") {
            guard let close = rest.firstIndex(of: UInt8(ascii: "]")) else { return failure("unclosed extras in '\(line.string)'") }
            displayName += rest[...close].filter { !$0.isSpaceOrTab }.string
            rest = rest[(close + 1)...].trimmedLeading()
        }
        if rest.first == UInt8(ascii: "@") {
            return .success(Requirement(name: Requirement.normalise(name.string), displayName: displayName,
                                        source: .direct(url: rest.dropFirst().trimmed().string, editable: false),
                                        marker: marker, location: location, isConstraint: isConstraint))
        }
        var spec = rest.trimmed()
        if spec.first == UInt8(ascii: "("), spec.last == UInt8(ascii: ")") { spec = spec.dropFirst().dropLast() }
        var specifiers: [Requirement.Specifier] = []
        for clause in spec.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true) {
            let clause = clause.trimmed()
            guard let op = operators.first(where: { clause.starts(with: $0) }) else {
                return failure("bad version specifier '\(clause.string)' in '\(line.string)'")
            }
            let version = clause.dropFirst(op.count).trimmed()
            guard !version.isEmpty else { return failure("no version after '\(op[...].string)' in '\(line.string)'") }
            specifiers.append(.init(op: op[...].string, version: version.string))
        }
        return .success(Requirement(name: Requirement.normalise(name.string), displayName: displayName,
                                    source: .index(specifiers: specifiers), marker: marker,
                                    location: location, isConstraint: isConstraint))
    }

    /// pip splits markers at `;`, which for a URL must follow white space (URLs may hold `;`).
    private static func markerSeparator(in text: Bytes, urlLike: Bool) -> Int? {
        text.indices.first { index in
            text[index] == UInt8(ascii: ";") && (!urlLike || (index > text.startIndex && text[index - 1].isSpaceOrTab))
        }
    }

    /// PEP 508's `name [extras] @ url`.
    private static func isNamedURL(_ text: Bytes) -> Bool {
        guard let at = text.firstIndex(of: UInt8(ascii: "@")) else { return false }
        let head = text[..<at].trimmed()
        let name = head.prefix { $0.isNameCharacter }
        let rest = head.dropFirst(name.count).trimmed()
        return !name.isEmpty && (rest.isEmpty || (rest.first == UInt8(ascii: "[") && rest.last == UInt8(ascii: "]")))
    }

    private static func looksLikeURLOrPath(_ text: Bytes) -> Bool {
        if text.contains("://") || text.hasPrefix(".") || text.hasPrefix("/") || text.hasPrefix("file:") { return true }
        let beforeFragment = text.prefix { $0 != UInt8(ascii: "#") }
        return beforeFragment.hasSuffix(".whl") || beforeFragment.hasSuffix(".tar.gz") || beforeFragment.hasSuffix(".zip")
    }

    private static func eggName(_ text: Bytes) -> String? {
        guard let start = text.firstIndex(of: "#egg=") ?? text.firstIndex(of: "&egg=") else { return nil }
        let name = text[(start + 5)...].prefix { $0 != UInt8(ascii: "&") && !$0.isSpaceOrTab && $0 != UInt8(ascii: "[") }
        return name.isEmpty ? nil : name.string
    }

    /// A wheel's file name is `name-version(-build)?-python-abi-platform.whl`.
    private static func wheelNameAndVersion(_ text: Bytes) -> (name: String, version: String)? {
        let path = text.prefix { $0 != UInt8(ascii: "#") }
        let file = path.split(separator: UInt8(ascii: "/")).last ?? path
        guard file.hasSuffix(".whl") else { return nil }
        let parts = file.dropLast(4).split(separator: UInt8(ascii: "-"))
        guard parts.count >= 5 else { return nil }
        return (parts[0].string, parts[1].string)
    }
}
