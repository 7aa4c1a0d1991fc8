import Foundation
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// A login check's verdict is about the credentials it tested.
struct CheckVerdictTests {
    @Test func aVerdictForCredentialsReplacedDuringTheCheckIsNotRecorded() async throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv([apiRow("ann@acme-mail.com")]))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
        let ledger = try Ledger(path: scratch.ledger)
        let tested = try #require(try await ledger.checkableJobs(again: false).first)
        // While the old password is being tried, the row is imported again with a new one.
        _ = try scratch.write("in.csv", csv([apiRow("ann@acme-mail.com", ["smtp_password": "New-pass-9"])]))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
        try await ledger.recordCheck(tested, CheckVerdict(passed: true))
        #expect(try await ledger.summary().checks == Summary.CheckCounts(passed: 0, failed: 0, held: 0))
        let current = try #require(try await ledger.checkableJobs(again: false).first)
        try await ledger.recordCheck(current, CheckVerdict(passed: false, hint: "h"))
        #expect(try await ledger.summary().checks == Summary.CheckCounts(passed: 0, failed: 1, held: 1))
    }
}
