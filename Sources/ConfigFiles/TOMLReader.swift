/// Reads TOML 1.0 strictly, as Python's `tomllib` does (the tests compare the two on a corpus):
/// every string, number, boolean and date form, arrays, inline tables, `[table]` and
/// `[[array.of.tables]]` headers, dotted keys, and the rules against defining a key or table twice
/// or adding to an inline table. Railway's `railway.toml`, `pyproject.toml` and `netlify.toml` are
/// read with it.
///
/// Written here rather than taken from TOMLKit (toml++ in C++): TOMLKit imports Foundation, whose
/// start-up every run would then pay (BENCHMARKS.md, "Reading TOML").
public enum TOMLReader {
    /// The document's root table.
    public static func parse(_ bytes: [UInt8]) throws(ConfigSyntaxError) -> ConfigNode {
        var parser = TOMLParser(bytes)
        try parser.document()
        return parser.root.node()
    }
}

/// A table being built: tables are shared and changed as headers and dotted keys reach them.
final class TOMLTable {
    enum Entry {
        case value(ConfigNode)
        case table(TOMLTable)
        case tables(TOMLTableArray)
    }

    var keys: [String] = []
    var entries: [String: Entry] = [:]
    let line: Int
    let column: Int

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    func set(_ key: String, _ entry: Entry) {
        if entries[key] == nil { keys.append(key) }
        entries[key] = entry
    }

    func node() -> ConfigNode {
        let members = keys.map { key -> ConfigMember in
            switch entries[key]! {
            case .value(let node): ConfigMember(key: key, node: node)
            case .table(let table): ConfigMember(key: key, node: table.node())
            case .tables(let array): ConfigMember(key: key, node: ConfigNode(.list(array.tables.map { $0.node() }), line: array.line, column: array.column))
            }
        }
        return ConfigNode(.table(members), line: line, column: column)
    }
}

/// An array of tables (`[[name]]`), which later headers extend.
final class TOMLTableArray {
    var tables: [TOMLTable] = []
    let line: Int
    let column: Int

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// What a key path has been made, after tomllib's flags: tables defined by a header or by dotted
/// keys of another section may not be defined again; inline tables and arrays are frozen.
final class TOMLFlags {
    final class Node {
        var flags: Set<Flag> = []
        var recursive: Set<Flag> = []
        var children: [String: Node] = [:]
    }

    enum Flag { case explicit, frozen }

    private let root = Node()
    private var pending: [([String], Flag)] = []

    func isSet(_ key: [String], _ flag: Flag) -> Bool {
        var node = root
        for (index, part) in key.enumerated() {
            guard let child = node.children[part] else { return false }
            if child.recursive.contains(flag) { return true }
            if index == key.count - 1 { return child.flags.contains(flag) }
            node = child
        }
        return false
    }

    func set(_ key: [String], _ flag: Flag, recursive: Bool) {
        var node = root
        for part in key {
            if node.children[part] == nil { node.children[part] = Node() }
            node = node.children[part]!
        }
        if recursive { node.recursive.insert(flag) } else { node.flags.insert(flag) }
    }

    func unsetAll(_ key: [String]) {
        var node = root
        for part in key.dropLast() {
            guard let child = node.children[part] else { return }
            node = child
        }
        if let last = key.last { node.children[last] = nil }
    }

    func addPending(_ key: [String], _ flag: Flag) { pending.append((key, flag)) }

    func finalizePending() {
        for (key, flag) in pending { set(key, flag, recursive: false) }
        pending.removeAll()
    }
}

struct TOMLParser {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var lineStart = 0
    /// Columns are counted forward from here, so a long line is read in one pass.
    var counted = 0
    var countedColumn = 1
    let root: TOMLTable
    let flags = TOMLFlags()
    var header: [String] = []
    /// The key whose value is being read, so that an error about a value whose key names a
    /// secret (PASSWORD, SECRET, TOKEN, KEY) does not quote it.
    var valueKey = ""

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        root = TOMLTable(line: 1, column: 1)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3; lineStart = 3 }
    }

    // MARK: Positions and errors

    mutating func column() -> Int {
        if counted < lineStart { (counted, countedColumn) = (lineStart, 1) }
        let end = min(index, bytes.count)
        while counted < end {
            if bytes[counted] & 0xC0 != 0x80 { countedColumn += 1 }
            counted += 1
        }
        return countedColumn
    }

    mutating func error(_ reason: String) -> ConfigSyntaxError {
        ConfigSyntaxError(line: line, column: column(), reason: reason)
    }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

    func at(_ text: String) -> Bool { bytes[index...].starts(with: text.utf8) }

    // MARK: Document

    mutating func document() throws(ConfigSyntaxError) {
        var table = root
        while true {
            skipBlank()
            guard let byte = current else { return }
            switch byte {
            case UInt8(ascii: "#"): try comment()
            case 0x0A: newline()
            case 0x0D:
                guard peek(1) == 0x0A else { throw error("a carriage return must be followed by a line feed") }
                index += 1
                newline()
            case UInt8(ascii: "["):
                table = peek(1) == UInt8(ascii: "[") ? try arrayHeader() : try tableHeader()
                try endOfLine()
            default:
                try keyValue(into: table, section: header)
                try endOfLine()
            }
        }
    }

    mutating func newline() {
        index += 1
        line += 1
        lineStart = index
    }

    mutating func skipBlank() {
        while let byte = current, byte == 0x20 || byte == 0x09 { index += 1 }
    }

    mutating func comment() throws(ConfigSyntaxError) {
        while let byte = current, byte != 0x0A {
            if byte == 0x0D, peek(1) == 0x0A { return }
            if (byte < 0x20 && byte != 0x09) || byte == 0x7F { throw error("a control character in a comment") }
            index += 1
        }
    }

    /// After a key/value pair or a header: only blanks, a comment, then a newline or the end.
    mutating func endOfLine() throws(ConfigSyntaxError) {
        skipBlank()
        if current == UInt8(ascii: "#") { try comment() }
        guard let byte = current else { return }
        if byte == 0x0A { newline(); return }
        if byte == 0x0D, peek(1) == 0x0A { index += 1; newline(); return }
        throw error("expected the end of the line, found '\(String(decoding: [byte], as: UTF8.self))'")
    }

    // MARK: Headers

    mutating func tableHeader() throws(ConfigSyntaxError) -> TOMLTable {
        let (startLine, startColumn) = (line, column())
        index += 1
        skipBlank()
        let key = try keyPath()
        skipBlank()
        guard current == UInt8(ascii: "]") else { throw error("expected ']' to end the table header") }
        index += 1
        flags.finalizePending()
        if flags.isSet(key, .explicit) || flags.isSet(key, .frozen) {
            throw ConfigSyntaxError(line: startLine, column: startColumn, reason: "table [\(key.joined(separator: "."))] is defined twice")
        }
        flags.set(key, .explicit, recursive: false)
        header = key
        return try nest(key, line: startLine, column: startColumn)
    }

    mutating func arrayHeader() throws(ConfigSyntaxError) -> TOMLTable {
        let (startLine, startColumn) = (line, column())
        index += 2
        skipBlank()
        let key = try keyPath()
        skipBlank()
        guard at("]]") else { throw error("expected ']]' to end the array-of-tables header") }
        index += 2
        flags.finalizePending()
        if flags.isSet(key, .frozen) {
            throw ConfigSyntaxError(line: startLine, column: startColumn, reason: "[[\(key.joined(separator: "."))]] adds to an array or inline table written as a value")
        }
        flags.unsetAll(key)
        flags.set(key, .explicit, recursive: false)
        header = key
        let parent = try nest(Array(key.dropLast()), line: startLine, column: startColumn)
        let table = TOMLTable(line: startLine, column: startColumn)
        switch parent.entries[key.last!] {
        case nil:
            let array = TOMLTableArray(line: startLine, column: startColumn)
            array.tables.append(table)
            parent.set(key.last!, .tables(array))
        case .tables(let array)?:
            array.tables.append(table)
        default:
            throw ConfigSyntaxError(line: startLine, column: startColumn, reason: "[[\(key.joined(separator: "."))]]: '\(key.last!)' is already a value or a table")
        }
        return table
    }

    /// The table at `key`, made where missing; through an array of tables, its last table.
    func nest(_ key: [String], line: Int, column: Int) throws(ConfigSyntaxError) -> TOMLTable {
        var table = root
        for part in key {
            switch table.entries[part] {
            case nil:
                let made = TOMLTable(line: line, column: column)
                table.set(part, .table(made))
                table = made
            case .table(let next)?:
                table = next
            case .tables(let array)?:
                table = array.tables[array.tables.count - 1]
            case .value?:
                throw ConfigSyntaxError(line: line, column: column, reason: "'\(key.joined(separator: "."))': '\(part)' is already a value, not a table")
            }
        }
        return table
    }

    // MARK: Keys and values

    mutating func keyValue(into table: TOMLTable, section: [String]) throws(ConfigSyntaxError) {
        let (keyLine, keyColumn) = (line, column())
        let key = try keyPath()
        skipBlank()
        guard current == UInt8(ascii: "=") else { throw error("expected '=' after the key") }
        index += 1
        skipBlank()
        let outerKey = valueKey
        valueKey = key.last ?? ""
        let value = try value(depth: 0)
        valueKey = outerKey
        for end in 1..<key.count {
            let container = section + key[..<end]
            if flags.isSet(container, .explicit) {
                throw ConfigSyntaxError(line: keyLine, column: keyColumn, reason: "'\(container.joined(separator: "."))' is a table defined elsewhere; dotted keys may not add to it")
            }
            flags.addPending(container, .explicit)
        }
        let parentKey = section + key.dropLast()
        if flags.isSet(parentKey, .frozen) {
            throw ConfigSyntaxError(line: keyLine, column: keyColumn, reason: "'\(parentKey.joined(separator: "."))' is an inline table or array and cannot be added to")
        }
        let parent = try nest(Array(key.dropLast()), from: table, line: keyLine, column: keyColumn)
        let stem = key[key.count - 1]
        guard parent.entries[stem] == nil else {
            throw ConfigSyntaxError(line: keyLine, column: keyColumn, reason: "'\((section + key).joined(separator: "."))' is defined twice")
        }
        if case .scalar = value.value {} else { flags.set(section + key, .frozen, recursive: true) }
        parent.set(stem, .value(value))
    }

    /// Like `nest(_:)`, from a table other than the root (the current section).
    func nest(_ key: [String], from start: TOMLTable, line: Int, column: Int) throws(ConfigSyntaxError) -> TOMLTable {
        var table = start
        for part in key {
            switch table.entries[part] {
            case nil:
                let made = TOMLTable(line: line, column: column)
                table.set(part, .table(made))
                table = made
            case .table(let next)?:
                table = next
            case .tables(let array)?:
                table = array.tables[array.tables.count - 1]
            case .value?:
                throw ConfigSyntaxError(line: line, column: column, reason: "'\(part)' is already a value, not a table")
            }
        }
        return table
    }

    /// `a.b."c d".'e'`: bare and quoted parts, blanks allowed around the dots.
    mutating func keyPath() throws(ConfigSyntaxError) -> [String] {
        var parts: [String] = []
        while true {
            guard let byte = current else { throw error("expected a key") }
            switch byte {
            case UInt8(ascii: "\""):
                if at("\"\"\"") { throw error("a key may not be a multi-line string") }
                parts.append(try basicString())
            case UInt8(ascii: "'"):
                if at("'''") { throw error("a key may not be a multi-line string") }
                parts.append(try literalString())
            default:
                let start = index
                while let next = current, Self.isBareKey(next) { index += 1 }
                guard index > start else { throw error("expected a key, found '\(String(decoding: [byte], as: UTF8.self))'") }
                parts.append(String(decoding: bytes[start..<index], as: UTF8.self))
            }
            skipBlank()
            guard current == UInt8(ascii: ".") else { return parts }
            index += 1
            skipBlank()
        }
    }

    static func isBareKey(_ byte: UInt8) -> Bool {
        byte.isASCIIAlphanumericByte || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    mutating func value(depth: Int) throws(ConfigSyntaxError) -> ConfigNode {
        guard depth < 128 else { throw error("nested deeper than 128 levels") }
        let (startLine, startColumn) = (line, column())
        func node(_ value: ConfigNode.Value) -> ConfigNode { ConfigNode(value, line: startLine, column: startColumn) }
        func scalar(_ text: String, _ kind: ConfigScalar.Kind) -> ConfigNode { node(.scalar(ConfigScalar(text, kind: kind))) }
        guard let byte = current else { throw error("expected a value") }
        switch byte {
        case UInt8(ascii: "\""):
            return scalar(at("\"\"\"") ? try multilineBasicString() : try basicString(), .string)
        case UInt8(ascii: "'"):
            return scalar(at("'''") ? try multilineLiteralString() : try literalString(), .string)
        case UInt8(ascii: "["):
            return node(.list(try array(depth: depth)))
        case UInt8(ascii: "{"):
            return try inlineTable(depth: depth, line: startLine, column: startColumn)
        case UInt8(ascii: "t") where at("true"), UInt8(ascii: "f") where at("false"):
            index += byte == UInt8(ascii: "t") ? 4 : 5
            return scalar(byte == UInt8(ascii: "t") ? "true" : "false", .boolean)
        default:
            let start = index
            while let next = current, !Self.endsScalar(next) || (next == 0x20 && Self.isDateTimeSpace(bytes, index)) { index += 1 }
            let word = String(decoding: bytes[start..<index], as: UTF8.self)
            guard !word.isEmpty else { throw error("expected a value") }
            if let datetime = TOMLScalars.dateTime(word) { return scalar(datetime, .datetime) }
            if let integer = TOMLScalars.integer(word) { return scalar(integer, .integer) }
            if let float = TOMLScalars.float(word) { return scalar(float, .float) }
            let quoted = SecretName.holdsSecret(valueKey) ? "the value of \(valueKey)" : "'\(word)'"
            throw ConfigSyntaxError(line: startLine, column: startColumn, reason: "\(quoted) is not a TOML value (strings need quotes)")
        }
    }

    static func endsScalar(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ",")
            || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "#")
    }

    /// `1979-05-27 07:32:00`: a space between a date and a time is part of the value.
    static func isDateTimeSpace(_ bytes: [UInt8], _ index: Int) -> Bool {
        guard index >= 10, index + 2 < bytes.count else { return false }
        let date = bytes[(index - 10)..<index]
        return date[date.startIndex + 4] == UInt8(ascii: "-") && date[date.startIndex + 7] == UInt8(ascii: "-")
            && date.allSatisfy { $0 == UInt8(ascii: "-") || ($0 >= 0x30 && $0 <= 0x39) }
            && bytes[index + 1] >= 0x30 && bytes[index + 1] <= 0x39 && bytes[index + 2] >= 0x30 && bytes[index + 2] <= 0x39
    }

    mutating func array(depth: Int) throws(ConfigSyntaxError) -> [ConfigNode] {
        index += 1
        var items: [ConfigNode] = []
        while true {
            try skipArrayBlank()
            if current == UInt8(ascii: "]") { index += 1; return items }
            items.append(try value(depth: depth + 1))
            try skipArrayBlank()
            if current == UInt8(ascii: ",") { index += 1; continue }
            guard current == UInt8(ascii: "]") else { throw error("expected ',' or ']' in an array") }
            index += 1
            return items
        }
    }

    /// Blanks, newlines and comments, as allowed between array items.
    mutating func skipArrayBlank() throws(ConfigSyntaxError) {
        while let byte = current {
            switch byte {
            case 0x20, 0x09: index += 1
            case 0x0A: newline()
            case 0x0D where peek(1) == 0x0A: index += 1; newline()
            case UInt8(ascii: "#"): try comment()
            default: return
            }
        }
    }

    mutating func inlineTable(depth: Int, line startLine: Int, column startColumn: Int) throws(ConfigSyntaxError) -> ConfigNode {
        index += 1
        let table = TOMLTable(line: startLine, column: startColumn)
        // Inline tables are read with flags of their own: their keys are relative to the table.
        var inner = TOMLParser(bytes, sharing: self)
        inner.skipBlank()
        if inner.current == UInt8(ascii: "}") {
            inner.index += 1
            adopt(inner)
            return table.node()
        }
        while true {
            inner.skipBlank()
            try inner.keyValue(into: table, section: [], depth: depth + 1)
            inner.skipBlank()
            if inner.current == UInt8(ascii: ",") {
                inner.index += 1
                inner.skipBlank()
                if inner.current == UInt8(ascii: "}") { throw inner.error("an inline table may not end with a comma") }
                continue
            }
            guard inner.current == UInt8(ascii: "}") else {
                throw inner.error(inner.current == 0x0A || inner.current == 0x0D ? "an inline table must be written on one line" : "expected ',' or '}' in an inline table")
            }
            inner.index += 1
            adopt(inner)
            return table.node()
        }
    }

    /// A parser over the same text at the same place, with flags of its own (for an inline table).
    init(_ bytes: [UInt8], sharing outer: TOMLParser) {
        self.bytes = bytes
        index = outer.index
        line = outer.line
        lineStart = outer.lineStart
        counted = outer.counted
        countedColumn = outer.countedColumn
        root = TOMLTable(line: outer.line, column: 1)
    }

    mutating func adopt(_ inner: TOMLParser) {
        index = inner.index
        line = inner.line
        lineStart = inner.lineStart
        counted = inner.counted
        countedColumn = inner.countedColumn
    }

    /// A key/value pair inside an inline table: values may nest up to `depth`.
    mutating func keyValue(into table: TOMLTable, section: [String], depth: Int) throws(ConfigSyntaxError) {
        let (keyLine, keyColumn) = (line, column())
        let key = try keyPath()
        skipBlank()
        guard current == UInt8(ascii: "=") else { throw error("expected '=' after the key") }
        index += 1
        skipBlank()
        let outerKey = valueKey
        valueKey = key.last ?? ""
        let value = try value(depth: depth)
        valueKey = outerKey
        for end in 1..<key.count {
            let container = Array(key[..<end])
            if flags.isSet(container, .frozen) {
                throw ConfigSyntaxError(line: keyLine, column: keyColumn, reason: "'\(container.joined(separator: "."))' cannot be added to")
            }
        }
        let parent = try nest(Array(key.dropLast()), from: table, line: keyLine, column: keyColumn)
        let stem = key[key.count - 1]
        guard parent.entries[stem] == nil else {
            throw ConfigSyntaxError(line: keyLine, column: keyColumn, reason: "'\(key.joined(separator: "."))' is defined twice in an inline table")
        }
        if case .scalar = value.value {} else { flags.set(key, .frozen, recursive: true) }
        parent.set(stem, .value(value))
    }

    // MARK: Strings

    mutating func basicString() throws(ConfigSyntaxError) -> String {
        index += 1
        var out: [UInt8] = []
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            case 0x0A, 0x0D:
                throw error("a basic string may not span lines; use \"\"\" for that")
            default:
                if (byte < 0x20 && byte != 0x09) || byte == 0x7F { throw error("a control character in a string") }
                out.append(byte)
                index += 1
            }
        }
        throw error("unterminated string")
    }

    mutating func multilineBasicString() throws(ConfigSyntaxError) -> String {
        index += 3
        try trimFirstNewline()
        var out: [UInt8] = []
        while let byte = current {
            if byte == UInt8(ascii: "\""), at("\"\"\"") {
                var quotes = 3
                while peek(quotes) == UInt8(ascii: "\"") { quotes += 1 }
                guard quotes <= 5 else { throw error("too many quotes at the end of a multi-line string") }
                out += Array(repeating: UInt8(ascii: "\""), count: quotes - 3)
                index += quotes
                return String(decoding: out, as: UTF8.self)
            }
            switch byte {
            case UInt8(ascii: "\\"):
                if try lineEndingBackslash() { continue }
                try escape(into: &out)
            case 0x0A:
                out.append(byte)
                newline()
            case 0x0D:
                guard peek(1) == 0x0A else { throw error("a carriage return must be followed by a line feed") }
                out += [0x0D, 0x0A]
                index += 1
                newline()
            default:
                if (byte < 0x20 && byte != 0x09) || byte == 0x7F { throw error("a control character in a string") }
                out.append(byte)
                index += 1
            }
        }
        throw error("unterminated multi-line string")
    }

    /// A `\` followed by blanks and a newline: it and every blank and newline after it vanish.
    mutating func lineEndingBackslash() throws(ConfigSyntaxError) -> Bool {
        var probe = index + 1
        while probe < bytes.count, bytes[probe] == 0x20 || bytes[probe] == 0x09 { probe += 1 }
        guard probe < bytes.count, bytes[probe] == 0x0A || (bytes[probe] == 0x0D && probe + 1 < bytes.count && bytes[probe + 1] == 0x0A) else {
            return false
        }
        index = probe
        while let byte = current {
            if byte == 0x20 || byte == 0x09 { index += 1 } else if byte == 0x0A { newline() } else if byte == 0x0D, peek(1) == 0x0A { index += 1; newline() } else { break }
        }
        return true
    }

    mutating func trimFirstNewline() throws(ConfigSyntaxError) {
        if current == 0x0A { newline() } else if current == 0x0D, peek(1) == 0x0A { index += 1; newline() }
    }

    mutating func escape(into out: inout [UInt8]) throws(ConfigSyntaxError) {
        guard let code = peek(1) else { throw error("unterminated escape") }
        index += 2
        switch code {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let width = code == UInt8(ascii: "u") ? 4 : 8
            guard index + width <= bytes.count,
                  let value = UInt32(String(decoding: bytes[index..<(index + width)], as: UTF8.self), radix: 16),
                  bytes[index..<(index + width)].allSatisfy({ $0.isHexDigit }),
                  let scalar = Unicode.Scalar(value) else {
                throw error("\\\(code == UInt8(ascii: "u") ? "u" : "U") needs \(width) hex digits naming a Unicode scalar")
            }
            index += width
            out += Array(String(Character(scalar)).utf8)
        default:
            throw error("unknown escape \\\(String(decoding: [code], as: UTF8.self))")
        }
    }

    mutating func literalString() throws(ConfigSyntaxError) -> String {
        index += 1
        let start = index
        while let byte = current, byte != UInt8(ascii: "'") {
            if byte == 0x0A || byte == 0x0D { throw error("a literal string may not span lines; use ''' for that") }
            if (byte < 0x20 && byte != 0x09) || byte == 0x7F { throw error("a control character in a string") }
            index += 1
        }
        guard current == UInt8(ascii: "'") else { throw error("unterminated string") }
        index += 1
        return String(decoding: bytes[start..<(index - 1)], as: UTF8.self)
    }

    mutating func multilineLiteralString() throws(ConfigSyntaxError) -> String {
        index += 3
        try trimFirstNewline()
        var out: [UInt8] = []
        while let byte = current {
            if byte == UInt8(ascii: "'"), at("'''") {
                var quotes = 3
                while peek(quotes) == UInt8(ascii: "'") { quotes += 1 }
                guard quotes <= 5 else { throw error("too many quotes at the end of a multi-line string") }
                out += Array(repeating: UInt8(ascii: "'"), count: quotes - 3)
                index += quotes
                return String(decoding: out, as: UTF8.self)
            }
            if byte == 0x0A { out.append(byte); newline(); continue }
            if byte == 0x0D {
                guard peek(1) == 0x0A else { throw error("a carriage return must be followed by a line feed") }
                out += [0x0D, 0x0A]
                index += 1
                newline()
                continue
            }
            if (byte < 0x20 && byte != 0x09) || byte == 0x7F { throw error("a control character in a string") }
            out.append(byte)
            index += 1
        }
        throw error("unterminated multi-line string")
    }
}

extension UInt8 {
    var isASCIIAlphanumericByte: Bool { (self >= 0x30 && self <= 0x39) || (self | 0x20 >= 0x61 && self | 0x20 <= 0x7A) }
    var isHexDigit: Bool { (self >= 0x30 && self <= 0x39) || (self | 0x20 >= 0x61 && self | 0x20 <= 0x66) }
}
