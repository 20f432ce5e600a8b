internal import CLibXML2

/// Validates XML documents against an XML Schema (XSD) with libxml2.
/// The parsed schema is freed in `deinit`.
public final class XMLSchemaValidator {
    private let schema: xmlSchemaPtr

    /// Loads and compiles the schema at `path`. - SeeAlso: `xmlSchemaParse`.
    public init(schemaPath path: String) throws(XMLWriterError) {
        _ = libxml2Initialised
        guard let parserContext = xmlSchemaNewParserCtxt(path) else {
            throw XMLWriterError(function: "xmlSchemaNewParserCtxt", message: "cannot read \(path)")
        }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        guard let schema = xmlSchemaParse(parserContext) else {
            throw XMLWriterError(function: "xmlSchemaParse", message: "\(path) is not a valid schema")
        }
        self.schema = schema
    }

    deinit { xmlSchemaFree(schema) }

    /// The validity errors of `document`, one line each; empty when it is valid.
    /// - SeeAlso: `xmlReadMemory`, `xmlSchemaValidateDoc`.
    public func errors(in document: [UInt8]) -> [String] {
        let collector = ErrorCollector()
        let handler: xmlStructuredErrorFunc = { context, error in
            guard let context, let error, let message = error.pointee.message else { return }
            let collector = Unmanaged<ErrorCollector>.fromOpaque(context).takeUnretainedValue()
            collector.messages.append("line \(error.pointee.line): \(String(cString: message).trimmed)")
        }
        let context = Unmanaged.passUnretained(collector).toOpaque()
        guard !document.isEmpty else { return ["not well-formed XML: the document is empty"] }
        let parsed = document.withUnsafeBufferPointer { bytes in
            bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                xmlReadMemory($0, Int32(bytes.count), "report.xml", nil, Int32(XML_PARSE_NONET.rawValue))
            }
        }
        guard let parsed else {
            let message = xmlGetLastError().flatMap { $0.pointee.message }.map { String(cString: $0).trimmed }
            return ["not well-formed XML: \(message ?? "unknown error")"]
        }
        defer { xmlFreeDoc(parsed) }
        guard let validation = xmlSchemaNewValidCtxt(schema) else { return ["xmlSchemaNewValidCtxt failed"] }
        defer { xmlSchemaFreeValidCtxt(validation) }
        xmlSchemaSetValidStructuredErrors(validation, handler, context)
        let result = withExtendedLifetime(collector) { xmlSchemaValidateDoc(validation, parsed) }
        if result != 0 && collector.messages.isEmpty { return ["invalid (libxml2 code \(result))"] }
        return collector.messages
    }
}

private final class ErrorCollector {
    var messages: [String] = []
}
