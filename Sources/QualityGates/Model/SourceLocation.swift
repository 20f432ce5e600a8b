/// A place in a file, 1-based; printed as `file:line:column` (or `file:line` without a column).
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file as the user named it (relative paths stay relative).
    public var file: String
    /// Line number, starting at 1; 0 when unknown.
    public var line: Int
    /// Column number, starting at 1; 0 when unknown.
    public var column: Int

    /// A location; pass 0 for a line or column that is not known.
    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        guard line > 0 else { return file }
        return column > 0 ? "\(file):\(line):\(column)" : "\(file):\(line)"
    }
}
