internal import CLibYAML

/// Reads one YAML document into a `YAMLNode` tree, with the place of every node.
///
/// Unlike a plain libyaml load it refuses what a configuration file should never hold: duplicate
/// keys, complex keys, tags outside the core schema, aliases that form a cycle, several documents,
/// and anything past `YAMLLimits`. Composition is iterative, so no input can overflow the stack.
public enum YAMLReader {
    /// Composes the single document in `bytes`; nil for a source with no document (empty or comments).
    /// - Throws: `YAMLError`, always with a line and column where the source has one.
    public static func read(_ bytes: [UInt8], limits: YAMLLimits = YAMLLimits()) throws(YAMLError) -> YAMLNode? {
        guard bytes.count <= limits.maxBytes else {
            throw .tooLarge(bytes: bytes.count, limit: limits.maxBytes)
        }
        var composer = Composer(limits: limits)
        let parser = EventParser(bytes: bytes)
        do {
            while true {
                let event = try parser.next()
                if try composer.consume(event) { break }
            }
        } catch {
            throw error.clamped(to: bytes)
        }
        return composer.root
    }
}

/// One libyaml parser over a byte buffer it owns; `yaml_parser_delete` runs in `deinit`.
private final class EventParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let buffer: UnsafeMutableBufferPointer<UInt8>

    init(bytes: [UInt8]) {
        // libyaml keeps a pointer to the input for the parser's whole life, so it gets its own copy.
        buffer = .allocate(capacity: max(bytes.count, 1))
        _ = buffer.initialize(from: bytes)
        parser = .allocate(capacity: 1)
        yaml_parser_initialize(parser)
        yaml_parser_set_input_string(parser, buffer.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        buffer.deallocate()
    }

    func next() throws(YAMLError) -> Event {
        var raw = yaml_event_t()
        guard yaml_parser_parse(parser, &raw) == 1 else { throw parseError() }
        defer { yaml_event_delete(&raw) }
        return Event(raw)
    }

    private func parseError() -> YAMLError {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "unreadable input"
        if p.error == YAML_READER_ERROR {
            // Reader errors (encoding, control characters) carry only a byte offset.
            let detail = p.problem_value >= 0
                ? "\(problem) (byte 0x\(String(p.problem_value, radix: 16)))" : problem
            var offset = p.problem_offset
            // For a bad trailing octet libyaml gives that octet's offset; point at the sequence's start.
            if problem.contains("trailing") || problem.contains("incomplete") {
                var back = offset
                while back > 0, offset - back < 4, buffer[back - 1] & 0xC0 == 0x80 { back -= 1 }
                if back > 0, buffer[back - 1] >= 0xC0 { offset = back - 1 }
            }
            return .syntax(problem: detail, mark: mark(atByteOffset: offset))
        }
        var text = problem
        if let context = p.context.map({ String(cString: $0) }) { text = "\(problem) \(context)" }
        return .syntax(problem: text, mark: YAMLMark(p.problem_mark))
    }

    private func mark(atByteOffset offset: Int) -> YAMLMark {
        var line = 1, column = 1
        for byte in buffer.prefix(offset) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return YAMLMark(line: line, column: column)
    }
}

/// The parts of a libyaml event the composer needs, copied out before the event is freed.
struct Event {
    enum Kind { case streamStart, streamEnd, documentStart, documentEnd, scalar, alias,
                     sequenceStart, sequenceEnd, mappingStart, mappingEnd }
    let kind: Kind
    let mark: YAMLMark
    var anchor: String?
    var tag: String?
    var value = ""
    var style = YAMLScalarStyle.plain

    fileprivate init(_ event: yaml_event_t) {
        mark = YAMLMark(event.start_mark)
        switch event.type {
        case YAML_SCALAR_EVENT:
            kind = .scalar
            anchor = string(event.data.scalar.anchor)
            tag = string(event.data.scalar.tag)
            value = String(decoding: UnsafeBufferPointer(start: event.data.scalar.value,
                                                         count: event.data.scalar.length), as: UTF8.self)
            style = scalarStyle(event.data.scalar.style)
        case YAML_ALIAS_EVENT:
            kind = .alias
            anchor = string(event.data.alias.anchor)
        case YAML_SEQUENCE_START_EVENT:
            kind = .sequenceStart
            anchor = string(event.data.sequence_start.anchor)
            tag = string(event.data.sequence_start.tag)
        case YAML_MAPPING_START_EVENT:
            kind = .mappingStart
            anchor = string(event.data.mapping_start.anchor)
            tag = string(event.data.mapping_start.tag)
        case YAML_SEQUENCE_END_EVENT: kind = .sequenceEnd
        case YAML_MAPPING_END_EVENT: kind = .mappingEnd
        case YAML_DOCUMENT_START_EVENT: kind = .documentStart
        case YAML_DOCUMENT_END_EVENT: kind = .documentEnd
        case YAML_STREAM_START_EVENT: kind = .streamStart
        default: kind = .streamEnd
        }
    }
}

private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    pointer.map { String(cString: $0) }
}

private func scalarStyle(_ style: yaml_scalar_style_t) -> YAMLScalarStyle {
    switch style {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
    case YAML_LITERAL_SCALAR_STYLE: .literal
    case YAML_FOLDED_SCALAR_STYLE: .folded
    default: .plain
    }
}

extension YAMLMark {
    fileprivate init(_ mark: yaml_mark_t) {
        self.init(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }
}
