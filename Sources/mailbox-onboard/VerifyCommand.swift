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
        let tests = try await Self.verify(ledgerPath: global.ledger, configuration: try lemlist.resolve(), again: again,
                                          keySource: lemlist.keySource, logger: global.makeLogger())
        throw ExitCode(ExitStatus(tests))
    }

    /// Runs a verification pass that Ctrl-C stops, prints what it found, and returns it.
    static func verify(ledgerPath: String, configuration: RunConfiguration, again: Bool, keySource: String, logger: Logger) async throws -> VerifyReport {
        let result = await TerminalRun.untilSignal { () async -> Result<VerifyReport, LedgerError> in
            do throws(LedgerError) {
                return .success(try await Onboarding.verify(ledgerPath: ledgerPath, configuration: configuration, again: again, logger: logger))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case let .failure(error):
            throw fail(error)
        case let .success(tests):
            if let problem = tests.keyProblem {
                Console.err("error: \(problem.localizedDescription)\n")
                return tests
            }
            if let stop = tests.stop { reportStop(stop, keySource: keySource) }
            if tests.interrupted { Console.err("interrupted: run verify again to test the rest.\n") }
            Console.out(VerifyText.render(tests))
            return tests
        }
    }
}
