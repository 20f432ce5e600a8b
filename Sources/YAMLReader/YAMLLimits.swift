/// Bounds that keep a hostile YAML source from exhausting memory, stack or time.
public struct YAMLLimits: Sendable {
    /// The largest source accepted, in bytes.
    public var maxBytes: Int
    /// The deepest nesting of lists and mappings.
    public var maxDepth: Int
    /// The most nodes the document may expand to, counting every alias as a copy of its anchor.
    public var maxNodes: Int

    /// Limits; the defaults fit any hand-written configuration with a wide margin.
    public init(maxBytes: Int = 4 << 20, maxDepth: Int = 64, maxNodes: Int = 200_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }
}
