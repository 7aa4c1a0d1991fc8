import ArgumentParser
import Foundation
import Logging
import MailboxOnboard
import OnboardInput

struct DisconnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disconnect",
        abstract: "Remove mailboxes from lemlist: by the emails in files, by --team, or by --failed-verification.",
        discussion: """
            Without --yes, prints what it would remove and sends nothing. With --yes, one DELETE per mailbox through \
            the same rate limit and retries as run, each answer recorded in the ledger before the next; removal cannot \
            be undone (and resets a mailbox's warm-up history).
            """ + ExitStatus.help(ExitStatus.forDisconnect)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var lemlist: LemlistOptionGroup

    @Argument(help: "Files whose email column names the mailboxes (CSV, JSON, JSON Lines, .xlsx, .ods); nothing else is read from them.")
    var files: [String] = []

    @Option(help: "Every mailbox of this team (as --team-keys names it). Repeatable.")
    var team: [String] = []

    @Flag(help: "The connected mailboxes whose lemlist account test failed.")
    var failedVerification = false

    @Flag(help: "Remove them. Without it, nothing is sent.")
    var yes = false

    func validate() throws {
        guard !files.isEmpty || !team.isEmpty || failedVerification else {
            throw ValidationError("say which mailboxes: FILE..., --team NAME or --failed-verification")
        }
    }

    func run() async throws {
        let (configuration, teamKeys) = try lemlist.resolve()
        let list = EmailList.read(files: files, options: ImportOptions())
        for error in list.unreadable { Console.err("error: \(error.localizedDescription)\n") }
        for problem in list.problems { Console.err("\(problem)\n") }
        guard list.unreadable.isEmpty else { throw ExitCode(.unreadableInput) }
        let selection = DisconnectSelection(emails: list.emails, teams: team, failedVerification: failedVerification)
        let (ledger, logger, remove) = (global.ledger, global.makeLogger(), yes)
        let outcome: DisconnectOutcome
        do {
            outcome = try await TerminalRun.run(progress: false) { _ throws(LedgerError) in
                try await Onboarding.disconnect(ledgerPath: ledger, selection: selection, remove: remove, configuration: configuration,
                                                teamKeys: teamKeys, logger: logger)
            }
        } catch {
            throw fail(error)
        }
        reportPass(keyProblem: outcome.keyProblem, stop: outcome.stop, interrupted: outcome.interrupted, again: "disconnect", lemlist: lemlist) {
            DisconnectText.render(outcome)
        }
        throw ExitCode(outcome.exitStatus)
    }
}
