internal import CLibXML2

let libxml2Initialised: Void = { xmlInitParser() }()

/// Writes one XML document into memory through libxml2's `xmlTextWriter`, which escapes every
/// attribute and text node. Every string passes through `XMLText.sanitized` first, so no input
/// can make the document invalid XML 1.0.
///
/// One owning object per writer; the writer and its buffer are freed in `deinit`.
public final class XMLDocumentWriter {
    private let buffer: xmlBufferPtr
    private var writer: xmlTextWriterPtr?

    /// Starts a UTF-8 document, indented for people reading it.
    /// - SeeAlso: `xmlNewTextWriterMemory`, `xmlTextWriterStartDocument`.
    public init() throws(XMLWriterError) {
        _ = libxml2Initialised
        guard let buffer = xmlBufferCreate() else { throw Self.error("xmlBufferCreate") }
        self.buffer = buffer
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw Self.error("xmlNewTextWriterMemory")
        }
        self.writer = writer
        xmlTextWriterSetIndent(writer, 1)
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "xmlTextWriterStartDocument")
    }

    deinit {
        if let writer { xmlFreeTextWriter(writer) }
        xmlBufferFree(buffer)
    }

    /// Opens an element. - SeeAlso: `xmlTextWriterStartElement`.
    public func startElement(_ name: String) throws(XMLWriterError) {
        let writer = try open()
        try check(withXMLChars(name) { xmlTextWriterStartElement(writer, $0) }, "xmlTextWriterStartElement")
    }

    /// Adds an attribute to the element just opened. - SeeAlso: `xmlTextWriterWriteAttribute`.
    public func attribute(_ name: String, _ value: String) throws(XMLWriterError) {
        let writer = try open()
        let result = withXMLChars(name) { name in
            withXMLChars(XMLText.sanitized(value)) { xmlTextWriterWriteAttribute(writer, name, $0) }
        }
        try check(result, "xmlTextWriterWriteAttribute")
    }

    /// Writes escaped text content. - SeeAlso: `xmlTextWriterWriteString`.
    public func text(_ content: String) throws(XMLWriterError) {
        let writer = try open()
        try check(withXMLChars(XMLText.sanitized(content)) { xmlTextWriterWriteString(writer, $0) },
                  "xmlTextWriterWriteString")
    }

    /// Closes the innermost open element. - SeeAlso: `xmlTextWriterEndElement`.
    public func endElement() throws(XMLWriterError) {
        try check(xmlTextWriterEndElement(try open()), "xmlTextWriterEndElement")
    }

    /// Closes every open element, ends the document and returns its bytes; the writer is done after.
    public func finish() throws(XMLWriterError) -> [UInt8] {
        let writer = try open()
        try check(xmlTextWriterEndDocument(writer), "xmlTextWriterEndDocument")
        xmlFreeTextWriter(writer) // flushes into the buffer
        self.writer = nil
        let count = Int(xmlBufferLength(buffer))
        guard let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: count))
    }

    private func open() throws(XMLWriterError) -> xmlTextWriterPtr {
        guard let writer else { throw XMLWriterError(function: "XMLDocumentWriter", message: "already finished") }
        return writer
    }

    private func check(_ result: Int32, _ function: String) throws(XMLWriterError) {
        if result < 0 { throw Self.error(function) }
    }

    private static func error(_ function: String) -> XMLWriterError {
        let message = xmlGetLastError().flatMap { $0.pointee.message }.map { String(cString: $0) }
        return XMLWriterError(function: function, message: message?.trimmed ?? "no message from libxml2")
    }
}

func withXMLChars<R>(_ string: String, _ body: (UnsafePointer<xmlChar>) -> R) -> R {
    string.withCString { body(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
}

extension String {
    var trimmed: String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        return String(text)
    }
}
