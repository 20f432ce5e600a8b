import ConfigFiles
import PythonRequirements

/// The dependencies a `pyproject.toml` declares, as requirements at their file:line: PEP 621's
/// `[project] dependencies` and `optional-dependencies`, PEP 735's `[dependency-groups]`, uv's and
/// PDM's development dependencies (all PEP 508 strings), and Poetry's tables
/// (`[tool.poetry.dependencies]`, `[tool.poetry.group.*.dependencies]`), whose constraints are
/// written as the PEP 440 specifiers Poetry means: `2.5.4` is `==2.5.4`, `^2.5.4` is
/// `>=2.5.4,<3.0.0`, `~2.5.4` is `>=2.5.4,<2.6.0`.
enum PyprojectRequirements {
    static func read(_ bytes: [UInt8], file: String) throws(RequirementError) -> [Requirement] {
        let root: ConfigNode
        do {
            root = try ConfigFormat.toml.parse(bytes)
        } catch {
            throw RequirementError(location: RequirementLocation(file: file, line: error.line), reason: error.reason)
        }
        var requirements: [Requirement] = []
        func parse(_ text: String, at node: ConfigNode) throws(RequirementError) {
            switch RequirementParser.parse(text, location: RequirementLocation(file: file, line: node.line), isConstraint: false) {
            case .success(let requirement): requirements.append(requirement)
            case .failure(let error): throw error
            }
        }
        // PEP 508 strings.
        var lists: [ConfigNode] = []
        if let project = root.member("project") {
            lists += [project.member("dependencies")].compactMap { $0 }
            lists += Self.values(of: project.member("optional-dependencies"))
        }
        lists += Self.values(of: root.member("dependency-groups"))
        lists += [root.member("tool")?.member("uv")?.member("dev-dependencies")].compactMap { $0 }
        lists += Self.values(of: root.member("tool")?.member("pdm")?.member("dev-dependencies"))
        for list in lists {
            guard case .list(let items) = list.value else { continue }
            for item in items {
                // An include-group table of PEP 735 names no package.
                if case .scalar(let scalar) = item.value { try parse(scalar.text, at: item) }
            }
        }
        // Poetry's tables of name = constraint.
        if let poetry = root.member("tool")?.member("poetry") {
            var tables = [poetry.member("dependencies"), poetry.member("dev-dependencies")].compactMap { $0 }
            tables += Self.values(of: poetry.member("group")).compactMap { $0.member("dependencies") }
            for table in tables {
                guard case .table(let members) = table.value else { continue }
                for member in members where member.key.lowercased() != "python" {
                    if let text = Self.poetryRequirement(member.key, member.node) { try parse(text, at: member.node) }
                }
            }
        }
        return requirements
    }

    /// The versions a lock file resolved, as exact pins at the line of each `version`: Poetry's,
    /// uv's and PDM's `[[package]]` tables (TOML), Pipenv's `Pipfile.lock` (JSON). A lock names
    /// the packages pulled in by others too, so a gotrue that arrived with supabase is seen.
    static func readLock(_ bytes: [UInt8], file: String) throws(RequirementError) -> [Requirement] {
        let json = file.hasSuffix("Pipfile.lock")
        let root: ConfigNode
        do {
            root = try (json ? ConfigFormat.json : ConfigFormat.toml).parse(bytes)
        } catch {
            throw RequirementError(location: RequirementLocation(file: file, line: error.line), reason: error.reason)
        }
        var pins: [(name: String, version: String, node: ConfigNode)] = []
        if json {
            for section in ["default", "develop"] {
                guard case .table(let members)? = root.member(section)?.value else { continue }
                for member in members {
                    guard let node = member.node.member("version"), case .scalar(let version) = node.value else { continue }
                    pins.append((member.key, version.text.hasPrefix("==") ? String(version.text.dropFirst(2)) : version.text, node))
                }
            }
        } else if case .list(let packages)? = root.member("package")?.value {
            for package in packages {
                guard case .scalar(let name)? = package.member("name")?.value, let node = package.member("version"),
                      case .scalar(let version) = node.value else { continue }
                pins.append((name.text, version.text, node))
            }
        }
        var requirements: [Requirement] = []
        for pin in pins {
            switch RequirementParser.parse("\(pin.name)==\(pin.version)", location: RequirementLocation(file: file, line: pin.node.line), isConstraint: false) {
            case .success(let requirement): requirements.append(requirement)
            case .failure(let error): throw error
            }
        }
        return requirements
    }

    /// The lock files `readLock` reads, by name.
    static let lockFiles: Set<String> = ["poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock"]

    /// The values of a table's members (the groups of `optional-dependencies`).
    static func values(of node: ConfigNode?) -> [ConfigNode] {
        guard let node, case .table(let members) = node.value else { return [] }
        return members.map(\.node)
    }

    /// A Poetry dependency as a PEP 508 requirement: its version constraint as specifiers, a git,
    /// URL or path source as `name @ source`, and its `markers`.
    static func poetryRequirement(_ name: String, _ node: ConfigNode) -> String? {
        var constraint: String?
        var source: String?
        var markers: String?
        switch node.value {
        case .scalar(let scalar): constraint = scalar.text
        case .table:
            if case .scalar(let version)? = node.member("version")?.value { constraint = version.text }
            for key in ["git", "url", "path"] {
                if case .scalar(let place)? = node.member(key)?.value { source = (key == "git" ? "git+" : "") + place.text }
            }
            if case .scalar(let marker)? = node.member("markers")?.value { markers = marker.text }
        case .list:
            return nil  // several constraints by marker: each says nothing of a single pin
        }
        var text = name
        if let source {
            text += " @ \(source)"
        } else if let constraint {
            guard let specifiers = Self.specifiers(poetry: constraint) else { return nil }
            text += specifiers
        }
        if let markers { text += " ; \(markers)" }
        return text
    }

    /// Poetry's constraint syntax as PEP 440 specifiers; nil for what specifiers cannot say (`||`).
    static func specifiers(poetry constraint: String) -> String? {
        let trimmed = constraint.trimmingCharacters(in: " ")
        if trimmed.isEmpty || trimmed == "*" { return "" }
        guard !trimmed.contains("||") else { return nil }
        var parts: [String] = []
        for part in trimmed.split(separator: ",").map({ $0.trimmingCharacters(in: " ") }) {
            if part.hasPrefix("^") {
                guard let bounds = Self.caret(String(part.dropFirst())) else { return nil }
                parts.append(bounds)
            } else if part.hasPrefix("~"), !part.hasPrefix("~=") {
                guard let bounds = Self.tilde(String(part.dropFirst())) else { return nil }
                parts.append(bounds)
            } else if let first = part.first, first.isNumber {
                parts.append("==" + part)  // a bare version is exact in Poetry
            } else {
                parts.append(part.replacingAll(" ", with: ""))
            }
        }
        return parts.joined(separator: ",")
    }

    /// `^2.5.4` → `>=2.5.4,<3.0.0`; `^0.2.3` → `>=0.2.3,<0.3.0`; `^0.0.3` → `>=0.0.3,<0.0.4`.
    static func caret(_ version: String) -> String? {
        let numbers = version.split(separator: ".").map { Int($0) }
        guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil }) else { return nil }
        let values = numbers.map { $0! }
        let significant = values.firstIndex { $0 != 0 } ?? (values.count - 1)
        var upper = Array(values.prefix(significant + 1))
        upper[upper.count - 1] += 1
        while upper.count < max(values.count, 1) { upper.append(0) }
        return ">=\(version),<\(upper.map(String.init).joined(separator: "."))"
    }

    /// `~2.5.4` → `>=2.5.4,<2.6.0`; `~2.5` → `>=2.5,<2.6`; `~2` → `>=2,<3`.
    static func tilde(_ version: String) -> String? {
        let numbers = version.split(separator: ".").map { Int($0) }
        guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil }) else { return nil }
        let values = numbers.map { $0! }
        var upper = values.count == 1 ? [values[0] + 1] : [values[0], values[1] + 1]
        while upper.count < values.count { upper.append(0) }
        return ">=\(version),<\(upper.map(String.init).joined(separator: "."))"
    }
}
