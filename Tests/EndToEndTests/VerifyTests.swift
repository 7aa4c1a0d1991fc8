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
            try await withEmulator(EmulatorConfiguration(testFailures: failing)) { emulator in
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

                let json = try await Child.run(["summary", "--json", "--rows", "--ledger", scratch.ledger], in: scratch)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
                #expect((object["verification"] as? [String: Int]) == ["passed": 26, "failed": 4])
                let rows = try #require(object["rows"] as? [[String: Any]])
                let box11 = try #require(rows.first { $0["sender_email"] as? String == "box11@acme-mail.com" }?["verification"] as? [String: Any])
                #expect(box11["passed"] as? Bool == false && box11["smtp"] as? String == "535 5.7.139 Authentication unsuccessful")
                #expect(rows.filter { ($0["verification"] as? [String: Any])?["passed"] as? Bool == true }.count == 26)
                let export = scratch.path("fix.csv")
                _ = try await Child.run(["summary", "--ledger", scratch.ledger, "--failed-csv", export], in: scratch)
                let exported = try String(contentsOfFile: export, encoding: .utf8)
                #expect(exported.split(separator: "\r\n").count == 5, "\(exported)")
                #expect(exported.contains("box3@acme-mail.com,connected,account test failed,SMTP: Invalid credentials"), "\(exported)")

                let received = emulator.statistics.received
                let again = try await Child.run(["verify", "--ledger", scratch.ledger, "--base-url", emulator.baseURL], environment: environment, in: scratch)
                #expect(again.status == 0, "\(again.err)")
                #expect(emulator.statistics.received == received, "a second pass sent tests again")
            }
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
            try await withEmulator { emulator in
                let verify = try await Child.run(["verify", "--ledger", scratch.ledger, "--base-url", emulator.baseURL],
                                                 environment: ["LEMLIST_API_KEY": "emulator-key"], in: scratch)
                #expect(verify.status == ExitStatus.verificationFailed.rawValue)
                #expect(verify.out.contains("0 passed, 0 failed, 2 no longer in lemlist"), "\(verify.out)")
                #expect(verify.out.contains("box0@acme-mail.com: Email account not found (removed in lemlist)"))
            }
        }

        /// Killed mid-pass, then run again: no recorded verdict is tested again, none is lost, and a test that was on
        /// the wire at the kill is sent at most once more.
        @Test func aVerifyKilledMidPassTestsEachJobAtMostOnceMore() async throws {
            let scratch = try Scratch()
            let file = try scratch.mailboxes(30)
            try await withEmulator(EmulatorConfiguration(
                rateLimit: 1000, latency: .milliseconds(100) ... .milliseconds(300))) { emulator in
                let environment = ["LEMLIST_API_KEY": "emulator-key"]
                let base = ["--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--rate", "1000/2s"]
                #expect(try await Child.run(["run", file, "--quiet", "--no-preflight"] + base, environment: environment, in: scratch).status == 0)
                let before = emulator.statistics.received
                let child = try Child(["verify", "--concurrency", "8"] + base, environment: environment, in: scratch)
                await emulator.waitForRequests(before + 12)
                kill(child.process.processIdentifier, SIGKILL)
                #expect(await child.wait() == SIGKILL)
                let killedAfter = emulator.statistics.tests.count
                let again = try await Child.run(["verify"] + base, environment: environment, in: scratch)
                #expect(again.status == 0, "\(again.err)")
                let tests = emulator.statistics.tests
                #expect(tests.count == 30 && tests.values.allSatisfy { $0 <= 2 }, "\(tests)")
                #expect(tests.values.filter { $0 == 2 }.count <= 8, "only tests on the wire at the kill may repeat")
                #expect(killedAfter > 0 && killedAfter < 30, "the kill came mid-pass (\(killedAfter) tested)")
                #expect(try ledgerSummary(scratch.ledger).verification == Summary.VerificationCounts(passed: 30, failed: 0))
            }
        }

        @Test func runWithVerifyTestsWhatItConnectedAndExitsElevenOnAFailure() async throws {
            let scratch = try Scratch()
            let file = try scratch.mailboxes(5)
            try await withEmulator(EmulatorConfiguration(testFailures: ["box2@acme-mail.com": (nil, "Invalid credentials")])) { emulator in
                let result = try await Child.run(["run", file, "--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--quiet", "--verify"],
                                                 environment: ["LEMLIST_API_KEY": "emulator-key"], in: scratch)
                #expect(result.status == ExitStatus.verificationFailed.rawValue, "\(result.err)")
                #expect(emulator.statistics.tests.count == 5)
                #expect(result.out.contains("box2@acme-mail.com: IMAP: Invalid credentials"), "\(result.out)")
                #expect(ExitStatus.first(of: [.invalidRows, .verificationFailed, .failedJobs]) == .failedJobs)
                #expect(ExitStatus.first(of: [.interrupted, .unauthorized]) == .unauthorized)
            }
        }
    }
}
