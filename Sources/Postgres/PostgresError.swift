/// Why a connection or a query failed, classified for a responder.
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The class of failure.
    public enum Kind: String, Sendable, Equatable {
        /// Nothing listens at the address (ECONNREFUSED).
        case refused
        /// The host name does not resolve.
        case dns
        /// No answer within the connect timeout.
        case timeout
        /// The password (or other credential) was refused (28P01, 28000).
        case authentication
        /// The database does not exist (3D000).
        case databaseMissing
        /// Every connection slot is taken (53300): the pool is exhausted.
        case tooManyClients
        /// TLS was required and refused, or the certificate was rejected.
        case tls
        /// The connection string cannot be parsed.
        case badConnectionString
        /// Any other failure to connect.
        case connection
        /// The server refused a statement; `sqlstate` says why.
        case query
        /// The statement ran past its deadline and was cancelled.
        case cancelled
    }

    /// The class.
    public let kind: Kind
    /// The five-character SQLSTATE, when the server sent one.
    public let sqlstate: String?
    /// libpq's or the server's message, on one line.
    public let message: String
    /// The server the error concerns (`host:port/database`), without credentials.
    public let target: String

    /// An error.
    public init(_ kind: Kind, sqlstate: String? = nil, message: String, target: String) {
        self.kind = kind
        self.sqlstate = sqlstate
        self.message = message
        self.target = target
    }

    public var description: String {
        let state = sqlstate.map { " [\($0)]" } ?? ""
        return "\(target): \(message)\(state)"
    }
}
