import ConfigFiles
import FoundationEssentials
import ProjectFiles
import YAMLReader

/// Loads gate files strictly: every problem found is returned, each with file:line:column, so
/// `lint` can list them all at once. A configuration comes back only when there are none.
public enum GateFileLoader {
    static let topLevelKeys = ["version", "secrets", "alerts", "gates"]
    static let gateKeys = ["title", "severity", "response_time", "escalation", "runbook", "every", "consecutive", "checks"]

    /// Reads and loads the gate files at `paths` (as named by the user).
    public static func load(paths: [String], options: LoadOptions) -> Result<GateConfiguration, LoadErrors> {
        var sources: [(String, [UInt8])] = []
        var errors: [ConfigError] = []
        for path in paths {
            switch read(path) {
            case .success(let bytes): sources.append((path, bytes))
            case .failure(let error): errors.append(error)
            }
        }
        return load(sources: sources, options: options, earlierErrors: errors)
    }

    /// Loads gate files from memory: each source is a display name and its bytes.
    public static func load(sources: [(name: String, bytes: [UInt8])], options: LoadOptions,
                            earlierErrors: [ConfigError] = []) -> Result<GateConfiguration, LoadErrors> {
        var errors = earlierErrors
        var gates: [(id: String, gate: PartialGate)] = []
        var firstPlace: [String: SourceLocation] = [:]
        var secrets: Set<String> = []
        var alerts: AlertPolicy?
        for source in sources {
            for partial in loadFile(source.name, source.bytes, options: options, secrets: &secrets, alerts: &alerts, errors: &errors) {
                if let first = firstPlace[partial.id] {
                    errors.append(ConfigError(.duplicateGate(partial.id, first: first), at: partial.location))
                    continue
                }
                firstPlace[partial.id] = partial.location
                gates.append((partial.id, partial))
            }
        }
        let broken = Set(gates.flatMap { gate in gate.gate.brokenChecks.map { CheckReference(gate: gate.id, check: $0) } })
        let resolved = NeedsResolver.resolve(gates.map { (id: $0.id, checks: $0.gate.checks) }, broken: broken, errors: &errors)
        errors += selectionErrors(options.selection, known: gates.map(\.id))
        guard errors.isEmpty else { return .failure(LoadErrors(errors: errors)) }
        let finished = gates.map { $0.gate.finished(checks: resolved[$0.id] ?? []) }
        return .success(GateConfiguration(gates: finished, secretNames: secrets, files: sources.map(\.name), alerts: alerts))
    }

    private static func read(_ path: String) -> Result<[UInt8], ConfigError> {
        let place = SourceLocation(file: path)
        let limit = YAMLLimits().maxBytes
        // Refuse an oversized file before reading it, so a 50 MB file costs nothing.
        if FileSystem.kind(of: path) == .file, let size = FileSystem.size(of: path), size > limit {
            return .failure(ConfigError(.yaml(YAMLError.tooLarge(bytes: size, limit: limit).problem), at: place))
        }
        do {
            return .success(try FileReader.read(URL(fileURLWithPath: path), display: path, limit: limit))
        } catch {
            let reason = switch error {
            case .missing: "no such file"
            case .folder: "is a folder, not a gate file"
            case .tooLarge: YAMLError.tooLarge(bytes: limit + 1, limit: limit).problem
            case .unreadable(_, let why): why
            }
            return .failure(ConfigError(.cannotRead(reason: reason), at: place))
        }
    }

    private static func loadFile(_ file: String, _ bytes: [UInt8], options: LoadOptions, secrets: inout Set<String>,
                                 alerts: inout AlertPolicy?, errors: inout [ConfigError]) -> [PartialGate] {
        let root: YAMLNode
        do {
            guard let node = try YAMLReader.read(bytes) else {
                errors.append(ConfigError(.yaml("the file is empty; a gate file needs a 'gates' mapping"), at: SourceLocation(file: file)))
                return []
            }
            root = node
        } catch {
            errors.append(ConfigError(.yaml(error.problem), at: error.mark.map { SourceLocation(file: file, mark: $0) } ?? SourceLocation(file: file)))
            return []
        }
        do throws(ConfigError) {
            let top = try MappingReader(root, file: file, what: "the gate file")
            errors += top.unknownKeys(allowed: topLevelKeys)
            if let version = try top.string("version"), version != "1" {
                errors.append(ConfigError(.invalidValue(key: "version", reason: "'\(version)' is not supported; write 1"), at: top.location("version")))
            }
            for (name, location) in try top.strings("secrets") ?? [] {
                guard DotEnv.isVariableName(name) else {
                    errors.append(ConfigError(.invalidValue(key: "secrets", reason: "'\(name)' is not a variable name"), at: location))
                    continue
                }
                secrets.insert(name)
            }
            if let node = top.node("alerts") {
                do throws(ConfigError) {
                    let policy = try AlertPolicy.read(node, file: file)
                    if let earlier = alerts {
                        errors.append(ConfigError(.invalidValue(key: "alerts", reason: "also defined in \(earlier.file); keep one alerts section"),
                                                  at: top.location("alerts")))
                    } else {
                        alerts = policy
                    }
                    // A channel's URL or key names the variables that hold it: they are secrets.
                    secrets.formUnion(policy.variables)
                } catch {
                    errors.append(error)
                }
            }
            // A file of alerts alone (beside a pack it does not edit) needs no gates.
            if top.node("gates") == nil, top.node("alerts") != nil { return [] }
            guard let gatesNode = top.node("gates") else { throw ConfigError(.missingKey("gates"), at: SourceLocation(file: file, mark: root.mark)) }
            let gates = try MappingReader(gatesNode, file: file, what: "gates")
            let loader = CheckLoader(file: file, interpolator: Interpolator(environment: options.environment), options: options)
            return gates.pairs.compactMap { pair in loadGate(pair, loader: loader, errors: &errors) }
        } catch {
            errors.append(error)
            return []
        }
    }

    private static func loadGate(_ pair: YAMLPair, loader: CheckLoader, errors: inout [ConfigError]) -> PartialGate? {
        let file = loader.file
        let id = pair.key.value
        let place = SourceLocation(file: file, mark: pair.key.mark)
        do throws(ConfigError) {
            guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }) else {
                throw ConfigError(.invalidValue(key: "gate id", reason: "'\(id)' may hold only letters, digits, '_', '.' and '-'"), at: place)
            }
            let gate = try MappingReader(pair.value, file: file, what: "gate '\(id)'")
            errors += gate.unknownKeys(allowed: gateKeys)
            let title = try gate.requiredString("title", at: place)
            let severityText = try gate.requiredString("severity", at: place)
            guard let severity = Severity(rawValue: severityText.uppercased()) else {
                throw ConfigError(.invalidValue(key: "severity", reason: "'\(severityText)' is not one of P0, P1, P2, P3"), at: gate.location("severity"))
            }
            guard let checksNode = gate.node("checks") else { throw ConfigError(.missingKey("checks"), at: place) }
            guard case .sequence(let items, _) = checksNode, !items.isEmpty else {
                throw ConfigError(.wrongType(key: "checks", expected: "a non-empty list of checks", found: checksNode.shapeName),
                                  at: gate.location("checks"))
            }
            var checks: [LoadedCheck] = []
            var names: [String: SourceLocation] = [:]
            var broken: [String] = []
            for item in items {
                guard let check = loader.load(item, gateID: id, errors: &errors) else {
                    // Its error is reported; a `needs` naming it must not add a second one.
                    if case .mapping(let pairs, _) = item, let name = pairs.first(where: { $0.key.value == "name" }),
                       case .scalar(let scalar) = name.value { broken.append(scalar.value) }
                    continue
                }
                if let first = names[check.configured.name] {
                    errors.append(ConfigError(.duplicateCheck(check.configured.name, gate: id, first: first), at: check.configured.location))
                    continue
                }
                names[check.configured.name] = check.configured.location
                checks.append(check)
            }
            var partial = PartialGate(id: id, title: title, severity: severity,
                                      responseTime: try gate.string("response_time") ?? severity.defaultResponseTime,
                                      escalation: try gate.string("escalation") ?? severity.defaultEscalation,
                                      runbook: try gate.strings("runbook")?.map(\.0) ?? [], checks: checks, brokenChecks: broken,
                                      location: place)
            if let every = try gate.string("every") {
                guard let seconds = DurationText.seconds(every), seconds >= 1 else {
                    throw ConfigError(.invalidValue(key: "every", reason: "'\(every)': a duration of a second or more, such as 30s, 1m or 15m"),
                                      at: gate.location("every") ?? place)
                }
                partial.every = seconds
            }
            if let consecutive = try gate.string("consecutive") {
                guard let count = Int(consecutive), count >= 1, count <= 100 else {
                    throw ConfigError(.invalidValue(key: "consecutive", reason: "'\(consecutive)': a whole number from 1 to 100"),
                                      at: gate.location("consecutive") ?? place)
                }
                partial.consecutive = count
            }
            return partial
        } catch {
            errors.append(error)
            return nil
        }
    }

    private static func selectionErrors(_ selection: GateSelection, known: [String]) -> [ConfigError] {
        let named = (selection.only.map { $0.map { ("--only", $0) } } ?? []) + selection.skip.map { ("--skip", $0) }
        return named.filter { !known.contains($0.1) }.sorted { $0.1 < $1.1 }.map { flag, id in
            let hint = Suggestion.closest(to: id, in: known).map { "; did you mean '\($0)'?" } ?? ""
            return ConfigError(.usage("\(flag) names no gate '\(id)'\(hint)"), at: nil)
        }
    }
}

/// Every configuration error found in one load.
public struct LoadErrors: Error, Sendable {
    /// The errors, in the order found.
    public let errors: [ConfigError]
}

/// A gate whose checks' `needs` are not resolved yet.
struct PartialGate {
    let id: String
    let title: String
    let severity: Severity
    let responseTime: String
    let escalation: String
    let runbook: [String]
    let checks: [LoadedCheck]
    /// Checks of the gate that failed to load.
    var brokenChecks: [String] = []
    let location: SourceLocation
    var every: Double?
    var consecutive = 1

    func finished(checks: [ConfiguredCheck]) -> Gate {
        var gate = Gate(id: id, title: title, severity: severity, responseTime: responseTime, escalation: escalation,
                        runbook: runbook, checks: checks, location: location)
        gate.every = every
        gate.consecutive = consecutive
        return gate
    }
}
