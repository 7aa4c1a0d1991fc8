import ArgumentParser
import Foundation
import Logging
import MailboxOnboard
import OnboardInput

struct ConfigureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "configure",
        abstract: "Apply each connected mailbox's daily limit and warm-up from its row, and record the outcome.",
        discussion: """
            Sends only what is due: settings never applied, and those whose value changed in a row imported again. \
            Daily limits go 100 mailboxes a request; warm-up one request per part and mailbox. Through the same rate \
            limit and retries as run; Ctrl-C records what is on the wire.
            """ + ExitStatus.help(ExitStatus.forConfigure)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var lemlist: LemlistOptionGroup

    func run() async throws {
        let (configuration, teamKeys) = try lemlist.resolve()
        let (ledger, logger) = (global.ledger, global.makeLogger())
        let outcome: ConfigureOutcome
        do {
            outcome = try await TerminalRun.run(progress: false) { _ throws(LedgerError) in
                try await Onboarding.configure(ledgerPath: ledger, configuration: configuration, teamKeys: teamKeys, logger: logger)
            }
        } catch {
            throw fail(error)
        }
        reportPass(keyProblem: outcome.keyProblem, stop: outcome.report.stop, interrupted: outcome.report.interrupted, again: "configure",
                   lemlist: lemlist) { SettingsText.render(outcome.report) }
        throw ExitCode(outcome.exitStatus)
    }
}
