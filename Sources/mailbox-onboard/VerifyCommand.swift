import ArgumentParser
import Foundation
import Logging
import MailboxOnboard
import OnboardInput

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Test every connected mailbox with lemlist's account test (SMTP and IMAP) and record the verdicts.",
        discussion: """
            Tests connected and already-connected mailboxes that have an account id and no verdict yet; --again tests \
            every one. Through the same rate limit and retries as run; Ctrl-C records the tests on the wire.
            """ + ExitStatus.help(ExitStatus.forVerify)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var lemlist: LemlistOptionGroup

    @Flag(help: "Test every connected mailbox again, not only those without a verdict.")
    var again = false

    func run() async throws {
        let (configuration, teamKeys) = try lemlist.resolve()
        let (ledger, again, logger) = (global.ledger, again, global.makeLogger())
        let outcome: VerifyOutcome
        do {
            outcome = try await TerminalRun.run(progress: false) { _ throws(LedgerError) in
                try await Onboarding.verify(ledgerPath: ledger, configuration: configuration, teamKeys: teamKeys, again: again, logger: logger)
            }
        } catch {
            throw fail(error)
        }
        reportPass(keyProblem: outcome.keyProblem, stop: outcome.report.stop, interrupted: outcome.report.interrupted, again: "verify",
                   lemlist: lemlist) { VerifyText.render(outcome.report) }
        throw ExitCode(outcome.exitStatus)
    }
}
