/// Where in an SDL a schema error belongs, when the error itself has no position: at the first
/// name it quotes, written as a name in the SDL (not in a comment or a string); for a name defined
/// twice, at the second definition; for an extension of a type that is not defined, at the extension.
enum SDLPlaces {
    /// The UTF-8 offset of the place, or nil when the message quotes no name the SDL holds.
    static func locate(_ message: String, in sdl: String) -> Int? {
        guard let name = quotedName(message) else { return nil }
        let occurrences = nameOffsets(name, in: Array(sdl.utf8))
        guard !occurrences.isEmpty else { return nil }
        if message.contains("There can be only one") {
            let bytes = Array(sdl.utf8)
            let definitions = occurrences.filter { definesName(at: $0, in: bytes) }
            if definitions.count > 1 { return definitions[1] }
        }
        if message.hasPrefix("Cannot extend") || message.contains("is not defined") {
            let bytes = Array(sdl.utf8)
            if let definition = occurrences.first(where: { definesName(at: $0, in: bytes) }) { return definition }
        }
        return occurrences[0]
    }

    /// Whether the name at `offset` follows a definition keyword (`type User`, `extend enum Role`).
    static func definesName(at offset: Int, in bytes: [UInt8]) -> Bool {
        var end = offset
        while end > 0, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        var start = end
        while start > 0, bytes[start - 1] | 0x20 >= 0x61 && bytes[start - 1] | 0x20 <= 0x7A { start -= 1 }
        let word = String(decoding: bytes[start..<end], as: UTF8.self)
        return ["type", "interface", "enum", "input", "union", "scalar"].contains(word)
    }

    /// The first `"Name"` in a message.
    static func quotedName(_ message: String) -> String? {
        let parts = message.split(separator: "\"", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return nil }
        let name = parts[1].hasPrefix("@") ? parts[1].dropFirst() : parts[1]
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !name.isEmpty ? String(name) : nil
    }

    /// Offsets where `name` stands as a whole name outside comments and strings.
    static func nameOffsets(_ name: String, in bytes: [UInt8]) -> [Int] {
        let wanted = Array(name.utf8)
        var offsets: [Int] = []
        var index = 0
        func isNameByte(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x5F
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "#") {
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
            } else if byte == UInt8(ascii: "\"") {
                let block = index + 2 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") && bytes[index + 2] == UInt8(ascii: "\"")
                index += block ? 3 : 1
                while index < bytes.count {
                    if block, index + 2 < bytes.count, bytes[index] == UInt8(ascii: "\""), bytes[index + 1] == UInt8(ascii: "\""), bytes[index + 2] == UInt8(ascii: "\"") {
                        index += 3
                        break
                    }
                    if !block, bytes[index] == UInt8(ascii: "\"") { index += 1; break }
                    if !block, bytes[index] == 0x0A { break }
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
            } else if isNameByte(byte) {
                let start = index
                while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
                if bytes[start..<index].elementsEqual(wanted) { offsets.append(start) }
            } else {
                index += 1
            }
        }
        return offsets
    }
}
