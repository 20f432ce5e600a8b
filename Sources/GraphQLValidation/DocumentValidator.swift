import Foundation
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

    /// Validates every document of the request, on `workers` threads (every core by default).
    ///
    /// Sharing the schema between threads is safe: GraphQLSwift declares `GraphQLSchema` Sendable
    /// and fills its only lazy state (field and interface maps of object and interface types, the
    /// schema's sub-type map) under reader/writer queues; validation reads the schema and keeps its
    /// own state in a per-call `ValidationContext`. What is ours is per thread: each worker has its
    /// own rules and `FieldTypes`, and each document's outcome goes to its own slot.
    ///
    /// Two passes, so that no syntax tree outlives its document's turn (20,000 kept at once were
    /// most of the memory): the first parses each document, validates the ones that append no
    /// fragment and notes where each referenced document's fragments are; the second validates the
    /// ones that append fragments, from the combined text, which is parsed anyway.
    public static func validate(_ request: ValidationRequest, workers: Int = ProcessInfo.processInfo.activeProcessorCount) -> ValidationResponse {
        let schema: GraphQLSchema
        do {
            schema = try buildSchema(request.schema)
        } catch {
            return ValidationResponse(schemaError: error.message)
        }
        let documents = request.documents
        var referenced = [Bool](repeating: false, count: documents.count)
        for document in documents where document.validate {
            for reference in document.fragments where reference.document >= 0 && reference.document < documents.count {
                referenced[reference.document] = true
            }
        }
        let outcomes = Slots<Outcome>(count: documents.count)
        let fragmentRanges = Slots<[String: (Int, Int)]>(count: documents.count)
        let parsedWell = Slots<Bool>(count: documents.count)
        let levels = request.rules
        let referencedDocuments = referenced
        inParallel(count: documents.count, workers: workers) { _ in
            let rules = RuleSet(levels: levels)
            return { index in
                let document = documents[index]
                guard document.validate || referencedDocuments[index] else { return }
                let parsed: Parsed
                do {
                    parsed = Parsed(text: document.text, document: try parse(source: Source(body: document.text, name: String(index))))
                } catch {
                    if document.validate { outcomes[index] = Outcome(problems: [problem(error, in: index, text: document.text)]) }
                    return
                }
                parsedWell[index] = true
                if referencedDocuments[index] { fragmentRanges[index] = ranges(in: parsed) }
                guard document.validate else { return }
                // A document that appends fragments is validated in the second pass.
                let problems = document.fragments.isEmpty
                    ? rules.validate(index, parsed.document, segments: [Segment(start: 0, document: index, offset: 0)],
                                     texts: { _ in document.text }, schema: schema)
                    : []
                outcomes[index] = Outcome(parsed, problems: problems)
            }
        }
        inParallel(count: documents.count, workers: workers) { _ in
            let rules = RuleSet(levels: levels)
            return { index in
                let document = documents[index]
                guard document.validate, !document.fragments.isEmpty, parsedWell[index] ?? false else { return }
                outcomes[index]?.problems += validate(index, document, ranges: fragmentRanges, documents: documents, schema: schema, rules: rules)
            }
        }
        var response = ValidationResponse()
        for index in documents.indices {
            guard let outcome = outcomes[index] else { continue }
            response.operations += outcome.operations
            response.fragments += outcome.fragments
            response.problems += outcome.problems
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

    /// What validating one document found.
    struct Outcome {
        var operations = 0
        var fragments = 0
        var problems: [ValidationResponse.Problem]

        init(problems: [ValidationResponse.Problem]) {
            self.problems = problems
        }

        init(_ parsed: Parsed, problems: [ValidationResponse.Problem]) {
            operations = parsed.document.definitions.count { $0 is OperationDefinition }
            fragments = parsed.document.definitions.count { $0 is FragmentDefinition }
            self.problems = problems
        }
    }

    /// A stretch of the combined text: where it starts there, and where it comes from.
    struct Segment {
        let start: Int
        let document: Int
        let offset: Int
    }

    /// One worker's rules: the error tier and the warn tier, with a `FieldTypes` of its own.
    ///
    /// Two of GraphQLSwift's rules do work proportional to the schema at every document:
    /// KnownTypeNames and ExecutableDefinitions each copy every type name of the schema into a new
    /// set (GitHub's schema: 1,000 names, a third of the time an operation took). They run only
    /// where they can find something: ExecutableDefinitions when a definition is neither an
    /// operation nor a fragment, KnownTypeNames when a probe in the main pass meets a type name the
    /// schema does not have. Either then runs as GraphQLSwift wrote it, so messages stay its own.
    struct RuleSet {
        typealias Rule = @Sendable (ValidationContext) -> Visitor
        let tiers: [(level: RuleLevel, rules: [(name: String, rule: Rule)])]

        init(levels: [String: RuleLevel]) {
            // One schema for every document: its field types are read once per worker.
            let rules = DocumentValidator.rules(sharing: FieldTypes())
            tiers = [RuleLevel.error, .warn].map { level in (level, rules.filter { (levels[$0.name] ?? .error) == level }) }
        }

        func validate(_ index: Int, _ document: Document, segments: [Segment], texts: (Int) -> String,
                      schema: GraphQLSchema) -> [ValidationResponse.Problem] {
            let executableOnly = document.definitions.allSatisfy { $0 is OperationDefinition || $0 is FragmentDefinition }
            var problems: [ValidationResponse.Problem] = []
            for (level, named) in tiers where !named.isEmpty {
                var rules: [Rule] = []
                var knownTypeNames: Rule?
                for (name, rule) in named {
                    switch name {
                    case "ExecutableDefinitions" where executableOnly: continue
                    case "KnownTypeNames":
                        knownTypeNames = rule
                        rules.append(UnknownTypeProbe)
                    default: rules.append(rule)
                    }
                }
                var errors = GraphQL.validate(schema: schema, ast: document, rules: rules)
                if let knownTypeNames, errors.contains(where: { $0.message == unknownTypeProbeMessage }) {
                    errors.removeAll { $0.message == unknownTypeProbeMessage }
                    errors += GraphQL.validate(schema: schema, ast: document, rules: [knownTypeNames])
                }
                for error in errors {
                    let position = error.positions.first ?? 0
                    // A problem inside an appended fragment belongs to the document that defines it.
                    let segment = segments.last { $0.start <= position } ?? segments[0]
                    let location = DocumentValidator.position(of: position - segment.start + segment.offset, in: texts(segment.document))
                    problems.append(.init(document: segment.document, line: location.line, column: location.column,
                                          message: NamingHint.rewrite(error.message, schema: schema).withoutFinalPeriod, level: level))
                }
            }
            return problems
        }
    }

    /// Validates a document that appends fragments from others: the combined text is parsed and
    /// validated, and each problem is placed in the document its text came from.
    static func validate(_ index: Int, _ own: ValidationRequest.Document, ranges: Slots<[String: (Int, Int)]>,
                         documents: [ValidationRequest.Document], schema: GraphQLSchema, rules: RuleSet) -> [ValidationResponse.Problem] {
        var combined = own.text
        var segments = [Segment(start: 0, document: index, offset: 0)]
        for reference in own.fragments {
            guard reference.document >= 0, reference.document < documents.count,
                  let (start, end) = ranges[reference.document]?[reference.name] else { continue }
            combined += "\n"
            segments.append(Segment(start: combined.utf8.count, document: reference.document, offset: start))
            combined += slice(documents[reference.document].text, start, end)
        }
        let document: Document
        do {
            document = try parse(source: Source(body: combined, name: String(index)))
        } catch {
            return [problem(error, in: index, text: combined)]
        }
        return rules.validate(index, document, segments: segments, texts: { documents[$0].text }, schema: schema)
    }

    /// Where each fragment of a parsed document starts and ends (UTF-8 offsets); the first of a name.
    static func ranges(in parsed: Parsed) -> [String: (Int, Int)] {
        var ranges: [String: (Int, Int)] = [:]
        for (position, definition) in parsed.document.definitions.enumerated() {
            guard let fragment = definition as? FragmentDefinition, let loc = fragment.loc,
                  ranges[fragment.name.value] == nil else { continue }
            ranges[fragment.name.value] = (loc.start, end(of: position, in: parsed))
        }
        return ranges
    }

    static func buildSchema(_ schema: ValidationRequest.Schema) throws(SchemaError) -> GraphQLSchema {
        let sdl: String
        if let text = schema.sdl {
            sdl = text
        } else if let json = schema.introspection {
            do {
                sdl = try IntrospectionSchema.sdl(fromJSON: Array(json.utf8))
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
