import ArgumentParser
import FoundationEssentials
import GraphQLDocuments
import ProjectFiles
import QualityGates

/// The operations of shipped app versions, kept in the run history, so that graphql_diff knows
/// what phones still send after the frontend has moved on.
struct ManifestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifest",
        abstract: "Record, list and retire the GraphQL operations of shipped app versions (for graphql_diff's `manifests`).",
        subcommands: [Record.self, List.self, Retire.self]
    )

    struct Location: ParsableArguments {
        @Option(help: ArgumentHelp("The run history to keep them in: a SQLite file or a postgres:// URL.", valueName: "file|url"))
        var history = "reports/history.sqlite"

        func open() throws -> HistoryStore {
            do {
                if !HistoryStore.isDatabaseURL(history) { try ReportFiles.makeFolder(for: history) }
                return try HistoryStore(location: history)
            } catch let error as HistoryStore.Problem {
                Console.error("error: \(error.message)")
                throw ExitCode(2)
            } catch {
                Console.error("error: \(error)")
                throw ExitCode(2)
            }
        }
    }

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store the operations of an app version as it ships: each named operation with its fragments, normalized, and a hash.")

        @Option(help: "The app (mobile, web, …).")
        var app: String

        @Option(name: .customLong("version"), help: "The version that ships (2.1.0).")
        var appVersion: String

        @Option(help: ArgumentHelp("The frontend's files and folders, read as graphql_documents reads them (repeatable).", valueName: "path"))
        var documents: [String] = ["."]

        @Option(help: ArgumentHelp("The folder the documents are relative to.", valueName: "dir"))
        var projectRoot = "."

        @OptionGroup var location: Location

        func run() throws {
            let frontend: FrontendDocuments
            do {
                frontend = try FrontendDocuments.collect(documents, root: projectRoot)
            } catch {
                Console.error("error: \(error.message)")
                throw ExitCode(2)
            }
            let operations = OperationUsage.shipped(frontend).map { HistoryStore.ManifestOperation(name: $0.name, document: $0.document, hash: StableHashText.hex($0.document)) }
            guard !operations.isEmpty else {
                Console.error("error: no named GraphQL operations in \(documents.joined(separator: ", ")) (\(frontend.files) files read); name the folders that hold the app's operations")
                throw ExitCode(2)
            }
            let store = try location.open()
            defer { store.close() }
            do {
                try store.recordManifest(app: app, version: appVersion, operations: operations, at: Date().timeIntervalSince1970)
            } catch {
                Console.error("error: \(error.message)")
                throw ExitCode(2)
            }
            Console.out("recorded \(app)@\(appVersion): \(operations.count) operation\(operations.count == 1 ? "" : "s") from \(frontend.files) files in \(store.location)\n")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The recorded app versions, newest first, with their operations.")

        @Flag(help: "Show retired versions too.")
        var all = false

        @OptionGroup var location: Location

        func run() throws {
            let store = try location.open()
            defer { store.close() }
            let manifests: [HistoryStore.Manifest]
            do {
                manifests = try store.manifests(includeRetired: all)
            } catch {
                Console.error("error: \(error.message)")
                throw ExitCode(2)
            }
            guard !manifests.isEmpty else {
                Console.out("no app versions recorded in \(store.location); record one with: quality-gates manifest record --app mobile --version 2.1.0 --documents src\n")
                return
            }
            for manifest in manifests {
                let recorded = Timestamp.iso8601(Date(timeIntervalSince1970: manifest.recordedAt))
                Console.out("\(manifest.app)@\(manifest.version)\(manifest.retired ? " (retired)" : ""), recorded \(recorded): "
                            + manifest.operations.map(\.name).joined(separator: ", ") + "\n")
            }
        }
    }

    struct Retire: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark an app version as no longer installed: graphql_diff stops counting its operations.")

        @Option(help: "The app.")
        var app: String

        @Option(name: .customLong("version"), help: "The version no longer in use.")
        var appVersion: String

        @OptionGroup var location: Location

        func run() throws {
            let store = try location.open()
            defer { store.close() }
            do {
                guard try store.retireManifest(app: app, version: appVersion, at: Date().timeIntervalSince1970) else {
                    Console.error("error: no live version \(app)@\(appVersion) in \(store.location) (quality-gates manifest list --all shows them)")
                    throw ExitCode(2)
                }
            } catch let error as HistoryStore.Problem {
                Console.error("error: \(error.message)")
                throw ExitCode(2)
            }
            Console.out("retired \(app)@\(appVersion)\n")
        }
    }
}
