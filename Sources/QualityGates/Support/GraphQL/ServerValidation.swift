import GraphQLDocuments
import JSON
import TextSearch

/// The frontend's documents validated by the endpoint itself, for an endpoint with introspection
/// turned off (graphql_documents' `without_introspection: probe`). Each document is sent with the
/// fragments it takes from others and one operation more, which selects on a type that cannot
/// exist: validation covers the whole document, so the server reports every problem of the
/// frontend's operations and, since validation fails, runs none of them.
enum ServerValidation {
    static let neverRuns = "query QualityGatesNeverRuns { ... on \(ValidationProbe.absentType) { __typename } }"

    /// One document's request: its text, the fragment definitions it appends (each slice with the
    /// document it came from and where the slice starts there, in UTF-8 bytes), then `neverRuns`.
    struct Combined {
        var text: String
        /// Where each appended slice starts in `text` (UTF-8), its document, and its start there.
        var segments: [(start: Int, document: Int, offset: Int)]
    }

    static func combined(_ index: Int, in frontend: FrontendDocuments) -> Combined {
        var text = frontend.documents[index].template.text
        var segments = [(start: 0, document: index, offset: 0)]
        for reference in frontend.fragmentsToAppend(for: index) {
            guard frontend.documents.indices.contains(reference.document),
                  let fragment = frontend.documents[reference.document].outline?.fragments.first(where: { $0.name == reference.name }) else { continue }
            let source = Array(frontend.documents[reference.document].template.text.utf8)
            guard fragment.range.upperBound <= source.count else { continue }
            text += "\n"
            segments.append((text.utf8.count, reference.document, fragment.range.lowerBound))
            text += String(decoding: source[fragment.range], as: UTF8.self)
        }
        text += "\n" + neverRuns
        return Combined(text: text, segments: segments)
    }

    /// The problems the server reported for document `index`, each placed in the document its text
    /// came from (line and column in that document's text); the never-running operation's own error
    /// is left out. Nil when the answer shows no validation of this document (no error at all, or
    /// none about the type that cannot exist): the server does not validate that way.
    static func problems(_ index: Int, _ combined: Combined, answer: JSONDocument?, frontend: FrontendDocuments) -> [ValidationResponse.Problem]? {
        guard case .array(let errors)? = answer?.value(at: ["errors"]), !errors.isEmpty,
              errors.contains(where: { $0.value(at: ["message"])?.stringValue?.containsText(ValidationProbe.absentType) == true }) else { return nil }
        let bytes = Array(combined.text.utf8)
        let ownLength = combined.segments.count > 1 ? combined.segments[1].start - 1 : bytes.count
        var problems: [ValidationResponse.Problem] = []
        for error in errors {
            guard let message = error.value(at: ["message"])?.stringValue, !message.containsText(ValidationProbe.absentType) else { continue }
            // A fragment file's fragments are used by other documents: the check finds the ones no
            // document uses itself, as it does without the server (NoUnusedFragments).
            if message.hasPrefix("Fragment "), message.containsText(" is never used") { continue }
            var line = 1, column = 1
            if case .number(let l)? = error.value(at: ["locations", "0", "line"]), case .number(let c)? = error.value(at: ["locations", "0", "column"]) {
                (line, column) = (Int(l), Int(c))
            }
            let offset = Self.offset(line: line, column: column, in: bytes)
            // In an appended fragment: placed in the document that defines it.
            if offset > ownLength, let segment = combined.segments.last(where: { $0.start <= offset }), segment.document != index {
                let source = Array(frontend.documents[segment.document].template.text.utf8)
                let (l, c) = position(of: segment.offset + (offset - segment.start), in: source)
                problems.append(ValidationResponse.Problem(document: segment.document, line: l, column: c, message: message))
            } else {
                problems.append(ValidationResponse.Problem(document: index, line: line, column: column, message: message))
            }
        }
        return problems
    }

    /// The UTF-8 offset of a line and column (columns counted in Unicode scalars, from 1).
    static func offset(line: Int, column: Int, in bytes: [UInt8]) -> Int {
        var current = 1, index = 0
        while current < line, index < bytes.count {
            if bytes[index] == 0x0A { current += 1 }
            index += 1
        }
        var scalars = 1
        while scalars < column, index < bytes.count, bytes[index] != 0x0A {
            index += 1
            while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
            scalars += 1
        }
        return index
    }

    /// The line and column (from 1, columns in Unicode scalars) of a UTF-8 offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1, column = 1
        for byte in bytes.prefix(offset) {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }
}
