import PythonRequirements
@testable import QualityGates
import Testing

/// A pyproject.toml's dependencies as requirements, in each form projects declare them.
struct PyprojectRequirementsTests {
    @Test("Poetry's constraints as the PEP 440 specifiers Poetry means", arguments: [
        ("2.5.4", "==2.5.4"), ("^2.5.4", ">=2.5.4,<3.0.0"), ("^2.5", ">=2.5,<3.0"), ("^2", ">=2,<3"),
        ("^0.2.3", ">=0.2.3,<0.3.0"), ("^0.0.3", ">=0.0.3,<0.0.4"), ("^0.0", ">=0.0,<0.1"), ("^0", ">=0,<1"),
        ("~2.5.4", ">=2.5.4,<2.6.0"), ("~2.5", ">=2.5,<2.6"), ("~2", ">=2,<3"), ("~=2.5", "~=2.5"),
        (">= 2.5, < 3", ">=2.5,<3"), ("==2.5.4", "==2.5.4"), ("2.5.*", "==2.5.*"), ("*", ""), ("", ""),
    ])
    func poetryConstraints(_ written: String, _ specifiers: String) {
        #expect(PyprojectRequirements.specifiers(poetry: written) == specifiers)
    }

    @Test("what specifiers cannot say is left out, not guessed")
    func unsaid() {
        #expect(PyprojectRequirements.specifiers(poetry: "^2.5 || ^3.0") == nil)
        #expect(PyprojectRequirements.specifiers(poetry: "^2.5.4b1") == nil)
    }

    @Test("every place a pyproject.toml declares dependencies, each at its line")
    func everyPlace() throws {
        let text = """
            [project]
            name = "nestsync-api"
            dependencies = [
              "fastapi>=0.115",
              "gotrue==2.5.4 ; python_version >= '3.9'",
            ]

            [project.optional-dependencies]
            test = ["pytest>=8"]

            [dependency-groups]
            dev = ["ruff", {include-group = "test"}]

            [tool.uv]
            dev-dependencies = ["mypy==1.11"]

            [tool.poetry.dependencies]
            python = "^3.11"
            supabase = "^2.18"
            gotrue = {version = "~2.5.4", markers = "sys_platform == 'linux'"}
            shared = {git = "https://github.com/nestsync/shared.git", branch = "main"}

            [tool.poetry.group.dev.dependencies]
            black = "24.8.0"
            """
        let read = try PyprojectRequirements.read(Array(text.utf8), file: "backend/pyproject.toml")
        #expect(read.map(\.text) == ["fastapi>=0.115", "gotrue==2.5.4", "pytest>=8", "ruff", "mypy==1.11",
                                     "supabase>=2.18,<3.0", "gotrue>=2.5.4,<2.6.0", "shared @ git+https://github.com/nestsync/shared.git",
                                     "black==24.8.0"])
        #expect(read.map(\.location.line) == [4, 5, 9, 12, 15, 19, 20, 21, 24])
        #expect(read[1].marker == "python_version >= '3.9'")
        #expect(read[6].marker == "sys_platform == 'linux'")
    }

    @Test("lock files: the version each resolved, at its line, for Poetry, uv and PDM (TOML) and Pipenv (JSON)")
    func locks() throws {
        let poetry = "[[package]]\nname = \"gotrue\"\nversion = \"2.9.1\"\ndescription = \"\"\n\n[[package]]\nname = \"Supabase\"\nversion = \"2.3.4\"\n\n[metadata]\nlock-version = \"2.0\"\n"
        let read = try PyprojectRequirements.readLock(Array(poetry.utf8), file: "poetry.lock")
        #expect(read.map(\.text) == ["gotrue==2.9.1", "Supabase==2.3.4"])
        #expect(read.map(\.name) == ["gotrue", "supabase"])
        #expect(read.map(\.location.line) == [3, 8])
        let pipenv = "{\n  \"_meta\": {\"hash\": {}},\n  \"default\": {\n    \"gotrue\": {\"hashes\": [], \"version\": \"==2.5.4\"}\n  },\n  \"develop\": {}\n}\n"
        let locked = try PyprojectRequirements.readLock(Array(pipenv.utf8), file: "backend/Pipfile.lock")
        #expect(locked.map(\.text) == ["gotrue==2.5.4"])
        #expect(locked.first?.location.line == 4)
    }

    @Test("a pyproject.toml that is not TOML is an error at its line")
    func broken() {
        #expect(throws: RequirementError(location: RequirementLocation(file: "pyproject.toml", line: 2),
                                         reason: "'fastapi' is not a TOML value (strings need quotes)")) {
            _ = try PyprojectRequirements.read(Array("[project]\ndependencies = [fastapi]\n".utf8), file: "pyproject.toml")
        }
    }
}
