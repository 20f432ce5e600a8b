import GraphQL

/// Validates the frontend's documents against a schema with GraphQLSwift's implementation of the
/// specification's validation rules (all it ships: OverlappingFieldsCanBeMerged and
/// SingleFieldSubscriptions are not implemented there).
///
/// Apollo projects define a fragment in one file and interpolate it into another (`${ChildFields}`):
/// each document is validated together with the fragments it spreads, wherever they are defined,
/// and a problem is reported in the document that holds it, once.
public enum DocumentValidator {
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
                let ast = try parse(source: Source(body: document.text, name: String(index)))
                parsed.append(Parsed(index: index, text: document.text, document: ast))
            } catch {
                parsed.append(nil)
                response.problems.append(problem(error, in: index, text: document.text))
            }
        }
        // Every fragment of the project, by name (the first definition wins), and every name spread anywhere.
        var fragments: [String: FragmentSource] = [:]
        var spreadAnywhere: Set<String> = []
        for case let document? in parsed {
            let definitions = document.document.definitions
            for (offset, definition) in definitions.enumerated() {
                spreadAnywhere.formUnion(spreads(in: definition))
                guard let fragment = definition as? FragmentDefinition, let loc = fragment.loc else { continue }
                response.fragments += 1
                let name = fragment.name.value
                if let first = fragments[name], first.document != document.index {
                    let location = position(of: loc.start, in: document.text)
                    response.problems.append(.init(document: document.index, line: location.line, column: location.column,
                                                   message: "Fragment \"\(name)\" is also defined in \(request.documents[first.document].name); fragment names must be unique across the project"))
                    continue
                }
                if fragments[name] == nil {
                    fragments[name] = FragmentSource(document: document.index, text: slice(document.text, loc.start, end(of: offset, in: document)),
                                                     spreads: spreads(in: fragment))
                }
            }
            response.operations += document.document.definitions.count { $0 is OperationDefinition }
        }
        for case let document? in parsed {
            response.problems += validate(document, schema: schema, fragments: fragments, spreadAnywhere: spreadAnywhere)
        }
        response.problems.sort { ($0.document, $0.line, $0.column, $0.message) < ($1.document, $1.line, $1.column, $1.message) }
        return response
    }

    /// One parsed document.
    struct Parsed {
        let index: Int
        let text: String
        let document: Document
    }

    /// A fragment definition's text, for appending to the documents that spread it.
    struct FragmentSource {
        let document: Int
        let text: String
        let spreads: Set<String>
    }

    static func validate(_ parsed: Parsed, schema: GraphQLSchema, fragments: [String: FragmentSource],
                         spreadAnywhere: Set<String>) -> [ValidationResponse.Problem] {
        var local: Set<String> = []
        var wanted: Set<String> = []
        for definition in parsed.document.definitions {
            if let fragment = definition as? FragmentDefinition { local.insert(fragment.name.value) }
            wanted.formUnion(spreads(in: definition))
        }
        // The fragments this document spreads from elsewhere, and the ones those spread, in a stable order.
        var external: [String] = []
        var seen = local
        var queue = wanted.subtracting(local).sorted()
        while let name = queue.popLast() {
            guard !seen.contains(name), let fragment = fragments[name] else { continue }
            seen.insert(name)
            external.append(name)
            queue += fragment.spreads.subtracting(seen).sorted()
        }
        var document = parsed.document
        if !external.isEmpty {
            let combined = parsed.text + "\n" + external.map { fragments[$0]!.text }.joined(separator: "\n")
            do {
                document = try parse(source: Source(body: combined, name: String(parsed.index)))
            } catch {
                return [problem(error, in: parsed.index, text: combined)]
            }
        }
        let ownLength = parsed.text.utf8.count
        var problems: [ValidationResponse.Problem] = []
        for error in GraphQL.validate(schema: schema, ast: document) {
            // Problems inside appended fragments belong to the documents that define them.
            if let first = error.positions.first, first >= ownLength { continue }
            if let name = unusedFragment(error.message), spreadAnywhere.contains(name) { continue }
            problems.append(problem(error, in: parsed.index, text: parsed.text,
                                    message: NamingHint.rewrite(error.message, schema: schema).withoutFinalPeriod))
        }
        return problems
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
            return try GraphQL.buildSchema(source: Source(body: sdl, name: schema.name), assumeValidSDL: schema.assumeValidSDL ?? false)
        } catch let error as GraphQLError {
            let location = error.positions.first.map { position(of: $0, in: sdl) }
            let reasons = error.message.hasPrefix("Syntax Error") ? oneLine(error.message) : error.message.split(separator: "\n\n").map { oneLine(String($0)).withoutFinalPeriod }.joined(separator: "; ")
            throw SchemaError(message: "\(schema.name)" + (location.map { ":\($0.line):\($0.column)" } ?? "") + ": " + reasons)
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

    /// `Fragment "X" is never used.` → X.
    static func unusedFragment(_ message: String) -> String? {
        guard message.hasPrefix("Fragment \""), message.hasSuffix("\" is never used.") else { return nil }
        return String(message.dropFirst(10).dropLast(16))
    }

    /// The names spread (`...Name`) anywhere in a definition's selections.
    static func spreads(in definition: any Definition) -> Set<String> {
        var names: Set<String> = []
        func walk(_ set: SelectionSet?) {
            for selection in set?.selections ?? [] {
                switch selection {
                case let field as Field: walk(field.selectionSet)
                case let spread as FragmentSpread: names.insert(spread.name.value)
                case let inline as InlineFragment: walk(inline.selectionSet)
                default: break
                }
            }
        }
        if let operation = definition as? OperationDefinition { walk(operation.selectionSet) }
        if let fragment = definition as? FragmentDefinition { walk(fragment.selectionSet) }
        return names
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
