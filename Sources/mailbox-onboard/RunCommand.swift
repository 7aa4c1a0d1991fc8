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

    @Flag(help: "Check each sending domain's DNS once before sending, and log in to each mailbox's SMTP and IMAP servers just before sending it; a failure holds it back.")
    var check = false

    @Option(help: "With --check: seconds one login may take in all, from connecting to logging out.")
    var checkTimeout: Double = CheckConfiguration.defaultTimeoutSeconds

    @OptionGroup var mail: CheckOptionGroup

    @Flag(help: "Send mailboxes whose last login or domain check failed as well.")
    var includeFailedChecks = false

    @Flag(help: "No progress line.")
    var quiet = false

    func validate() throws {
        try CheckOptionGroup.validateTimeout(checkTimeout, option: "--check-timeout")
    }

    func run() async throws {
        var (configuration, teamKeys) = try lemlist.resolve(preflight: !noPreflight)
        configuration.verify = verify
        configuration.includeFailedChecks = includeFailedChecks
        if check {
            configuration.check = try mail.resolve(concurrency: CheckConfiguration.defaultConcurrency, timeoutSeconds: checkTimeout)
        }
        let options = try input.resolve()
        let (ledger, files, logger, resolved, keys) = (global.ledger, files, global.makeLogger(), configuration, teamKeys)
        let outcome: OnboardingOutcome
        do {
            outcome = try await TerminalRun.run(progress: !quiet, onImport: { Console.out(ImportReportText.render($0) + "\n") }) { events throws(LedgerError) in
                try await Onboarding.run(ledgerPath: ledger, files: files, importOptions: options, configuration: resolved,
                                         teamKeys: keys, logger: logger, events: events)
            }
        } catch {
            throw fail(error)
        }
        Self.render(outcome, lemlist: lemlist, ledgerPath: ledger)
        throw ExitCode(outcome.exitStatus)
    }

    /// What a run found, for the person: a key plan that cannot be met, each key's pre-flight and stop, the checks
    /// and tests made on the way, and the ledger's summary.
    static func render(_ outcome: OnboardingOutcome, lemlist: LemlistOptionGroup, ledgerPath: String) {
        if let problem = outcome.keyProblem {
            Console.err("error: \(problem.localizedDescription)\n")
            return
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
        if let checks = outcome.run.checks { Console.out(CheckText.render(checks)) }
        if let tests = outcome.run.verification { Console.out(VerifyText.render(tests)) }
        if let settings = outcome.run.settings { Console.out(SettingsText.render(settings)) }
        Console.out("\n" + SummaryTable.render(outcome.summary, ledgerPath: ledgerPath))
    }
}
