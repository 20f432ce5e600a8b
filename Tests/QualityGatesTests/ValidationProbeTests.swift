import Testing
@testable import QualityGates

/// ValidationProbe's decisions from a server's validation errors, in graphql-js's wording (Apollo
/// Server, double quotes); graphql-core's (Strawberry, single quotes) is met live in GraphQLSchemaTests.
struct ValidationProbeTests {
    /// graphql-js's answer to `ValidationProbe.reference(type: "Query")`.
    static let reference = [
        "Cannot query field \"qualityGatesAbsentField\" on type \"Query\".",
        "Unknown argument \"qualityGatesAbsentArgument\" on field \"Query.__typename\".",
        "Unknown type \"QualityGatesAbsentType\".",
    ]

    @Test("every document is a query that can never run: it always selects on a type that cannot exist")
    func neverRuns() {
        for document in [ValidationProbe.reference(type: "Mutation"), ValidationProbe.document(type: "Mutation", selection: "logDiaperChange(input: null)")] {
            #expect(document.hasPrefix("query "))
            #expect(document.contains("... on QualityGatesAbsentType { __typename }"))
        }
    }

    @Test("a missing field, a missing argument and a field that exists, told apart by the server's own words; a suggestion is kept")
    func verdicts() {
        let wording = ValidationProbe.Wording(Self.reference)
        let renamed = ["Cannot query field \"getAnalyticsDashboard\" on type \"Query\". Did you mean \"getAnalyticsOverview\"?", "Unknown type \"QualityGatesAbsentType\"."]
        #expect(ValidationProbe.verdict(field: "getAnalyticsDashboard", argument: nil, wording: wording, probe: renamed)
                == .missing("Cannot query field \"getAnalyticsDashboard\" on type \"Query\". Did you mean \"getAnalyticsOverview\"?"))
        // An object field asked without a selection is refused for that, which says it exists.
        let exists = ["Field \"me\" of type \"User\" must have a selection of subfields. Did you mean \"me { ... }\"?", "Unknown type \"QualityGatesAbsentType\"."]
        #expect(ValidationProbe.verdict(field: "me", argument: nil, wording: wording, probe: exists) == .present)
        let argument = ["Unknown argument \"child_id\" on field \"Query.getAnalyticsDashboard\". Did you mean \"childId\"?", "Unknown type \"QualityGatesAbsentType\"."]
        #expect(ValidationProbe.verdict(field: "getAnalyticsDashboard", argument: "child_id", wording: wording, probe: argument)
                == .missing("Unknown argument \"child_id\" on field \"Query.getAnalyticsDashboard\". Did you mean \"childId\"?"))
        let required = ["Field \"getAnalyticsDashboard\" argument \"childId\" of type \"ID!\" is required, but it was not provided.", "Unknown type \"QualityGatesAbsentType\"."]
        #expect(ValidationProbe.verdict(field: "getAnalyticsDashboard", argument: "childId", wording: wording, probe: required) == .present)
        #expect(ValidationProbe.saying(wording.unknownType, [("QualityGatesAbsentType", "Kid")], in: ["Unknown type \"Kid\". Did you mean \"ID\"?"])
                == "Unknown type \"Kid\". Did you mean \"ID\"?")
    }

    @Test("a server whose errors name nothing (masked) cannot tell, and says so rather than guessing")
    func masked() {
        let wording = ValidationProbe.Wording(["Unexpected error."])
        #expect(wording.unknownField == nil && wording.unknownType == nil)
        #expect(ValidationProbe.verdict(field: "me", argument: nil, wording: wording, probe: ["Unexpected error."])
                == .unknown("its errors do not name an unknown field"))
    }

    @Test("a server's line and column are a UTF-8 offset and back, columns counted in Unicode scalars")
    func positions() {
        let bytes = Array("query A {\n  é: me { id }\n  x\n}".utf8)
        let offset = ServerValidation.offset(line: 2, column: 6, in: bytes)
        #expect(String(decoding: bytes[offset...].prefix(2), as: UTF8.self) == "me")
        #expect(ServerValidation.position(of: offset, in: bytes) == (2, 6))
        #expect(ServerValidation.offset(line: 9, column: 1, in: bytes) == bytes.count)
    }
}
