import FoundationEssentials
import GraphQLDocuments
import ProjectFiles
import TextSearch

/// The schema of this change against a baseline (the deployed one), every change classified as
/// graphql-core classifies it; with the frontend's documents, a breaking change fails only when an
/// operation uses what it breaks.
struct GraphQLDiffCheck: Check {
    static let description = CheckDescription(
        kind: "graphql_diff",
        summary: "The schema of this change against a baseline schema, every change classified BREAKING, DANGEROUS or SAFE as GraphQL's reference implementation (graphql-core's find_breaking_changes and find_dangerous_changes) classifies it, each named by its schema coordinate (`BREAKING Query.user(id:): argument type changed from ID to ID!`). Without `documents`, a breaking change fails and a dangerous one warns; with them, a breaking change fails only when an operation of the frontend uses what it breaks, named with its file:line:column, and the rest warn; an operation that uses a field the new schema deprecates warns.",
        parameters: [
            ParameterDoc("sdl", "path", "The schema of this change in SDL. \(ParameterDoc.pathForms); the first match is read. Or `sdl_command`."),
            ParameterDoc("sdl_command", "string or mapping", "A command whose standard output is this change's schema in SDL (`python -m strawberry export-schema app.schema:schema`), as graphql_schema takes it."),
            ParameterDoc("url", "URL", "Or this change's schema read from a GraphQL endpoint by introspection (staging only: on the build target the check is skipped), with `headers`."),
            ParameterDoc("headers", "mapping", "Request headers for `url`."),
            ParameterDoc("baseline", "path, git:REF:PATH or history:TARGET", required: true, "The schema to compare against, in SDL: a file of the project (\(ParameterDoc.pathForms); the first match is read); `git:REF:PATH`, the file as a commit, branch or tag of the project's repository holds it (`git:origin/main:NestSync-backend/schema.graphql`; PATH from the repository's root), read from git's own files without running git; or `history:staging`, the deployed schema as the last staging run recorded it (a run whose graphql_documents check introspects the endpoint records the schema each time it changes)."),
            ParameterDoc("documents", "paths", "The frontend's files and folders, read as graphql_documents reads them: with them, a breaking change fails only when an operation uses what it breaks (the operations are read against the baseline, the schema they were written for)."),
            ParameterDoc("manifests", "boolean or list of apps", "Also count the operations of shipped app versions that `quality-gates manifest record` kept in the run history (`true`: every app; or a list: `[mobile]`); a breaking change one of them uses fails and names the version (`mobile@2.1.0`). Retired versions (`manifest retire`) do not count."),
            ParameterDoc("max_age", "days", "With `manifests`: only versions recorded in the last so many days count (`180`, `180d`)."),
            .optional, .exclude,
        ],
        defaultTargets: [.build, .staging],
        // `use_token` reads the token a sign-in it needs hands on, so it starts after that sign-in.
        readsHandoff: true,
        examples: [
            CheckExample("""
                kind: graphql_diff
                sdl: schema.graphql
                baseline: deployed.graphql
                """, files: ["deployed.graphql": "type Query { me: User }\ntype User { id: ID! }\n",
                             "schema.graphql": "type Query { me: User }\ntype User { id: ID! name: String }\n"], .passes),
            CheckExample("""
                kind: graphql_diff
                sdl: schema.graphql
                baseline: deployed.graphql
                """, files: ["deployed.graphql": sampleBaseline, "schema.graphql": sampleBaseline.replacingAll("getAnalyticsDashboard", with: "getAnalyticsOverview")],
                .fails("BREAKING Query.getAnalyticsDashboard: field removed")),
            CheckExample("""
                kind: graphql_diff
                sdl: schema.graphql
                baseline: deployed.graphql
                """, files: ["deployed.graphql": sampleBaseline, "schema.graphql": sampleBaseline.replacingAll("ADMIN PARENT", with: "ADMIN PARENT GUEST")],
                .warns("DANGEROUS Role.GUEST: enum value added")),
            CheckExample("""
                kind: graphql_diff
                sdl: schema.graphql
                baseline: deployed.graphql
                documents: [src]
                """, files: ["deployed.graphql": sampleBaseline, "schema.graphql": sampleBaseline.replacingAll("getAnalyticsDashboard", with: "getAnalyticsOverview"),
                             "src/analytics.ts": "export const Q = gql`\n  query GetAnalyticsDashboard($childId: ID!) {\n    getAnalyticsDashboard(childId: $childId) { total }\n  }\n`;\n"],
                .fails("BREAKING Query.getAnalyticsDashboard: field removed; GetAnalyticsDashboard at src/analytics.ts:3:5 selects Query.getAnalyticsDashboard")),
            CheckExample("""
                kind: graphql_diff
                sdl: schema.graphql
                baseline: deployed.graphql
                documents: [src]
                """, files: ["deployed.graphql": sampleBaseline, "schema.graphql": sampleBaseline.replacingAll("getAnalyticsDashboard", with: "getAnalyticsOverview"),
                             "src/me.ts": "export const Q = gql`query Me { me { id } }`;\n"],
                .warns("1 breaking change, used by none of the frontend's 1 operation: BREAKING Query.getAnalyticsDashboard: field removed")),
            CheckExample("""
                kind: graphql_diff
                sdl: schema.graphql
                baseline: deployed.graphql
                documents: [src]
                """, files: ["deployed.graphql": sampleBaseline, "schema.graphql": sampleBaseline.replacingAll("me: User", with: "me: User @deprecated(reason: \"use viewer\")"),
                             "src/me.graphql": "query Me {\n  me { id }\n}\n"],
                .warns("Me at src/me.graphql:2:3 selects Query.me, which the new schema deprecates")),
            CheckExample("""
                kind: graphql_diff
                sdl: schema.graphql
                baseline: deployed.graphql
                """, files: ["deployed.graphql": "type Query {\n  me: User\n", "schema.graphql": sampleBaseline], .errors("deployed.graphql:3:1: Syntax Error")),
            CheckExample("""
                kind: graphql_diff
                sdl: schema.graphql
                baseline: "history:production"
                """, .invalid("write history:staging (or history:build)")),
            CheckExample("""
                kind: graphql_diff
                sdl: schema.graphql
                baseline: "git:origin/main"
                """, .invalid("write git:REF:PATH")),
        ]
    )

    static let sampleBaseline = """
        type Query {
          me: User
          getAnalyticsDashboard(childId: ID!): Analytics
        }
        type User { id: ID! role: Role }
        type Analytics { total: Int }
        enum Role { ADMIN PARENT }

        """

    /// Where the baseline is read.
    enum Baseline: Sendable {
        case file(PathQuery)
        case git(ref: String, path: String)
        /// The newest schema a run of the target recorded (a staging run that introspected it).
        case history(target: String)
    }

    let source: GraphQLSchemaSource
    let baseline: Baseline
    let documents: PathQuery?
    /// The apps whose shipped versions count (empty: every app), or nil when none count.
    let manifestApps: Set<String>?
    /// In seconds.
    let maxAge: Double?

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        let written = try parameters.strings("baseline")
        if let first = written?.first, first.hasPrefix("history:") {
            let target = String(first.dropFirst("history:".count))
            guard written?.count == 1, Target(rawValue: target) != nil else {
                throw parameters.invalid("baseline", "'\(first)': write history:staging (or history:build), the target whose runs recorded the schema")
            }
            baseline = .history(target: target)
        } else if let first = written?.first, first.hasPrefix("git:") {
            let rest = first.dropFirst(4)
            guard written?.count == 1, let colon = rest.firstIndex(of: ":"), colon != rest.startIndex, rest.index(after: colon) != rest.endIndex else {
                throw parameters.invalid("baseline", "'\(first)': write git:REF:PATH, such as git:origin/main:backend/schema.graphql")
            }
            baseline = .git(ref: String(rest[..<colon]), path: String(rest[rest.index(after: colon)...]))
        } else {
            baseline = .file(try parameters.requiredPaths("baseline"))
        }
        source = try GraphQLSchemaSource.read(&parameters, introspectionQuery: GraphQLDocumentsCheck.introspectionQuery)
        documents = try parameters.paths("documents")
        switch try parameters.strings("manifests") {
        case nil, ["false"]?: manifestApps = nil
        case ["true"]?: manifestApps = []
        case let apps?: manifestApps = Set(apps)
        }
        if let written = try parameters.string("max_age") {
            let digits = written.hasSuffix("d") ? String(written.dropLast()) : written
            guard let days = Double(digits.trimmingCharacters(in: " ")), days > 0, days.isFinite else {
                throw parameters.invalid("max_age", "'\(written)': a number of days, such as 180 or 180d")
            }
            guard manifestApps != nil else { throw parameters.invalid("max_age", "max_age limits manifests: set manifests too") }
            maxAge = days * 86_400
        } else {
            maxAge = nil
        }
        _ = try parameters.bool("optional")
    }

    struct Observation {
        let old: SchemaDocument
        let new: SchemaDocument
        let baselineName: String
        let newName: String
        /// The frontend's documents, when `documents` is given.
        let frontend: FrontendDocuments?
        /// The shipped versions that count, when `manifests` is given.
        var shipped: [HistoryStore.Manifest]? = nil
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> Observation {
        let (baselineName, oldBytes) = try readBaseline(context)
        let (newName, newBytes) = try newSchema(context)
        let old = try Self.parse(oldBytes, name: baselineName)
        let new = try Self.parse(newBytes, name: newName)
        var frontend: FrontendDocuments?
        if let documents {
            let found = try documents.find(context, kinds: [.file, .directory])
            do {
                frontend = try FrontendDocuments.collect(found.map(\.path), root: context.projectRoot.path,
                                                         finder: context.finder(excluding: documents.excluded))
            } catch {
                throw CheckStop(.errored(error.message))
            }
        }
        var observation = Observation(old: old, new: new, baselineName: baselineName, newName: newName, frontend: frontend)
        if let apps = manifestApps {
            guard let history = context.history else {
                throw CheckStop(.errored("manifests are kept in the run history, and this run has none (--history none); give --history, or drop manifests"))
            }
            let oldest = maxAge.map { Date().timeIntervalSince1970 - $0 }
            do {
                observation.shipped = try history.manifests().filter { manifest in
                    (apps.isEmpty || apps.contains(manifest.app)) && oldest.map { manifest.recordedAt >= $0 } != false
                }
            } catch {
                throw CheckStop(.errored("the app versions in the history: \(error.message)"))
            }
        }
        return observation
    }

    /// This change's schema as SDL: a file, a command's output, or an endpoint's introspection.
    private func newSchema(_ context: CheckContext) throws(CheckStop) -> (name: String, bytes: [UInt8]) {
        guard case .endpoint(let request, let useToken) = source else { return try source.sdlText(context) }
        let response = try GraphQLSchemaSource.introspect(request, useToken: useToken, context)
        _ = try GraphQLSchemaSource.introspectionData(response, endpoint: source.name)
        do {
            return (source.name, Array(try IntrospectionSchema.sdl(fromJSON: response.body).utf8))
        } catch {
            throw CheckStop(.errored("\(source.name): \(error.message)"))
        }
    }

    private func readBaseline(_ context: CheckContext) throws(CheckStop) -> (name: String, bytes: [UInt8]) {
        switch baseline {
        case .file(let paths):
            let name = try paths.first(context).path
            do {
                return (name, try FileReader.read(context.url(for: name), display: name))
            } catch {
                throw CheckStop(.errored(error.description))
            }
        case .history(let target):
            let name = "the \(target) schema recorded in the history"
            guard let history = context.history else {
                throw CheckStop(.errored("baseline history:\(target): this run keeps no history (--history none)"))
            }
            let recorded: [HistoryStore.RecordedSchema]
            do {
                recorded = try history.schemas(target: target, limit: 1)
            } catch {
                throw CheckStop(.errored("baseline history:\(target): \(error.message)"))
            }
            guard let newest = recorded.first else {
                throw CheckStop(.errored("baseline history:\(target): no schema recorded yet; a \(target) run whose graphql_documents check introspects the endpoint (url) records it"))
            }
            return ("\(name) (\(Timestamp.iso8601(Date(timeIntervalSince1970: newest.recordedAt))))", Array(newest.sdl.utf8))
        case .git(let ref, let path):
            let name = "git:\(ref):\(path)"
            guard let repository = GitObjects(containing: context.projectRoot.path) else {
                throw CheckStop(.errored("\(name): no git repository holds the project root \(context.projectRoot.path)"))
            }
            do {
                return (name, try repository.file(path, at: ref))
            } catch {
                throw CheckStop(.errored("\(name): \(error.description)"))
            }
        }
    }

    private static func parse(_ bytes: [UInt8], name: String) throws(CheckStop) -> SchemaDocument {
        do {
            return try SchemaDocument.parse(bytes)
        } catch {
            throw CheckStop(.errored("\(name):\(error.line):\(error.column): \(error.message)"))
        }
    }

    func judge(_ observed: Observation) -> CheckResult {
        let changes = SchemaDiff.changes(from: observed.old, to: observed.new)
        let breaking = changes.filter { $0.level == .breaking }, dangerous = changes.filter { $0.level == .dangerous }
        let details = changes.sorted { $0.level < $1.level }.map(\.message)
        let against = "\(observed.newName) against \(observed.baselineName)"
        guard observed.frontend != nil || observed.shipped != nil else {
            let findings = (breaking + dangerous).map { place($0, observed) }
            if !breaking.isEmpty {
                return .failed(summary(breaking, "breaking") + " in \(against)", details: details, findings: findings)
            }
            if !dangerous.isEmpty { return .warned(summary(dangerous, "dangerous") + " in \(against)", details: details, findings: findings) }
            return .passed("no breaking or dangerous change in \(against)" + safeNote(changes), details: details)
        }
        let documents = observed.frontend?.documents ?? []
        let texts = documents.map(\.template.text)
        let uses = OperationUsage.uses(of: observed.old, in: texts)
        // Each shipped version's operations, by the operation each stored document is for.
        let shippedUses: [(label: String, use: OperationUse)] = (observed.shipped ?? []).flatMap { manifest in
            manifest.operations.flatMap { operation in
                OperationUsage.uses(of: observed.old, in: [operation.document]).filter { $0.operation == operation.name }
                    .map { ("\(manifest.app)@\(manifest.version)", $0) }
            }
        }
        let operations = Set(uses.map(\.operation)).count
        func where_(_ use: OperationUse) -> (file: String, line: Int, column: Int) {
            let document = documents[use.document]
            let position = document.template.filePosition(line: use.line, column: use.column)
            return (document.file, position.line, position.column)
        }
        var hits: [(change: SchemaChange, use: OperationUse)] = []
        var shippedHits: [(change: SchemaChange, label: String, use: OperationUse)] = []
        var unused: [SchemaChange] = []
        for change in breaking {
            if let use = uses.first(where: { OperationUsage.touches($0, change.usedBy, in: observed.old) }) {
                hits.append((change, use))
            } else if let shipped = shippedUses.first(where: { OperationUsage.touches($0.use, change.usedBy, in: observed.old) }) {
                shippedHits.append((change, shipped.label, shipped.use))
            } else {
                unused.append(change)
            }
        }
        var deprecatedUses: [String] = []
        var seenDeprecated: Set<String> = []
        for use in uses {
            guard case .field(let type, let field) = use.key, observed.new.type(named: type)?.fields.first(where: { $0.name == field })?.deprecated == true,
                  observed.old.type(named: type)?.fields.first(where: { $0.name == field })?.deprecated != true else { continue }
            let place = where_(use)
            let text = "\(use.operation) at \(place.file):\(place.line):\(place.column) selects \(type).\(field), which the new schema deprecates"
            if seenDeprecated.insert(text).inserted { deprecatedUses.append(text) }
        }
        let findings = hits.map { hit -> Finding in
            let place = where_(hit.use)
            return Finding(file: place.file, line: place.line, column: place.column, message: hit.change.message)
        } + shippedHits.map { hit -> Finding in
            // A shipped version has no file here: the change is placed in the schema.
            var finding = place(hit.change, observed)
            finding.message += " (used by \(hit.label)'s \(hit.use.operation))"
            return finding
        }
        let more = hits.count + shippedHits.count > 1 ? " (and \(hits.count + shippedHits.count - 1) more used)" : ""
        if let first = hits.first {
            let place = where_(first.use)
            return .failed("\(first.change.message); \(first.use.operation) at \(place.file):\(place.line):\(place.column) \(first.use.verb) \(describe(first.use.key))\(more)",
                           details: details + deprecatedUses, findings: findings)
        }
        if let first = shippedHits.first {
            return .failed("\(first.change.message); \(first.label)'s \(first.use.operation) \(first.use.verb) \(describe(first.use.key)) (a shipped version)\(more)",
                           details: details + deprecatedUses, findings: findings)
        }
        var warnings: [String] = []
        if !unused.isEmpty {
            let shippedCount = observed.shipped.map { " and of \(count($0.count, "shipped version"))" } ?? ""
            warnings.append("\(count(unused.count, "breaking change")), used by none of the frontend's \(count(operations, "operation"))\(shippedCount): "
                            + unused.prefix(3).map(\.message).joined(separator: "; ") + (unused.count > 3 ? "; …" : ""))
        }
        if !dangerous.isEmpty { warnings.append(summary(dangerous, "dangerous")) }
        warnings += deprecatedUses
        if !warnings.isEmpty { return .warned(warnings.joined(separator: "; "), details: details) }
        return .passed("no breaking or dangerous change in \(against) for the frontend's \(count(operations, "operation"))" + safeNote(changes), details: details)
    }

    private func summary(_ changes: [SchemaChange], _ level: String) -> String {
        "\(count(changes.count, "\(level) change")): " + changes.prefix(3).map(\.message).joined(separator: "; ") + (changes.count > 3 ? "; …" : "")
    }

    private func safeNote(_ changes: [SchemaChange]) -> String {
        let safe = changes.filter { $0.level == .safe }.count
        return safe == 0 ? "" : " (\(count(safe, "safe change")))"
    }

    private func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }

    private func describe(_ key: UsageKey) -> String {
        switch key {
        case .type(let name): name
        case .field(let type, let field): "\(type).\(field)"
        case .argument(let type, let field, let argument): "\(type).\(field)(\(argument):)"
        case .enumValue(let type, let value): "\(type).\(value)"
        case .none: "the schema"
        }
    }

    /// Where a change is: in the new schema when the coordinate is still there, else in the baseline.
    private func place(_ change: SchemaChange, _ observed: Observation) -> Finding {
        let coordinate = change.coordinate
        let typeName = String(coordinate.prefix { $0 != "." && $0 != "(" })
        let fieldName = coordinate.contains(".") ? String(coordinate.drop { $0 != "." }.dropFirst().prefix { $0 != "(" }) : nil
        for (document, file) in [(observed.new, observed.newName), (observed.old, observed.baselineName)] {
            guard let type = document.types[typeName] else { continue }
            if let fieldName, let field = type.fields.first(where: { $0.name == fieldName }) {
                return Finding(file: file, line: field.line, column: field.column, message: change.message)
            }
            if let fieldName, let input = type.inputFields.first(where: { $0.name == fieldName }) {
                return Finding(file: file, line: input.line, column: input.column, message: change.message)
            }
            return Finding(file: file, line: type.line, column: type.column, message: change.message)
        }
        return Finding(file: observed.newName, line: 1, message: change.message)
    }
}
