import ProjectFiles
import PythonRequirements

/// The version of a Python package installed in the backend's environment: what
/// `pip list | grep gotrue` shows, read from the environment's metadata without Python.
struct PythonPackageCheck: Check {
    static let description = CheckDescription(
        kind: "python_package",
        summary: "A package installed in a Python environment (a virtualenv or a site-packages folder; what `pip list` shows, read from the `*.dist-info` metadata without Python) is at the expected version. When the package is absent but a package it was renamed to is installed, the check says so: a pin on the old name no longer guards anything.",
        parameters: [
            ParameterDoc("environment", "path", required: true, "The environment: a virtualenv (`.venv`, `${VIRTUAL_ENV}`) or a site-packages folder. \(ParameterDoc.pathForms); the first folder that holds a site-packages is read."),
            ParameterDoc("package", "string", required: true, "The distribution's name; matched after PEP 503 normalisation."),
            ParameterDoc("version", "PEP 440 version", "The version it must be (`2.5.4` also accepts `2.5.4.0`); without it, installed is enough."),
            ParameterDoc("renamed_to", "list of strings", "Names the package continues under (`supabase-auth` for `gotrue`): installed instead, they fail the check with what they mean."),
            .optional,
        ],
        defaultTargets: [.build, .staging],
        examples: [
            CheckExample("""
                kind: python_package
                environment: [.venv, venv]
                package: gotrue
                version: 2.5.4
                """, files: [".venv/lib/python3.11/site-packages/gotrue-2.5.4.dist-info/METADATA": "Metadata-Version: 2.1\nName: gotrue\nVersion: 2.5.4\n\nGoTrue client\n"],
                .passes),
            CheckExample("""
                kind: python_package
                environment: ["**/.venv"]
                package: GoTrue
                version: 2.5.4
                """, files: ["backend/.venv/lib/python3.12/site-packages/gotrue-2.9.1.dist-info/METADATA": "Name: gotrue\nVersion: 2.9.1\n"],
                .fails("gotrue 2.9.1 is installed in backend/.venv/lib/python3.12/site-packages, expected 2.5.4 (pip install gotrue==2.5.4)")),
            CheckExample("""
                kind: python_package
                environment: .venv
                package: gotrue
                version: 2.5.4
                renamed_to: [supabase-auth]
                """, files: [".venv/lib/python3.11/site-packages/supabase_auth-2.10.0.dist-info/METADATA": "Name: supabase_auth\nVersion: 2.10.0\n"],
                .fails("gotrue is not installed in .venv/lib/python3.11/site-packages, but supabase_auth 2.10.0 is: the package was renamed, and a gotrue pin no longer guards what it did")),
            CheckExample("""
                kind: python_package
                environment: .venv
                package: gotrue
                """, files: [".venv/lib/python3.11/site-packages/fastapi-0.115.0.dist-info/METADATA": "Name: fastapi\nVersion: 0.115.0\n"],
                .fails("gotrue is not installed in .venv/lib/python3.11/site-packages")),
            CheckExample("""
                kind: python_package
                environment: ["${VIRTUAL_ENV:-.venv}", "**/.venv"]
                package: gotrue
                version: 2.5.4
                optional: true
                """, .skips("optional input absent: nothing matches any of .venv, **/.venv")),
            CheckExample("""
                kind: python_package
                environment: .venv
                package: gotrue
                version: newest
                """, .invalid("'newest' is not a PEP 440 version")),
        ]
    )

    let environment: PathQuery
    let package: String
    let version: String?
    let renamedTo: [String]

    init(_ parameters: inout CheckParameters) throws(ConfigError) {
        environment = try parameters.requiredPaths("environment")
        package = try parameters.requiredString("package")
        version = try parameters.string("version")
        if let version, !version.isEmpty, PythonVersion(version) == nil {
            throw parameters.invalid("version", "'\(version)' is not a PEP 440 version")
        }
        renamedTo = try parameters.strings("renamed_to") ?? []
    }

    func observe(_ context: CheckContext) throws(CheckStop) -> InstalledDistributions {
        var problems: [String] = []
        for match in try environment.find(context, kinds: [.directory]) {
            do {
                return try InstalledDistributions.read(context.url(for: match.path).path, display: match.path)
            } catch {
                problems.append(error.message)
            }
        }
        let reason = problems.joined(separator: "; ")
        throw CheckStop(environment.optional ? CheckResult.skipped(.optionalInputAbsent, "optional input absent: \(reason)") : .errored(reason))
    }

    func judge(_ installed: InstalledDistributions) -> CheckResult {
        let place = installed.sitePackages
        guard let found = installed.distribution(package) else {
            if let successor = renamedTo.lazy.compactMap({ installed.distribution($0) }).first {
                return .failed("\(package) is not installed in \(place), but \(successor.name) \(successor.version) is: the package was renamed, and a \(package) pin no longer guards what it did; pin \(successor.name) instead")
            }
            return .failed("\(package) is not installed in \(place)" + (version.map { ", expected \($0) (pip install \(package)==\($0))" } ?? ""))
        }
        guard let version else { return .passed("\(found.name) \(found.version) is installed in \(place)") }
        guard let installedVersion = PythonVersion(found.version), installedVersion == PythonVersion(version) else {
            return .failed("\(found.name) \(found.version) is installed in \(place), expected \(version) (pip install \(found.name)==\(version))",
                           findings: [Finding(file: found.location, message: "\(found.name) \(found.version), expected \(version)")])
        }
        return .passed("\(found.name) \(found.version) is installed in \(place)")
    }
}
