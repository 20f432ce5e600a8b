import Foundation
import GraphQLValidation

// The GraphQL document validator that `quality-gates` spawns for graphql_documents checks: a
// ValidationRequest (JSON) on standard input, a ValidationResponse (JSON) on standard output.
// It is a process of its own because GraphQLSwift needs Foundation, whose start-up the main
// binary does not pay on runs without such a check.
let input = FileHandle.standardInput.readDataToEndOfFile()
do {
    let request = try JSONDecoder().decode(ValidationRequest.self, from: input)
    let response = DocumentValidator.validate(request)
    FileHandle.standardOutput.write(try JSONEncoder().encode(response))
} catch {
    FileHandle.standardError.write(Data("quality-gates-graphql: the request is not valid: \(error)\n".utf8))
    exit(2)
}
