/// What `quality-gates` sends the helper on standard input, as JSON: the schema and the documents
/// it extracted from the frontend (positions are mapped back to files by the caller).
public struct ValidationRequest: Codable, Sendable {
    /// The schema: SDL text, or an introspection response's JSON text.
    public struct Schema: Codable, Sendable {
        /// What messages call the schema (`NestSync-backend/schema.graphql`, an endpoint).
        public var name: String
        /// SDL text.
        public var sdl: String?
        /// The JSON text of an introspection response (`{"data": {"__schema": …}}`).
        public var introspection: String?
        /// Skip the SDL's own validation (graphql-core's `assume_valid_sdl`): for schemas that are
        /// published slightly invalid, such as GitHub's (a field defined twice).
        public var assumeValidSDL: Bool?

        public init(name: String, sdl: String? = nil, introspection: String? = nil, assumeValidSDL: Bool = false) {
            self.name = name
            self.sdl = sdl
            self.introspection = introspection
            self.assumeValidSDL = assumeValidSDL
        }
    }

    /// One GraphQL document: a .graphql file, or one tagged template.
    public struct Document: Codable, Sendable {
        /// Where it comes from, for messages that point at another document (`src/queries.ts`).
        public var name: String
        public var text: String

        public init(name: String, text: String) {
            self.name = name
            self.text = text
        }
    }

    public var schema: Schema
    public var documents: [Document]

    public init(schema: Schema, documents: [Document]) {
        self.schema = schema
        self.documents = documents
    }
}

/// What the helper answers on standard output, as JSON.
public struct ValidationResponse: Codable, Sendable, Equatable {
    /// One problem in one document; line and column count Unicode scalars from 1, in the document.
    public struct Problem: Codable, Sendable, Equatable {
        public var document: Int
        public var line: Int
        public var column: Int
        public var message: String

        public init(document: Int, line: Int, column: Int, message: String) {
            self.document = document
            self.line = line
            self.column = column
            self.message = message
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
}
