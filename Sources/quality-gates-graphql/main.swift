import Foundation
import GraphQLDocuments
import GraphQLValidation
import JSON

// The GraphQL document validator that `quality-gates` spawns for graphql_documents checks: a
// ValidationRequest (JSON) on standard input, a ValidationResponse (JSON) on standard output.
// It is a process of its own because GraphQLSwift needs Foundation, whose start-up the main
// binary does not pay on runs without such a check.

/// Standard input, read with read(2): FileHandle.readDataToEndOfFile took 7 ms on a pipe.
func readStandardInput() -> [UInt8] {
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
    return bytes
}

do {
    let request = try ValidationRequest(json: JSONDocument(JSONReader.parse(readStandardInput())))
    guard let request else { throw JSONSyntaxError(line: 1, column: 1, reason: "not a validation request") }
    FileHandle.standardOutput.write(Data(DocumentValidator.validate(request).json.serialized(compact: true).utf8))
} catch {
    FileHandle.standardError.write(Data("quality-gates-graphql: the request is not valid: \(error)\n".utf8))
    exit(2)
}
