import ArgumentParser
import Foundation
import MailboxOnboard
import OnboardInput

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Import FILEs if given, then log in to every outstanding mailbox's SMTP and IMAP servers. No lemlist request is made.",
        discussion: """
            Checks pending and retrying jobs that have not passed a check yet (--again: all of them), each login once; \
            a timeout or connection failure is tried once more, a refused login never. A job whose check failed is held \
            back from run until its row is fixed and imported again (or run --include-failed-checks). \
            summary lists failures with a hint.
            """ + ExitStatus.help(ExitStatus.forCheck)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var input: ImportOptionGroup

    @Argument(help: "Files to import before checking.")
    var files: [String] = []

    @OptionGroup var mail: CheckOptionGroup

    @Option(help: "Mailboxes checked at once (each opens an SMTP and an IMAP connection).")
    var concurrency: Int = CheckConfiguration.defaultConcurrency

    @Option(help: "Seconds one login may take in all, from connecting to logging out.")
    var timeout: Double = CheckConfiguration.defaultTimeoutSeconds

    @Flag(help: "Check every outstanding mailbox again, not only those that have not passed.")
    var again = false

    @Flag(help: "No progress line.")
    var quiet = false

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        try CheckOptionGroup.validateTimeout(timeout, option: "--timeout")
    }

    func run() async throws {
        let configuration = try mail.resolve(concurrency: concurrency, timeoutSeconds: timeout)
        let options = try input.resolve()
        let (ledger, files, again, logger) = (global.ledger, files, again, global.makeLogger())
        let outcome: CheckOutcome
        do {
            outcome = try await TerminalRun.run(progress: !quiet, onImport: { Console.out(ImportReportText.render($0) + "\n") }) { events throws(LedgerError) in
                try await Onboarding.check(ledgerPath: ledger, files: files, importOptions: options, configuration: configuration, again: again,
                                           logger: logger, events: events)
            }
        } catch {
            throw fail(error)
        }
        if outcome.report.interrupted { Console.err("interrupted: run check again to check the rest.\n") }
        if outcome.importReport?.committed != false { Console.out(CheckText.render(outcome.report)) }
        throw ExitCode(outcome.exitStatus)
    }
}
