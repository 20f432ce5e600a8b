import PythonRequirements

import ProjectFiles

/// A package in pip requirements trees is pinned exactly (`==` or `===`) to one version, in every
/// requirements file that names it.
struct RequirementsPinCheck: Check {
    static let description = CheckDescription(
        kind: "requirements_pin",
        summary: "A package is pinned exactly to a version in every pip requirements file (with everything each includes) and every pyproject.toml that names it.",
        parameters: [
            ParameterDoc("file", "path", required: true, "The requirements files. \(ParameterDoc.pathForms) (`**/requirements*.txt`); every match is judged, with the `-r`/`-c` includes it follows. A `pyproject.toml` is read for its dependencies: PEP 621 `[project]` (and optional dependencies), PEP 735 dependency groups, uv's and PDM's development dependencies, and Poetry's tables, whose `2.5.4` means `==2.5.4` and `^2.5.4` means `>=2.5.4,<3.0.0`. A lock file (`poetry.lock`, `uv.lock`, `pdm.lock`, `Pipfile.lock`) is read for the version it resolved, also of a package that came with another (gotrue with supabase). Files that do not name the package are passed over; it fails when none does."),
            ParameterDoc("package", "string", required: true, "The package; matched after PEP 503 normalisation (`GoTrue_SDK` = `gotrue-sdk`)."),
            ParameterDoc("version", "PEP 440 version", required: true, "The version it must be pinned to; `2.5.4` also accepts `==2.5.4.0` (but `===` is an exact string, so only `===2.5.4`)."),
            ParameterDoc("python", "version", "The Python that environment markers (`; python_version < \"3.9\"`) are evaluated for, as pip evaluates them on install (default 3.12); lines whose marker is false there are left out, as pip leaves them out."),
            ParameterDoc("platform", "string", "`sys_platform` for markers: linux (default), darwin or win32."),
            .optional, .exclude,
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
                file: "**/requirements*.txt"
                package: gotrue
                version: 2.5.4
                """, files: ["backend/requirements.txt": "gotrue==2.5.4\n", "backend/requirements-dev.txt": "pytest==8.0\ngotrue>=2.5\n",
                             "backend/requirements-docs.txt": "mkdocs==1.6\n"],
                .fails("gotrue>=2.5 at backend/requirements-dev.txt:2, expected ==2.5.4")),
            CheckExample("""
                kind: requirements_pin
                file: ["requirements/*.txt", "requirements.txt"]
                package: gotrue
                version: 2.5.4
                """, files: ["requirements/base.txt": "gotrue==2.5.4\n", "requirements/prod.txt": "-r base.txt\nuvicorn==0.30\n"], .passes),
            CheckExample("""
                kind: requirements_pin
                file: "**/requirements*.txt"
                package: gotrue
                version: 2.5.4
                """, files: ["pyproject.toml": "[project]\n"], .errors("nothing matches **/requirements*.txt (file, looked in the project root")),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                """, files: ["requirements.txt": "gotrue==2.5.4\n-r extra.txt\n", "extra.txt": "gotrue>=2.9\n"],
                .fails("gotrue==2.5.4 at requirements.txt:1 cannot be installed with gotrue>=2.9 at extra.txt:1")),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                python: "3.11"
                """, files: ["requirements.txt": "gotrue==2.5.4; python_version < \"3.8\"\ngotrue>=2.9; python_version >= \"3.8\"\n"],
                .fails("gotrue>=2.9 at requirements.txt:2, expected ==2.5.4")),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                """, files: ["requirements.txt": "gotrue===2.5.4.0\n"], .fails("gotrue===2.5.4.0 at requirements.txt:1 is an exact string, expected ==2.5.4")),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                """, files: ["requirements.txt": "https://github.com/celery/py-amqp/zipball/main\ngotrue==2.5.4\n"], .passes),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                """, files: ["requirements.txt": "gotrue==2.5.4 --install-option=\"--prefix=/opt\"\n"],
                .errors("requirements.txt:1: pip refuses this line: no such option --install-option")),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: 2.5.4
                """, files: ["requirements.txt": "gotrue==${GOTRUE_VERSION}\n"], environment: ["GOTRUE_VERSION": "2.5.4"], .passes),
            CheckExample("""
                kind: requirements_pin
                file: ["**/requirements*.txt", "**/pyproject.toml"]
                package: gotrue
                version: 2.5.4
                """, files: ["backend/pyproject.toml": "[project]\nname = \"nestsync-api\"\ndependencies = [\n  \"fastapi>=0.115\",\n  \"gotrue==2.5.4\",\n]\n"], .passes),
            CheckExample("""
                kind: requirements_pin
                file: "**/pyproject.toml"
                package: gotrue
                version: 2.5.4
                """, files: ["backend/pyproject.toml": "[tool.poetry.dependencies]\npython = \"^3.11\"\nfastapi = \"^0.115\"\ngotrue = \"^2.5.4\"\n"],
                .fails("gotrue>=2.5.4,<3.0.0 at backend/pyproject.toml:4, expected ==2.5.4")),
            CheckExample("""
                kind: requirements_pin
                file: pyproject.toml
                package: gotrue
                version: 2.5.4
                """, files: ["pyproject.toml": "[tool.poetry.group.auth.dependencies]\ngotrue = {version = \"2.5.4\", optional = false}\n"], .passes),
            CheckExample("""
                kind: requirements_pin
                file: ["**/pyproject.toml", "**/poetry.lock"]
                package: gotrue
                version: 2.5.4
                """, files: ["backend/pyproject.toml": "[tool.poetry.dependencies]\nsupabase = \"^2.3\"\n",
                             "backend/poetry.lock": "[[package]]\nname = \"gotrue\"\nversion = \"2.9.1\"\n\n[[package]]\nname = \"supabase\"\nversion = \"2.3.4\"\n"],
                .fails("gotrue==2.9.1 at backend/poetry.lock:3, expected ==2.5.4")),
            CheckExample("""
                kind: requirements_pin
                file: requirements.txt
                package: gotrue
                version: latest
                """, .invalid("'latest' is not a PEP 440 version")),
        ]
    )

    let file: PathQuery
    let package: String
    let version: String
    /// The environment markers are evaluated in.
    let markers: MarkerEnvironment
    static let defaultPython = "3.12"

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        file = try parameters.requiredPaths("file")
        package = try parameters.requiredString("package")
        version = try parameters.requiredString("version")
        let python = try parameters.string("python") ?? Self.defaultPython
        guard PythonVersion(python) != nil else { throw parameters.invalid("python", "'\(python)' is not a Python version such as 3.12") }
        markers = .cpython(python, platform: try parameters.string("platform") ?? "linux")
        if !version.isEmpty, PythonVersion(version) == nil {
            throw parameters.invalid("version", "'\(version)' is not a PEP 440 version")
        }
    }

    /// One requirements file read with its includes: the entries naming the package.
    struct Tree {
        let file: String
        let entries: [Requirement]
        let filesRead: [String]
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> [Tree] {
        let name = Requirement.normalise(package)
        var trees: [Tree] = []
        for match in try file.find(context) {
            do throws(RequirementError) {
                let tree = try Self.read(match.path, context)
                var entries: [Requirement] = []
                for entry in tree.requirements where entry.name == name {
                    guard let marker = entry.marker else { entries.append(entry); continue }
                    do throws(MarkerError) {
                        // pip leaves out a line whose marker is false in the environment it installs into.
                        if try Marker.evaluate(marker, in: markers) { entries.append(entry) }
                    } catch {
                        throw RequirementError(location: entry.location, reason: "pip refuses this line: \(error.reason)")
                    }
                }
                trees.append(Tree(file: match.path, entries: entries, filesRead: tree.files))
            } catch {
                throw CheckStop(.errored(error.description, findings: error.location.map { [Finding(file: $0.file, line: $0.line, message: error.reason)] } ?? []))
            }
        }
        return trees
    }

    /// A requirements file with the files it includes, or a `pyproject.toml`'s dependencies.
    static func read(_ path: String, _ context: CheckContext) throws(RequirementError) -> (requirements: [Requirement], files: [String]) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard name == "pyproject.toml" || PyprojectRequirements.lockFiles.contains(name) else {
            let tree = try RequirementsFile.read(path, root: context.projectRoot, environment: context.environment.values)
            return (tree.requirements, tree.files)
        }
        let bytes: [UInt8]
        do {
            bytes = try FileReader.read(context.url(for: path), display: path)
        } catch {
            throw RequirementError(location: nil, reason: error.description)
        }
        let requirements = name == "pyproject.toml" ? try PyprojectRequirements.read(bytes, file: path)
            : try PyprojectRequirements.readLock(bytes, file: path)
        return (requirements, [path])
    }

    /// The decision over every file read: each one that requires the package must pin it.
    func judge(_ trees: [Tree]) -> CheckResult {
        let naming = trees.filter { tree in tree.entries.contains { !$0.isConstraint } }
        guard !naming.isEmpty else {
            if trees.count == 1 { return judgeTree(trees[0].entries, file: trees[0].file, filesRead: trees[0].filesRead) }
            return .failed("\(package) is not in any of \(trees.map(\.file).joined(separator: ", ")), expected ==\(version)")
        }
        let results = naming.map { judgeTree($0.entries, file: $0.file, filesRead: $0.filesRead) }
        if let failed = results.firstIndex(where: { $0.outcome != .passed }) {
            var result = results[failed]
            let others = results.count(where: { $0.outcome != .passed }) - 1
            if others > 0 { result.message += " (and \(others) more file\(others == 1 ? "" : "s"))" }
            result.findings = results.flatMap(\.findings)
            return result
        }
        var messages: [String] = []
        for result in results where !messages.contains(result.message) { messages.append(result.message) }
        return .passed(messages.joined(separator: "; "))
    }

    /// The decision, from the entries naming the package (requirements and constraints).
    func judgeTree(_ entries: [Requirement], file: String, filesRead: [String]) -> CheckResult {
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
        if case .index(let specifiers) = entry.source, specifiers.first?.op == "===" {
            // `===` is a string comparison: `===2.5.4.0` does not install 2.5.4.
            guard specifiers[0].version.lowercased() == version.lowercased() else {
                return .failed("\(entry.text) at \(entry.location) is an exact string, expected \(expected)",
                               findings: [finding(entry, "=== compares text: installs only \(specifiers[0].version)")])
            }
        } else if pinned != wanted {
            return .failed("\(entry.text) at \(entry.location), expected \(expected)",
                           findings: [finding(entry, "pinned to \(entry.text), expected \(expected)")])
        }
        // Every other line naming the package must admit the pinned version, or pip cannot install.
        for other in entries where other != entry {
            guard case .index(let specifiers) = other.source else { continue }
            if let refusing = specifiers.first(where: { VersionSpecifier(op: $0.op, version: $0.version).contains(version) == false }) {
                return .failed("\(entry.text) at \(entry.location) cannot be installed with \(other.text) at \(other.location) "
                               + "(\(version) is not \(refusing)); pip cannot satisfy both",
                               findings: [finding(other, "excludes the pinned \(version)")])
            }
        }
        let via = entry.isConstraint ? " (constraint)" : ""
        let marker = entry.marker.map { "; only where \($0)" } ?? ""
        return .passed("\(entry.text) at \(entry.location)\(via)\(marker)")
    }

    /// The version of an exact pin (`==V`, `===V`); nil for anything else. `===` pins that are not
    /// PEP 440 versions give `.some(nil)`, compared as text.
    private func exactPin(_ requirement: Requirement) -> PythonVersion?? {
        // A wheel's URL names its version, and pip installs exactly that one.
        if case .direct(_, _, let wheelVersion?) = requirement.source { return .some(PythonVersion(wheelVersion)) }
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
