import ArgumentParser
import Foundation
import MailboxOnboard
import OnboardInput

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Import FILEs if given, then connect every pending mailbox through the rate-limited worker pool.",
        discussion: """
            The API key is read from LEMLIST_API_KEY or --api-key-file, never from an argument.
            Ctrl-C stops starting requests and records the ones on the wire; run again to resume.
            """ + ExitStatus.help(ExitStatus.forRun)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var input: ImportOptionGroup

    @Argument(help: "Files to import before sending.")
    var files: [String] = []

    @OptionGroup var lemlist: LemlistOptionGroup

    @Flag(help: "Do not ask lemlist about the team before sending (members, mailboxes already there, the plan).")
    var noPreflight = false

    @Flag(help: "Test each mailbox with lemlist's account test right after its own 201 (verify covers the rest).")
    var verify = false

    @Flag(help: "Log in to each mailbox's SMTP and IMAP servers just before sending it; a failure holds it back.")
    var check = false

    @Option(help: "With --check: seconds one login may take in all, from connecting to logging out.")
    var checkTimeout: Double = CheckConfiguration.defaultTimeoutSeconds

    @OptionGroup var mail: CheckOptionGroup

    @Flag(help: "Send mailboxes whose last login check failed as well.")
    var includeFailedChecks = false

    @Flag(help: "No progress line.")
    var quiet = false

    func validate() throws {
        try CheckOptionGroup.validateTimeout(checkTimeout, option: "--check-timeout")
    }

    func run() async throws {
        var configuration = try lemlist.resolve(preflight: !noPreflight)
        configuration.verify = verify
        configuration.includeFailedChecks = includeFailedChecks
        if check {
            configuration.check = try mail.resolve(concurrency: CheckConfiguration.defaultConcurrency, timeoutSeconds: checkTimeout)
        }
        let options = try input.resolve()
        do {
            let outcome = try await TerminalRun.run(
                ledgerPath: global.ledger, files: files, importOptions: options, configuration: configuration,
                logger: global.makeLogger(), progress: !quiet, onImport: { Console.out(ImportReportText.render($0) + "\n") })
            if let problem = outcome.keyProblem {
                Console.err("error: \(problem.localizedDescription)\n")
                throw ExitCode(ExitStatus.usage)
            }
            if outcome.lanes.isEmpty {
                if let preflight = outcome.run.preflight { Console.out(PreflightText.render(preflight)) }
                if let stop = outcome.run.stop { reportStop(stop, keySource: lemlist.keySource) }
            } else {
                for lane in outcome.lanes {
                    if let preflight = lane.run.preflight { Console.out("Team \(lane.label): " + PreflightText.render(preflight)) }
                    if let stop = lane.run.stop { reportStop(stop, keySource: lemlist.keySource(team: lane.label), team: lane.label) }
                }
            }
            if outcome.run.interrupted { Console.err("interrupted: run the same command again to resume.\n") }
            var statuses = [outcome.exitStatus]
            if let checks = outcome.run.checks { Console.out(CheckText.render(checks)) }
            if let tests = outcome.run.verification {
                Console.out(VerifyText.render(tests))
                statuses.append(ExitStatus(tests))
            }
            Console.out("\n" + SummaryTable.render(try Reports.summary(ledgerPath: global.ledger), ledgerPath: global.ledger))
            throw ExitCode(ExitStatus.first(of: statuses))
        } catch let error as LedgerError {
            throw fail(error)
        }
    }
}
