import JSON

/// How a validation rule's findings count: failing the check, a warning, or not reported.
public enum RuleLevel: String, Sendable, Equatable, CaseIterable {
    case error, warn, off
}

/// The validation rules of the GraphQL specification that the validator applies, by the names
/// graphql-js gives them (without its `Rule` suffix). NoUnusedFragments is judged across the whole
/// project here (a fragment no operation reaches), not per document.
public enum ValidationRules {
    public static let names = [
        "ExecutableDefinitions", "UniqueOperationNames", "LoneAnonymousOperation", "KnownTypeNames", "FragmentsOnCompositeTypes",
        "VariablesAreInputTypes", "ScalarLeafs", "FieldsOnCorrectType", "UniqueFragmentNames", "KnownFragmentNames",
        "NoUnusedFragments", "PossibleFragmentSpreads", "NoFragmentCycles", "UniqueVariableNames", "NoUndefinedVariables",
        "NoUnusedVariables", "KnownDirectives", "UniqueDirectivesPerLocation", "KnownArgumentNames", "UniqueArgumentNames",
        "ValuesOfCorrectType", "ProvidedRequiredArguments", "VariablesInAllowedPosition", "UniqueInputFieldNames",
        // Not in GraphQLSwift; GraphQLValidation implements them.
        "SingleFieldSubscriptions", "OverlappingFieldsCanBeMerged",
    ]

    /// A rule's name as written in a gate file (`NoUnusedFragments` or `NoUnusedFragmentsRule`).
    public static func canonical(_ written: String) -> String? {
        let name = written.hasSuffix("Rule") ? String(written.dropLast(4)) : written
        return names.contains(name) ? name : nil
    }

    /// The level a rule has unless a gate file says otherwise: a fragment no operation uses is a
    /// warning (dead code, not a broken query); everything else fails.
    public static func defaultLevel(_ name: String) -> RuleLevel { name == "NoUnusedFragments" ? .warn : .error }
}

/// What `quality-gates` asks the validator helper, as JSON on its standard input.
public struct ValidationRequest: Sendable, Equatable {
    public struct Schema: Sendable, Equatable {
        /// What messages call the schema (`NestSync-backend/schema.graphql`, an endpoint).
        public var name: String
        /// SDL text.
        public var sdl: String?
        /// The JSON text of an introspection response (`{"data": {"__schema": …}}`).
        public var introspection: String?
        /// Skip the SDL's own validation (graphql-core's `assume_valid_sdl`): for schemas that are
        /// published slightly invalid, such as GitHub's (a field defined twice).
        public var assumeValidSDL: Bool

        public init(name: String, sdl: String? = nil, introspection: String? = nil, assumeValidSDL: Bool = false) {
            self.name = name
            self.sdl = sdl
            self.introspection = introspection
            self.assumeValidSDL = assumeValidSDL
        }
    }

    public struct Document: Sendable, Equatable {
        /// The file it comes from, for messages that point at another document.
        public var name: String
        public var text: String
        /// The fragment definitions of other documents appended to it before validation.
        public var fragments: [FragmentReference]
        /// Whether its own problems are wanted (a document may be sent only for its fragments).
        public var validate: Bool

        public init(name: String, text: String, fragments: [FragmentReference] = [], validate: Bool = true) {
            self.name = name
            self.text = text
            self.fragments = fragments
            self.validate = validate
        }
    }

    public var schema: Schema
    public var documents: [Document]
    /// Levels of rules other than `error`.
    public var rules: [String: RuleLevel]

    public init(schema: Schema, documents: [Document], rules: [String: RuleLevel] = [:]) {
        self.schema = schema
        self.documents = documents
        self.rules = rules
    }

    public var json: JSONValue {
        var schemaMembers: [(String, JSONValue)] = [("name", .string(schema.name)), ("assumeValidSDL", .bool(schema.assumeValidSDL))]
        if let sdl = schema.sdl { schemaMembers.append(("sdl", .string(sdl))) }
        if let introspection = schema.introspection { schemaMembers.append(("introspection", .string(introspection))) }
        return .object([
            ("schema", .object(schemaMembers)),
            ("documents", .array(documents.map { document in
                .object([("name", .string(document.name)), ("text", .string(document.text)), ("validate", .bool(document.validate)),
                         ("fragments", .array(document.fragments.map { .object([("document", .integer($0.document)), ("name", .string($0.name))]) }))])
            })),
            ("rules", .object(rules.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.rawValue)) })),
        ])
    }

    /// Reads a request; nil when the JSON is not one.
    public init?(json: JSONDocument) {
        guard case .string(let name)? = json.value(at: ["schema", "name"]), case .array(let documents)? = json.value(at: ["documents"]) else { return nil }
        schema = Schema(name: name, sdl: json.value(at: ["schema", "sdl"])?.stringValue,
                        introspection: json.value(at: ["schema", "introspection"])?.stringValue,
                        assumeValidSDL: json.value(at: ["schema", "assumeValidSDL"]) == .bool(true))
        var read: [Document] = []
        for document in documents {
            guard let name = document.value(at: ["name"])?.stringValue, let text = document.value(at: ["text"])?.stringValue else { return nil }
            var fragments: [FragmentReference] = []
            if case .array(let references)? = document.value(at: ["fragments"]) {
                for reference in references {
                    guard case .number(let index)? = reference.value(at: ["document"]), let fragment = reference.value(at: ["name"])?.stringValue else { return nil }
                    fragments.append(FragmentReference(document: Int(index), name: fragment))
                }
            }
            read.append(Document(name: name, text: text, fragments: fragments, validate: document.value(at: ["validate"]) != .bool(false)))
        }
        self.documents = read
        var rules: [String: RuleLevel] = [:]
        if case .object(let members)? = json.value(at: ["rules"]) {
            for (rule, level) in members { rules[rule] = level.stringValue.flatMap(RuleLevel.init(rawValue:)) }
        }
        self.rules = rules
    }
}

/// What the validator helper answers, as JSON on its standard output.
public struct ValidationResponse: Sendable, Equatable {
    /// One problem in one document; line and column count Unicode scalars from 1, in the document.
    public struct Problem: Sendable, Equatable {
        public var document: Int
        public var line: Int
        public var column: Int
        public var message: String
        public var level: RuleLevel

        public init(document: Int, line: Int, column: Int, message: String, level: RuleLevel = .error) {
            self.document = document
            self.line = line
            self.column = column
            self.message = message
            self.level = level
        }
    }

    /// Set when the schema itself could not be read; nothing was validated then.
    public var schemaError: String?
    public var problems: [Problem]
    /// How many operations and fragments were validated.
    public var operations: Int
    public var fragments: Int

    public init(schemaError: String? = nil, problems: [Problem] = [], operations: Int = 0, fragments: Int = 0) {
        self.schemaError = schemaError
        self.problems = problems
        self.operations = operations
        self.fragments = fragments
    }

    public var json: JSONValue {
        .object([
            ("schemaError", schemaError.map(JSONValue.string) ?? .null),
            ("problems", .array(problems.map { problem in
                .object([("document", .integer(problem.document)), ("line", .integer(problem.line)), ("column", .integer(problem.column)),
                         ("message", .string(problem.message)), ("level", .string(problem.level.rawValue))])
            })),
            ("operations", .integer(operations)),
            ("fragments", .integer(fragments)),
        ])
    }

    /// Reads a response; nil when the JSON is not one.
    public init?(json: JSONDocument) {
        guard case .array(let problems)? = json.value(at: ["problems"]) else { return nil }
        schemaError = json.value(at: ["schemaError"])?.stringValue
        var read: [Problem] = []
        for problem in problems {
            guard case .number(let document)? = problem.value(at: ["document"]), case .number(let line)? = problem.value(at: ["line"]),
                  case .number(let column)? = problem.value(at: ["column"]), let message = problem.value(at: ["message"])?.stringValue else { return nil }
            read.append(Problem(document: Int(document), line: Int(line), column: Int(column), message: message,
                                level: problem.value(at: ["level"])?.stringValue.flatMap(RuleLevel.init(rawValue:)) ?? .error))
        }
        self.problems = read
        if case .number(let count)? = json.value(at: ["operations"]) { operations = Int(count) } else { operations = 0 }
        if case .number(let count)? = json.value(at: ["fragments"]) { fragments = Int(count) } else { fragments = 0 }
    }
}
