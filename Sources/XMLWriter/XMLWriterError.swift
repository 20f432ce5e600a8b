/// A libxml2 call that failed, named by the function.
public struct XMLWriterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The libxml2 function that reported the failure.
    public let function: String
    /// libxml2's own message, when it left one.
    public let message: String

    public var description: String { "\(function) failed: \(message)" }
}
