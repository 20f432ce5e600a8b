import Foundation
import GraphQLValidation

// The GraphQL document validator that `quality-gates` spawns for graphql_documents checks: a
// ValidationRequest (JSON) on standard input, a ValidationResponse (JSON) on standard output.
// It is a process of its own because GraphQLSwift needs Foundation, whose start-up the main
// binary does not pay on runs without such a check.

/// Standard input, read with read(2): FileHandle.readDataToEndOfFile took 7 ms on a pipe.
func readStandardInput() -> Data {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = read(0, &buffer, buffer.count)
        if count > 0 {
            bytes += buffer[0..<count]
        } else if count == 0 || errno != EINTR {
            break
        }
    }
    return Data(bytes)
}

do {
    let request = try JSONDecoder().decode(ValidationRequest.self, from: readStandardInput())
    let response = DocumentValidator.validate(request)
    FileHandle.standardOutput.write(try JSONEncoder().encode(response))
} catch {
    FileHandle.standardError.write(Data("quality-gates-graphql: the request is not valid: \(error)\n".utf8))
    exit(2)
}
