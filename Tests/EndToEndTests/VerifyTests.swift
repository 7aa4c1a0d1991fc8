import Foundation
import LemlistEmulator
import MailboxOnboard
import OnboardInput
import Testing
import TestSupport

extension EndToEnd {
    /// lemlist's account test through the built binary: one test per connected mailbox, failures listed, no repeats.
    @Suite struct Verify {
        @Test func eachConnectedMailboxIsTestedOnceAndFailuresAreListed() async throws {
            let scratch = try Scratch()
            let file = try scratch.mailboxes(30)
            let failing: [String: (smtp: String?, imap: String?)] = [
                "box3@acme-mail.com": ("Invalid credentials", nil), "box7@acme-mail.com": (nil, "IMAP is disabled for this account"),
                "box11@acme-mail.com": ("535 5.7.139 Authentication unsuccessful", "Invalid credentials"), "box20@acme-mail.com": ("Connection timed out", nil),
            ]
            let emulator = try await LemlistEmulator.start(configuration: EmulatorConfiguration(testFailures: failing))
            let environment = ["LEMLIST_API_KEY": "emulator-key"]
            let run = try await Child.run(["run", file, "--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--quiet"],
                                          environment: environment, in: scratch)
            #expect(run.status == 0, "\(run.err)")
            let verify = try await Child.run(["verify", "--ledger", scratch.ledger, "--base-url", emulator.baseURL], environment: environment, in: scratch)
            let tests = emulator.statistics.tests
            #expect(verify.status == ExitStatus.verificationFailed.rawValue, "\(verify.err)")
            #expect(tests.count == 30 && tests.values.allSatisfy { $0 == 1 }, "\(tests)")
            #expect(verify.out.contains("Verified 30 accounts (30 requests): 26 passed, 4 failed, 0 no longer in lemlist, 0 could not be tested."), "\(verify.out)")
            #expect(verify.out.contains("box11@acme-mail.com: SMTP: 535 5.7.139 Authentication unsuccessful; IMAP: Invalid credentials"))
            #expect(verify.out.contains("box7@acme-mail.com: IMAP: IMAP is disabled for this account"))

            let received = emulator.statistics.received
            let again = try await Child.run(["verify", "--ledger", scratch.ledger, "--base-url", emulator.baseURL], environment: environment, in: scratch)
            #expect(again.status == 0, "\(again.err)")
            #expect(emulator.statistics.received == received, "a second pass sent tests again")
            await emulator.stop()
        }

        @Test func anAccountRemovedInLemlistIsRecordedAsSuch() async throws {
            let scratch = try Scratch()
            let file = try scratch.mailboxes(2)
            _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
            let ledger = try Ledger(path: scratch.ledger)
            for job in try await ledger.outstanding() {
                let attempt = try #require(try await ledger.beginAttempt(job.id))
                try await ledger.finish(attempt, .connected(accountId: "umx_GONE\(job.id)"))
            }
            let emulator = try await LemlistEmulator.start()
            let verify = try await Child.run(["verify", "--ledger", scratch.ledger, "--base-url", emulator.baseURL],
                                             environment: ["LEMLIST_API_KEY": "emulator-key"], in: scratch)
            await emulator.stop()
            #expect(verify.status == ExitStatus.verificationFailed.rawValue)
            #expect(verify.out.contains("0 passed, 0 failed, 2 no longer in lemlist"), "\(verify.out)")
            #expect(verify.out.contains("box0@acme-mail.com: Email account not found (removed in lemlist)"))
        }
    }
}
