import Glibc

/// zlib's one-call inflate, loaded with dlopen at first use (as libpq, libcurl and libcrypto are):
/// git's objects are zlib streams, and nothing is loaded for runs that read none.
struct LibZ: @unchecked Sendable {
    // @unchecked: a C function pointer, written once.
    typealias Uncompress2 = @convention(c) (UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt>?, UnsafePointer<UInt8>?,
                                            UnsafeMutablePointer<UInt>?) -> Int32
    let uncompress2: Uncompress2

    static let shared: LibZ? = {
        guard let handle = dlopen("libz.so.1", RTLD_NOW | RTLD_LOCAL), let symbol = dlsym(handle, "uncompress2") else { return nil }
        return LibZ(uncompress2: unsafeBitCast(symbol, to: Uncompress2.self))
    }()

    /// Inflates the zlib stream at the start of `source`; `expected` is the inflated size when
    /// known (git's pack entries say it), else the buffer grows until it fits. Nil for a stream
    /// that is not zlib or does not end.
    func inflate(_ source: UnsafeRawBufferPointer, expected: Int? = nil) -> [UInt8]? {
        var capacity = max(expected ?? source.count * 4, 64)
        for _ in 0..<12 {
            var output = [UInt8](repeating: 0, count: capacity)
            var outputLength = UInt(capacity)
            var sourceLength = UInt(source.count)
            let status = output.withUnsafeMutableBufferPointer { out in
                uncompress2(out.baseAddress, &outputLength, source.baseAddress?.assumingMemoryBound(to: UInt8.self), &sourceLength)
            }
            switch status {
            case 0:  // Z_OK
                output.removeSubrange(Int(outputLength)...)
                return output
            case -5 where expected == nil || Int(outputLength) >= capacity:  // Z_BUF_ERROR: the output did not fit
                capacity *= 4
            default:
                return nil
            }
        }
        return nil
    }
}
