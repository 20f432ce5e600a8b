import ArgumentParser
import FoundationEssentials
import Glibc
import QualityGates

@main
struct QualityGatesCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    /// What `--version` prints: the version and the commit a release was built from.
    static let versionLine = "\(version) (commit \(BuildInfo.commit ?? "unknown: a development build"))"

    static let configuration = CommandConfiguration(
        commandName: "quality-gates",
        abstract: "Run declarative quality gates against a build or staging target and write JUnit, JSON and Markdown reports.",
        discussion: """
            Exit status: 0 when no gate at or above --fail-on failed or errored, 1 when one did, \
            2 for a configuration or usage error (bad gate file, unknown flag, unset variable), \
            130 or 143 when interrupted (the reports of what finished are written first).

            Gate files and check kinds: docs/gates.md. Start with: quality-gates explain
            """,
        version: versionLine,
        subcommands: [RunCommand.self, ListCommand.self, LintCommand.self, ExplainCommand.self, HistoryCommand.self, WatchCommand.self, ManifestCommand.self, AlertCommand.self, ReferenceCommand.self],
        defaultSubcommand: RunCommand.self
    )

    /// ArgumentParser's own usage errors exit with 64; ours exit with 2, as every configuration error does.
    static func main() async {
        // A peer that closes a pipe or socket (a helper that exits early, a server that hangs up,
        // `| head` on the console) makes writes fail with EPIPE instead of ending the run before
        // its reports and exit status.
        signal(SIGPIPE, SIG_IGN)
        // `run`'s plain arguments are read without ArgumentParser's reflection (RunArguments).
        if let settings = RunArguments.settings(Array(CommandLine.arguments.dropFirst()), tool: "quality-gates \(version)") {
            await RunCommand.runThenExit(settings)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode {
                exit(withError: error)
            }
            let firstLine = message(for: error).split(separator: "\n").first.map(String.init) ?? "usage error"
            Console.error(firstLine + "\nRun 'quality-gates --help' for usage.")
            exit(withError: ExitCode(ExitStatus.configurationError))
        }
    }
}
