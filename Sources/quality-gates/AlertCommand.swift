import ArgumentParser
import QualityGates

/// `quality-gates alert test CHANNEL`: one test alert through a channel of the gate files'
/// `alerts:` section, and what the receiver answered.
struct AlertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert",
        abstract: "Alert channels of the gate files' alerts: section.",
        subcommands: [Test.self]
    )

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a test alert through a channel and show what the receiver answered (exit 0 when it took it, 2 otherwise).")

        @Argument(help: "The channel's name in alerts.channels.")
        var channel: String

        @OptionGroup var files: GateFileOptions

        @Option(help: "The severity the test alert claims.")
        var severity: Severity = .p3

        func run() throws {
            let configuration = try Loading.load(files) { LoadOptions(environment: $0, target: .staging) }
            let environment = (try? files.environment().get()) ?? .process()
            let redactor = Redactor(environment: environment, secretNames: configuration.secretNames)
            guard let policy = configuration.alerts else {
                Console.error("error: the gate files (\(configuration.files.joined(separator: ", "))) have no alerts: section")
                throw ExitCode(ExitStatus.configurationError)
            }
            guard let chosen = policy.channels[channel] else {
                let names = policy.channels.keys.sorted()
                Console.error("error: no alert channel '\(channel)' in \(policy.file) (it has: \(names.joined(separator: ", ")))")
                throw ExitCode(ExitStatus.configurationError)
            }
            let alert = Alert(gate: "quality_gates_test", title: "quality-gates test alert", severity: severity, responseTime: "",
                              escalation: "", message: "A test alert through channel '\(channel)' (\(chosen.kind.rawValue)); nothing is wrong.",
                              runbook: ["Nothing to do: this alert checks the channel."])
            let delivery: AlertSender.Delivery
            do {
                delivery = try AlertSender.send(alert, via: chosen, file: policy.file, environment: environment, timeout: policy.timeout)
            } catch {
                Console.error("error: \(redactor.redact(error.description))")
                throw ExitCode(ExitStatus.configurationError)
            }
            let answer = redactor.redact(String(delivery.body.split(whereSeparator: \.isNewline).joined(separator: " ").prefix(200)))
            let line = "\(channel) (\(chosen.kind.rawValue)) answered \(delivery.via) \(delivery.status)" + (answer.isEmpty ? "" : ": \(answer)")
            guard delivery.delivered else {
                Console.error("error: \(line)")
                throw ExitCode(ExitStatus.configurationError)
            }
            Console.out(line + "\n")
        }
    }
}
