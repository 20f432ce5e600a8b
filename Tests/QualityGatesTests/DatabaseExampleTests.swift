import Testing
@testable import QualityGates

extension DatabaseGateTests {
    @Test("each database example behaves as it says, against the test PostgreSQL",
          arguments: CheckExamplesTests.all.filter { $0.example.needsDatabase })
    func databaseExample(_ labelled: CheckExamplesTests.LabelledExample) async throws {
        try await CheckExamplesTests().check(labelled, environment: labelled.example.environment.merging(["DATABASE_URL": TestDatabase.appURL()]) { $1 })
    }
}
