import ArgumentParser
import Foundation
import MailboxOnboard
import OnboardInput

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Import FILEs if given, then check every outstanding mailbox's sending domain (DNS) and SMTP and IMAP logins. No lemlist request is made.",
        discussion: """
            First each distinct sending domain once: MX and SPF must be sound (no MX, a null MX, no or two SPF records, \
            an invalid one, more than 10 DNS lookups or 2 void lookups, +all fail), a missing DMARC record or DKIM key \
            at a common selector warns, a name that does not answer warns and is looked at again next time. Then each \
            pending and retrying job that has not passed a check yet (--again: all of them), each login once; \
            a timeout or connection failure is tried once more, a refused login never. A job whose login or domain \
            failed is held back from run until fixed and checked again (or run --include-failed-checks). \
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
