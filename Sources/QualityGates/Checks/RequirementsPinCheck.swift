import PythonRequirements

/// A package in a pip requirements tree is pinned exactly (`==` or `===`) to one version.
struct RequirementsPinCheck: Check {
    static let description = CheckDescription(
        kind: "requirements_pin",
        summary: "A package in a pip requirements file (and everything it includes) is pinned exactly to a version.",
        parameters: [
            ParameterDoc("file", "path", required: true, "The requirements file, relative to the project root; `-r`/`-c` includes are followed."),
            ParameterDoc("package", "string", required: true, "The package; matched after PEP 503 normalisation (`GoTrue_SDK` = `gotrue-sdk`)."),
            ParameterDoc("version", "PEP 440 version", required: true, "The version it must be pinned to; `2.5.4` also accepts `==2.5.4.0`."),
        ],
        defaultTargets: [.build, .staging],
        examples: [
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                """, files: ["requirements.txt": "fastapi==0.115.0\ngotrue==2.5.4 \\\n    --hash=sha256:abc\n"], .passes),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: GoTrue
                version: 2.5.4
                """, files: ["requirements.txt": "-r base.txt\n", "base.txt": "# auth\ngotrue === 2.5.4 ; python_version >= \"3.9\"\n"], .passes),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                """, files: ["requirements.txt": "gotrue\n", "constraints.txt": "gotrue==2.5.4\n"] , .fails("gotrue at requirements.txt:1, expected ==2.5.4")),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                """, files: ["requirements.txt": "-c constraints.txt\ngotrue\n", "constraints.txt": "gotrue==2.5.4\n"], .passes),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                """, files: ["requirements.txt": "fastapi==0.115.0\ngotrue>=2.5\n"], .fails("gotrue>=2.5 at requirements.txt:2, expected ==2.5.4")),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                """, files: ["requirements.txt": "gotrue==2.5.*\n"], .fails("gotrue==2.5.* at requirements.txt:1 is a wildcard")),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                """, files: ["requirements.txt": "gotrue==2.5.3\n"], .fails("gotrue==2.5.3 at requirements.txt:1, expected ==2.5.4")),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                """, files: ["requirements.txt": "fastapi==0.115.0\n"], .fails("gotrue is not in requirements.txt")),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                """, files: ["requirements.txt": "gotrue==2.5.4\n-r more.txt\n", "more.txt": "gotrue==2.5.3\n"],
                .fails("conflicting pins: gotrue==2.5.4 at requirements.txt:1, gotrue==2.5.3 at more.txt:1")),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                """, files: ["requirements.txt": "-e git+https://github.com/supabase/gotrue-py@v2.5.4#egg=gotrue\n"],
                .fails("is not a version pin")),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                """, files: ["requirements.txt": "-r a.txt\n", "a.txt": "-r requirements.txt\n"],
                .errors("include cycle: requirements.txt -> a.txt -> requirements.txt")),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                """, files: ["requirements.txt": "-r missing.txt\n"], .errors("requirements.txt:1: missing.txt does not exist")),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: latest
                """, .invalid("'latest' is not a PEP 440 version")),
        ]
    )

    let file: String
    let package: String
    let version: String

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        file = try parameters.requiredString("file")
        package = try parameters.requiredString("package")
        version = try parameters.requiredString("version")
        if !version.isEmpty, PythonVersion(version) == nil {
            throw parameters.invalid("version", "'\(version)' is not a PEP 440 version")
        }
    }

    func run(_ context: CheckContext) -> CheckResult {
        do {
            let tree = try RequirementsFile.read(file, root: context.projectRoot)
            let name = Requirement.normalise(package)
            return judge(tree.requirements.filter { $0.name == name }, filesRead: tree.files)
        } catch {
            return .errored(error.description, findings: error.location.map { [Finding(file: $0.file, line: $0.line, message: error.reason)] } ?? [])
        }
    }

    /// The decision, from the entries naming the package (requirements and constraints).
    func judge(_ entries: [Requirement], filesRead: [String]) -> CheckResult {
        let expected = "==\(version)"
        let required = entries.filter { !$0.isConstraint }
        guard let first = required.first else {
            let includes = filesRead.count > 1 ? " (nor in the \(filesRead.count - 1) files it includes)" : ""
            return .failed("\(package) is not in \(file)\(includes), expected \(expected)")
        }
        let pins = entries.compactMap { entry in exactPin(entry).map { (entry, $0) } }
        let distinct = pins.reduce(into: [(Requirement, PythonVersion?)]()) { kept, pin in
            if !kept.contains(where: { $0.1 == pin.1 }) { kept.append(pin) }
        }
        if distinct.count > 1 {
            let listed = distinct.map { "\($0.0.text) at \($0.0.location)" }.joined(separator: ", ")
            return .failed("conflicting pins: \(listed)", findings: distinct.map { finding($0.0, "conflicting pin") })
        }
        if let bad = required.first(where: { exactPin($0) == nil }), pins.isEmpty {
            return .failed(unpinnedMessage(bad, expected: expected), findings: [finding(bad, "not pinned to \(expected)")])
        }
        guard let (entry, pinned) = pins.first else {
            return .failed(unpinnedMessage(first, expected: expected), findings: [finding(first, "not pinned")])
        }
        let wanted = PythonVersion(version)
        guard pinned == wanted || (pinned == nil && entry.text.hasSuffix("===\(version)")) else {
            return .failed("\(entry.text) at \(entry.location), expected \(expected)",
                           findings: [finding(entry, "pinned to \(entry.text), expected \(expected)")])
        }
        let via = entry.isConstraint ? " (constraint)" : ""
        let marker = entry.marker.map { "; only where \($0)" } ?? ""
        return .passed("\(entry.text) at \(entry.location)\(via)\(marker)")
    }

    /// The version of an exact pin (`==V`, `===V`); nil for anything else. `===` pins that are not
    /// PEP 440 versions give `.some(nil)`, compared as text.
    private func exactPin(_ requirement: Requirement) -> PythonVersion?? {
        guard case .index(let specifiers) = requirement.source, specifiers.count == 1,
              let specifier = specifiers.first, specifier.op == "==" || specifier.op == "===",
              !specifier.version.hasSuffix(".*") else { return nil }
        return .some(PythonVersion(specifier.version))
    }

    private func unpinnedMessage(_ requirement: Requirement, expected: String) -> String {
        switch requirement.source {
        case .direct:
            return "\(requirement.text) at \(requirement.location) is not a version pin, expected \(package)\(expected)"
        case .index(let specifiers) where specifiers.contains { $0.version.hasSuffix(".*") }:
            return "\(requirement.text) at \(requirement.location) is a wildcard, expected \(expected)"
        case .index:
            return "\(requirement.text) at \(requirement.location), expected \(expected)"
        }
    }

    private func finding(_ requirement: Requirement, _ message: String) -> Finding {
        Finding(file: requirement.location.file, line: requirement.location.line, message: "\(requirement.text): \(message)")
    }
}
