import ArgumentParser
import Foundation
import Logging
import MailboxOnboard
import OnboardInput

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show every mailbox of the team(s) with its lemlist status and warm-up, unhealthy ones first.",
        discussion: """
            Per key: GET /team, one GET /users/{id} per member and GET /lemwarm/errors, through the same rate limit and \
            retries as run. Records what it saw for the mailboxes the ledger knows. For a scheduled check: exit 12 when \
            a mailbox is not CONNECTED or is kept out of warm-up.
            """ + ExitStatus.help(ExitStatus.forStatus)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var lemlist: LemlistOptionGroup

    @Flag(help: "Print JSON for scripts instead of tables.")
    var json = false

    func run() async throws {
        let (configuration, teamKeys) = try lemlist.resolve()
        let (ledger, logger) = (global.ledger, global.makeLogger())
        let outcome: StatusOutcome
        do {
            outcome = try await TerminalRun.run(progress: false) { _ throws(LedgerError) in
                try await Onboarding.status(ledgerPath: ledger, configuration: configuration, teamKeys: teamKeys, logger: logger)
            }
        } catch {
            throw fail(error)
        }
        let stop = outcome.stop, interrupted = outcome.interrupted
        if json, outcome.keyProblem == nil {
            if let stop { reportStop(stop, keySource: lemlist.keySource) }
            Console.out(StatusJSON.render(outcome))
        } else {
            reportPass(keyProblem: outcome.keyProblem, stop: stop, interrupted: interrupted, again: "status", lemlist: lemlist) {
                StatusText.render(outcome)
            }
        }
        throw ExitCode(outcome.exitStatus)
    }
}
