import Foundation
import Logging
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// A ledger the process may not write: refused with a clear error before anything is attempted.
struct ReadOnlyLedgerTests {
    let logger = quietLogger

    /// Makes a file immutable (root ignores mode bits, not this), runs `body`, and always makes it writable again.
    func withImmutable(_ path: String, _ body: () throws -> Void) throws {
        func chattr(_ flag: String) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
            process.arguments = [flag, path]
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        try #require(try chattr("+i") == 0, "chattr +i is needed to make a file read-only for root")
        defer { _ = try? chattr("-i") }
        try body()
    }

    @Test func importIntoAReadOnlyLedgerIsRefusedAndChangesNothing() throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv([apiRow("a@acme-mail.com")]))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
        let before = try Data(contentsOf: URL(fileURLWithPath: scratch.ledger))
        try withImmutable(scratch.ledger) {
            #expect(throws: LedgerError.readOnly(path: scratch.ledger)) {
                try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.ledger)) == before)
        #expect(LedgerError.readOnly(path: "x.db").localizedDescription == "x.db: the ledger is read-only; nothing was changed")
    }
}
