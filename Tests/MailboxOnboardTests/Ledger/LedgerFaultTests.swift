import Foundation
import Logging
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// The ledger under failure: each fault gives a clear error and leaves the ledger as it was.
struct LedgerFaultTests {
    let logger = quietLogger

    @Test func aFullDiskRollsTheImportBackWhole() throws {
        let scratch = try Scratch()
        let first = try scratch.write("first.csv", csv([apiRow("a@acme-mail.com")]))
        _ = try Importer.run(files: [first], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
        let big = try scratch.write("big.csv", csv((0..<3_000).map { apiRow("u\($0)@acme-mail.com") }))
        let store = try LedgerStore(path: scratch.ledger)
        // SQLite's page cap stands in for a full disk: writes past it fail with SQLITE_FULL.
        let pages = try store.scalar("PRAGMA page_count")
        _ = try store.scalar("PRAGMA max_page_count = \(pages + 8)")
        #expect(throws: LedgerError.diskFull(path: scratch.ledger)) {
            try Importer.run(files: [big], store: store, options: ImportOptions(), logger: logger)
        }
        #expect(try store.scalar("SELECT count(*) FROM jobs") == 1)
        let summary = try Reports.summary(ledgerPath: scratch.ledger)
        #expect(summary.total == 1 && summary.count(.pending) == 1)
    }

    @Test func aTruncatedLedgerIsRefusedUntouched() throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv((0..<200).map { apiRow("u\($0)@acme-mail.com") }))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
        let whole = try Data(contentsOf: URL(fileURLWithPath: scratch.ledger))
        let cut = scratch.path("cut.db")
        try whole.prefix(whole.count / 3).write(to: URL(fileURLWithPath: cut))
        let before = try Data(contentsOf: URL(fileURLWithPath: cut))
        #expect(throws: LedgerError.self) { try LedgerStore(path: cut) }
        do {
            _ = try LedgerStore(path: cut)
        } catch {
            #expect(error.localizedDescription.hasPrefix("\(cut): "))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: cut)) == before)
    }

    @Test func anImportWaitsForARunsTransactionInsteadOfFailing() async throws {
        let scratch = try Scratch()
        let first = try scratch.write("first.csv", csv([apiRow("a@acme-mail.com")]))
        _ = try Importer.run(files: [first], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
        // Another connection holds the write lock, as a run's transaction would, then lets go.
        let holder = try LedgerStore(path: scratch.ledger)
        try holder.db.execute("BEGIN IMMEDIATE")
        let second = try scratch.write("second.csv", csv([apiRow("b@acme-mail.com")]))
        let (waiting, waits) = AsyncStream.makeStream(of: String.self)
        let ledgerPath = scratch.ledger, watcher = Logger(label: "test") { _ in MessageWatcher(waits) }
        let importer = Task.detached {
            try Importer.run(files: [second], ledgerPath: ledgerPath, options: ImportOptions(), logger: watcher)
        }
        // The lock is held until the import has found it taken; the import must wait it out, not fail.
        var messages = waiting.makeAsyncIterator()
        #expect(await messages.next()?.contains("waiting") == true)
        try holder.db.execute("COMMIT")
        let report = try await importer.value
        #expect(report.counts.added == 1)
        #expect(try Reports.summary(ledgerPath: scratch.ledger).count(.pending) == 2)
    }
}
