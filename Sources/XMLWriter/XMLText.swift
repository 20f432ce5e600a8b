/// Text made safe for XML 1.0: what the standard forbids, and terminal escape sequences, removed.
public enum XMLText {
    /// `text` without ANSI escape sequences and without characters XML 1.0 does not allow
    /// (control characters other than tab, newline and carriage return; U+FFFE and U+FFFF).
    public static func sanitized(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            if scalar == "\u{1B}" {
                pending = skipEscapeSequence(introducer: pending, rest: &scalars)
                continue
            }
            if isAllowed(scalar) { result.append(scalar) }
        }
        return String(result)
    }

    /// True when XML 1.0's `Char` production admits the scalar.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// Consumes a CSI (`ESC [ … final`) or OSC (`ESC ] … BEL|ESC \`) sequence, or the one character
    /// after a lone ESC; returns the first scalar after it.
    private static func skipEscapeSequence(introducer: Unicode.Scalar?,
                                           rest: inout String.UnicodeScalarView.Iterator) -> Unicode.Scalar? {
        switch introducer {
        case "[":
            while let next = rest.next() {
                if (0x40...0x7E).contains(next.value) { return rest.next() }
            }
            return nil
        case "]":
            var previous: Unicode.Scalar?
            while let next = rest.next() {
                if next == "\u{07}" || (previous == "\u{1B}" && next == "\\") { return rest.next() }
                previous = next
            }
            return nil
        case nil:
            return nil
        default:
            return rest.next()
        }
    }
}
