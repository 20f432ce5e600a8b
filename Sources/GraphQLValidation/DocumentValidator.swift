import GraphQL
import GraphQLDocuments

/// Validates the frontend's documents against a schema with GraphQLSwift's implementation of the
/// specification's validation rules, and the three it does not ship, written here against the
/// specification's text: OverlappingFieldsCanBeMerged (§5.3.2), SingleFieldSubscriptions
/// (§5.2.3.1), and the 32-bit range of Int literals (§3.5.1, under ValuesOfCorrectType).
///
/// Each document is validated with the fragment definitions the request lists for it appended
/// (the ones its tooling would give it: interpolated, imported, or found by name). A problem found
/// inside an appended fragment is reported in the document that defines it, once.
public enum DocumentValidator {
    /// GraphQLSwift's rules by name: its `specifiedRules` lists them in the order of
    /// `ValidationRules.names` (a test keeps the two the same length; the rules themselves are
    /// internal to GraphQLSwift). NoUnusedFragments is judged by the caller across the project.
    static func rules(sharing fieldTypes: FieldTypes = FieldTypes()) -> [(name: String, rule: @Sendable (ValidationContext) -> Visitor)] {
        zip(ValidationRules.names, specifiedRules).filter { $0.0 != "NoUnusedFragments" }.map { ($0.0, $0.1) }
            + [("SingleFieldSubscriptions", SingleFieldSubscriptionsRule),
               ("OverlappingFieldsCanBeMerged", { OverlappingFieldsCanBeMergedRule(context: $0, fieldTypes: fieldTypes) }),
               ("ValuesOfCorrectType", IntRangeRule)]
    }

    public static func validate(_ request: ValidationRequest) -> ValidationResponse {
        let schema: GraphQLSchema
        do {
            schema = try buildSchema(request.schema)
        } catch {
            return ValidationResponse(schemaError: error.message)
        }
        var response = ValidationResponse()
        var parsed: [Parsed?] = []
        for (index, document) in request.documents.enumerated() {
            do {
                parsed.append(Parsed(text: document.text, document: try parse(source: Source(body: document.text, name: String(index)))))
            } catch {
                parsed.append(nil)
                if document.validate { response.problems.append(problem(error, in: index, text: document.text)) }
            }
        }
        // One schema for every document: its field types are read once.
        let rules = rules(sharing: FieldTypes())
        let levels = Dictionary(rules.map { ($0.name, request.rules[$0.name] ?? .error) }, uniquingKeysWith: { first, _ in first })
        let errorRules = rules.filter { levels[$0.name] == .error }.map(\.rule)
        let warnRules = rules.filter { levels[$0.name] == .warn }.map(\.rule)
        for (index, document) in request.documents.enumerated() where document.validate {
            guard let own = parsed[index] else { continue }
            response.operations += own.document.definitions.count { $0 is OperationDefinition }
            response.fragments += own.document.definitions.count { $0 is FragmentDefinition }
            response.problems += validate(index, own, appending: document.fragments, parsed: parsed, schema: schema,
                                          errorRules: errorRules, warnRules: warnRules)
        }
        var seen: Set<String> = []
        response.problems = response.problems.filter { seen.insert("\($0.document):\($0.line):\($0.column):\($0.message)").inserted }
        response.problems.sort { ($0.document, $0.line, $0.column, $0.message) < ($1.document, $1.line, $1.column, $1.message) }
        return response
    }

    /// One parsed document.
    struct Parsed {
        let text: String
        let document: Document
    }

    /// A stretch of the combined text: where it starts there, and where it comes from.
    struct Segment {
        let start: Int
        let document: Int
        let offset: Int
    }

    static func validate(_ index: Int, _ own: Parsed, appending references: [FragmentReference], parsed: [Parsed?], schema: GraphQLSchema,
                         errorRules: [@Sendable (ValidationContext) -> Visitor],
                         warnRules: [@Sendable (ValidationContext) -> Visitor]) -> [ValidationResponse.Problem] {
        var combined = own.text
        var segments = [Segment(start: 0, document: index, offset: 0)]
        for reference in references {
            guard reference.document < parsed.count, let source = parsed[reference.document],
                  let (start, end) = fragmentRange(reference.name, in: source) else { continue }
            combined += "\n"
            segments.append(Segment(start: combined.utf8.count, document: reference.document, offset: start))
            combined += slice(source.text, start, end)
        }
        let document: Document
        do {
            document = references.isEmpty ? own.document : try parse(source: Source(body: combined, name: String(index)))
        } catch {
            return [problem(error, in: index, text: combined)]
        }
        var problems: [ValidationResponse.Problem] = []
        for (rules, level) in [(errorRules, RuleLevel.error), (warnRules, .warn)] where !rules.isEmpty {
            for error in GraphQL.validate(schema: schema, ast: document, rules: rules) {
                let position = error.positions.first ?? 0
                // A problem inside an appended fragment belongs to the document that defines it.
                let segment = segments.last { $0.start <= position } ?? segments[0]
                let text = segment.document == index ? own.text : parsed[segment.document]!.text
                let location = self.position(of: position - segment.start + segment.offset, in: text)
                problems.append(.init(document: segment.document, line: location.line, column: location.column,
                                      message: NamingHint.rewrite(error.message, schema: schema).withoutFinalPeriod, level: level))
            }
        }
        return problems
    }

    /// Where fragment `name` starts and ends in a parsed document (UTF-8 offsets).
    static func fragmentRange(_ name: String, in parsed: Parsed) -> (Int, Int)? {
        let definitions = parsed.document.definitions
        for (position, definition) in definitions.enumerated() {
            guard let fragment = definition as? FragmentDefinition, fragment.name.value == name, let loc = fragment.loc else { continue }
            return (loc.start, end(of: position, in: parsed))
        }
        return nil
    }

    static func buildSchema(_ schema: ValidationRequest.Schema) throws(SchemaError) -> GraphQLSchema {
        let sdl: String
        if let text = schema.sdl {
            sdl = text
        } else if let json = schema.introspection {
            do {
                sdl = try IntrospectionSDL.sdl(fromJSON: json)
            } catch {
                throw SchemaError(message: "\(schema.name): \(error.message)")
            }
        } else {
            throw SchemaError(message: "\(schema.name): no schema was given")
        }
        do {
            return try GraphQL.buildSchema(source: Source(body: sdl, name: schema.name), assumeValidSDL: schema.assumeValidSDL)
        } catch let error as GraphQLError {
            if error.message.hasPrefix("Syntax Error") {
                let location = error.positions.first.map { position(of: $0, in: sdl) }
                throw SchemaError(message: "\(schema.name)" + (location.map { ":\($0.line):\($0.column)" } ?? "") + ": " + oneLine(error.message))
            }
            // GraphQLSwift's schema errors carry no position: each reason is placed at the name it quotes.
            let reasons = error.message.split(separator: "\n\n").map { oneLine(String($0)).withoutFinalPeriod }
            throw SchemaError(message: reasons.map { reason in
                let location = SDLPlaces.locate(reason, in: sdl).map { position(of: $0, in: sdl) }
                return "\(schema.name)" + (location.map { ":\($0.line):\($0.column)" } ?? "") + ": " + reason
            }.joined(separator: "; "))
        } catch {
            throw SchemaError(message: "\(schema.name): \(error)")
        }
    }

    struct SchemaError: Error { let message: String }

    static func problem(_ error: any Error, in document: Int, text: String, message: String? = nil) -> ValidationResponse.Problem {
        let graphQLError = error as? GraphQLError
        let location = graphQLError?.positions.first.map { position(of: $0, in: text) } ?? (line: 1, column: 1)
        return .init(document: document, line: location.line, column: location.column,
                     message: message ?? graphQLError.map { oneLine($0.message).withoutFinalPeriod } ?? "\(error)")
    }

    /// GraphQLSwift's syntax errors read `Syntax Error 0 (1:10) Expected Name, found <EOF>` and then
    /// an excerpt of the source; the caller gives the position, so only the reason is kept.
    static func oneLine(_ message: String) -> String {
        var first = message.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? message
        if first.hasPrefix("Syntax Error"), let close = first.firstIndex(of: ")") {
            first = "Syntax Error:" + first[first.index(after: close)...]
        }
        return first
    }

    /// Line and column (Unicode scalars, from 1) of a UTF-8 offset; `\r\n`, `\n` and `\r` end lines.
    static func position(of offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var previous: UInt8 = 0
        for byte in text.utf8.prefix(offset) {
            if byte == 10 {
                if previous != 13 { line += 1 }
                column = 1
            } else if byte == 13 {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            previous = byte
        }
        return (line, column)
    }

    /// Where the definition at `position` ends: where the next one starts, or at the end of the text.
    /// (GraphQLSwift's `loc.end` of a definition is the end of its first token.)
    static func end(of position: Int, in document: Parsed) -> Int {
        let definitions = document.document.definitions
        return position + 1 < definitions.count ? (definitions[position + 1].loc?.start ?? document.text.utf8.count) : document.text.utf8.count
    }

    static func slice(_ text: String, _ start: Int, _ end: Int) -> String {
        let utf8 = Array(text.utf8)
        return String(decoding: utf8[max(0, start)..<min(end, utf8.count)], as: UTF8.self)
    }
}

extension String {
    var withoutFinalPeriod: String { hasSuffix(".") ? String(dropLast()) : self }
}
