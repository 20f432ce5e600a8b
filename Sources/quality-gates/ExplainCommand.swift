import ArgumentParser
import FoundationEssentials
import Glibc
import QualityGates

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a gate (severity, response time, escalation, runbook, checks) or a check kind (parameters, examples).",
        discussion: "Without an argument, lists the gates and the check kinds."
    )

    @OptionGroup var files: GateFileOptions

    @Argument(help: "A gate id or a check kind.")
    var name: String?

    @Option(help: ArgumentHelp("A project to look at: a gate's build-target checks run against it, and show what they find and where.", valueName: "dir"))
    var projectRoot: String?

    func run() throws {
        let kinds = CheckRegistry.all.map { $0.description }
        if let name, let kind = kinds.first(where: { $0.kind == name }) {
            Console.out(Reference.kind(kind))
            return
        }
        let configuration = try Loading.load(files) { LoadOptions(environment: $0) }
        guard let name else {
            Console.out("Gates:\n" + configuration.gates.map { "  \($0.severity.rawValue) \($0.id): \($0.title)\n" }.joined())
            Console.out("Check kinds:\n" + kinds.map { "  \($0.kind): \($0.summary)\n" }.joined())
            Console.out("Run 'quality-gates explain NAME' for one of them.\n")
            return
        }
        guard let gate = configuration.gates.first(where: { $0.id == name }) else {
            let candidates = configuration.gates.map(\.id) + kinds.map(\.kind)
            let hint = closest(name, candidates).map { "; did you mean '\($0)'?" } ?? ""
            Console.error("error: '\(name)' is neither a gate nor a check kind\(hint)")
            throw ExitCode(ExitStatus.configurationError)
        }
        Console.out(Reference.gate(gate))
        guard let projectRoot else { return }
        let environment = (try? files.environment().get()) ?? .process()
        Console.out("\nIn \(projectRoot) (the build-target checks, run now):\n")
        let console = ConsoleReporter(colors: Console.wantsColor(fileDescriptor: STDOUT_FILENO))
        for (check, result) in Inspection.look(at: gate, projectRoot: URL(fileURLWithPath: projectRoot), environment: environment) {
            Console.out("  \(console.symbol(result.outcome)) \(check): \(Redactor(environment: environment).redact(result.message))\n")
        }
    }

    private func closest(_ name: String, _ candidates: [String]) -> String? {
        candidates.first { $0.lowercased().contains(name.lowercased()) || name.lowercased().contains($0.lowercased()) }
    }
}

struct ReferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference",
        abstract: "Print the check-kind reference in Markdown (the generated part of docs/gates.md).",
        shouldDisplay: false
    )

    func run() throws {
        Console.out(Reference.markdown())
    }
}
