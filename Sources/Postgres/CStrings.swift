import Glibc

/// Arrays of C strings for libpq's keyword/value and parameter arrays, alive only inside `body`.
func withCStringArrays<R>(_ keywords: [String], _ values: [String],
                          _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let keywordCopies = keywords.map { strdup($0) }
    let valueCopies = values.map { strdup($0) }
    defer {
        keywordCopies.forEach { free($0) }
        valueCopies.forEach { free($0) }
    }
    // Both arrays end with NULL, as libpq requires.
    let keywordPointers = keywordCopies.map { UnsafePointer($0) } + [nil]
    let valuePointers = valueCopies.map { UnsafePointer($0) } + [nil]
    return keywordPointers.withUnsafeBufferPointer { k in
        valuePointers.withUnsafeBufferPointer { v in body(k.baseAddress!, v.baseAddress!) }
    }
}

/// Parameter values as C strings; nil stays a NULL pointer (SQL NULL).
func withOptionalCStrings<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    let copies = strings.map { $0.map { strdup($0) } ?? nil }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { $0.map { UnsafePointer($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}
