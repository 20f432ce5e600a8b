import ProjectFiles

/// The backend's own schema export, run as a command whose standard output is the SDL
/// (`python -m strawberry export-schema app.graphql.schema:schema`), so a check reads the schema
/// the code defines rather than a committed export that may be stale.
struct SchemaCommand: Sendable {
    /// The command line, run with /bin/sh.
    let run: String
    /// The folder it runs in, relative to the project root (the root itself by default).
    let directory: String?
    /// Seconds it may take.
    let timeout: Double
    /// Variables added to the run's environment.
    let environment: [(String, String)]

    static let defaultTimeout = 60.0

    /// `sdl_command` as a plain command or a mapping of run, cwd, timeout and env; nil when absent.
    static func read(_ parameters: inout CheckParameters) throws(ConfigError) -> SchemaCommand? {
        if parameters.isMapping("sdl_command") {
            guard var inner = try parameters.nested("sdl_command", allowed: ["run", "cwd", "timeout", "env"]) else { return nil }
            return SchemaCommand(run: try inner.requiredString("run"), directory: try inner.string("cwd"),
                                 timeout: try inner.seconds("timeout") ?? defaultTimeout, environment: try inner.stringMap("env") ?? [])
        }
        guard let run = try parameters.string("sdl_command") else { return nil }
        guard !run.isEmpty || parameters.isLenient else { throw parameters.invalid("sdl_command", "must not be empty") }
        return SchemaCommand(run: run, directory: nil, timeout: defaultTimeout, environment: [])
    }

    /// What the command printed, or the result that says why it gave no schema.
    func output(_ context: CheckContext) throws(CheckStop) -> [UInt8] {
        let folder = directory.map { context.url(for: $0).path } ?? context.projectRoot.path
        guard FileSystem.kind(of: folder) == .directory else {
            throw CheckStop(.errored("sdl_command's folder \(directory ?? folder) does not exist"))
        }
        do {
            return try run(in: folder, environment: context.environment.values, timeout: min(timeout, context.timeout))
        } catch {
            throw CheckStop(.errored(error.message))
        }
    }

    /// Runs the command in `folder`; its standard output when it printed something.
    func run(in folder: String, environment base: [String: String], timeout: Double) throws(HelperProcessError) -> [UInt8] {
        let program = "`\(run)`"
        var variables = base
        for (name, value) in environment { variables[name] = value }
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess.run("/bin/sh", arguments: ["-c", run], input: [], timeout: timeout,
                                         directory: folder, environment: variables.map { "\($0.key)=\($0.value)" }.sorted())
        } catch {
            throw .cannotStart(program: program, reason: error.message)
        }
        let stderr = HelperProcessError.firstLine(outcome.stderr, last: true)
        if outcome.timedOut { throw .timedOut(program: program, seconds: timeout, hint: "raise sdl_command's timeout") }
        if let signal = outcome.signal { throw .crashed(program: program, signal: signal, stderr: stderr) }
        guard outcome.status == 0 else { throw .failed(program: program, status: outcome.status, stderr: stderr) }
        guard outcome.stdout.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            throw .noAnswer(program: program, expected: "schema on standard output", stderr: stderr)
        }
        return outcome.stdout
    }
}
