import TextSearch

/// What an endpoint with introspection turned off still tells: its validation errors. A field
/// that does not exist is refused in the server's own words ("Cannot query field 'x' on type
/// 'Query'."), and those words are learned first from names that cannot exist, so no server's
/// wording is assumed.
///
/// Every document selects a field on a type that cannot exist, so validation always fails and
/// nothing is ever run; and every document is a query: a mutation's fields are reached through a
/// fragment on the mutation type (`... on Mutation { … }`), which validation checks field by field.
enum ValidationProbe {
    static let absentType = "QualityGatesAbsentType"
    static let absentField = "qualityGatesAbsentField"
    static let absentArgument = "qualityGatesAbsentArgument"

    /// A probe of `selection` on `type` (nil: the type alone).
    static func document(type: String, selection: String? = nil) -> String {
        "query QualityGatesProbe { ... on \(type) { \(selection ?? "__typename") } ... on \(absentType) { __typename } }"
    }

    /// The reference for `type`: a field and an argument that cannot exist on it, and a type that
    /// cannot exist. Its errors give the server's words for each kind of absence, and say whether
    /// `type` itself exists.
    static func reference(type: String) -> String {
        document(type: type, selection: "\(absentField) __typename(\(absentArgument): 1)")
    }

    /// The server's words for each kind of absence on one type, from the reference's errors.
    struct Wording: Equatable {
        var unknownType: String?
        var unknownField: String?
        var unknownArgument: String?

        init(_ messages: [String]) {
            unknownType = messages.first { $0.containsText(absentType) }
            unknownField = messages.first { $0.containsText(absentField) }
            unknownArgument = messages.first { $0.containsText(absentArgument) }
        }
    }

    /// The message among `messages` that says what `wording` said of the absent names, with them
    /// replaced (`replacements`); nil when none does. Only the wording's first sentence is
    /// compared: a server adds its own "Did you mean …?" to a real name's message.
    static func saying(_ wording: String?, _ replacements: [(String, String)], in messages: [String]) -> String? {
        guard var expected = wording else { return nil }
        for (absent, real) in replacements { expected = expected.replacingAll(absent, with: real) }
        let stem = expected.components(separatedBy: " Did you mean").first ?? expected
        return messages.first { $0.hasPrefix(stem) }
    }

    /// What the probes decided about one requirement.
    enum Verdict: Equatable {
        case present
        /// Missing, in the server's words.
        case missing(String)
        /// The server's errors do not tell.
        case unknown(String)
    }

    /// The verdict on a requirement from its probe's errors. `type` exists (the reference said
    /// nothing of it); `field` and `argument` are what the requirement names.
    static func verdict(field: String, argument: String?, wording: Wording, probe messages: [String]) -> Verdict {
        if let argument {
            if let said = saying(wording.unknownField, [(absentField, field)], in: messages) { return .missing(said) }
            guard wording.unknownArgument != nil else { return .unknown("its errors do not name an unknown argument") }
            if let said = saying(wording.unknownArgument, [(absentArgument, argument), ("__typename", field)], in: messages) {
                return .missing(said)
            }
            return .present
        }
        guard wording.unknownField != nil else { return .unknown("its errors do not name an unknown field") }
        if let said = saying(wording.unknownField, [(absentField, field)], in: messages) { return .missing(said) }
        return .present
    }
}
