import Foundation
import Logging
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// A first import builds the ledger beside its path and publishes it whole.
struct LedgerDraftTests {
    let logger = quietLogger

    func importRows(_ count: Int, into scratch: Scratch) throws -> ImportReport {
        let file = try scratch.write("in.csv", csv((0..<count).map { apiRow("u\($0)@acme-mail.com") }))
        return try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
    }

    func journalMode(_ path: String) throws -> String? {
        let db = try SQLiteConnection(path: path, readOnly: true)
        let statement = try db.statement("PRAGMA journal_mode")
        defer { statement.reset() }
        return try statement.step() ? statement.text(0) : nil
    }

    @Test func aFirstImportPublishesAWholeLedgerInWALModeAndLeavesNoDraft() throws {
        let scratch = try Scratch()
        let report = try importRows(3, into: scratch)
        #expect(report.counts.added == 3)
        #expect(try journalMode(scratch.ledger) == "wal")
        #expect(try LedgerStore(path: scratch.ledger).scalar("SELECT count(*) FROM jobs WHERE state = 'pending'") == 3)
        let mode = try FileManager.default.attributesOfItem(atPath: scratch.ledger)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.hasPrefix("onboarding.db.new") }
        #expect(left.isEmpty, "\(left)")
    }

    @Test func aDraftAndJournalLeftByAKilledImportAreReplaced() throws {
        let scratch = try Scratch()
        // A real hot journal: a database and its journal copied mid-transaction, after pages were spilled, which is
        // what a killed writer leaves. SQLite rolls such a journal into the file beside it unless it is dropped.
        let origin = scratch.path("origin.db")
        let writer = try SQLiteConnection(path: origin)
        try writer.execute("PRAGMA journal_mode = DELETE; PRAGMA cache_size = 1; CREATE TABLE planted (x); INSERT INTO planted VALUES (zeroblob(50000))")
        try writer.execute("BEGIN; INSERT INTO planted SELECT zeroblob(50000) FROM planted; UPDATE planted SET x = zeroblob(60000)")
        #expect(FileManager.default.fileExists(atPath: origin + "-journal"))
        try FileManager.default.copyItem(atPath: origin, toPath: scratch.ledger + ".new")
        try FileManager.default.copyItem(atPath: origin + "-journal", toPath: scratch.ledger + ".new-journal")
        try writer.execute("ROLLBACK")

        let report = try importRows(2, into: scratch)
        #expect(report.counts.added == 2)
        let ledger = try LedgerStore(path: scratch.ledger)
        #expect(try ledger.scalar("SELECT count(*) FROM jobs") == 2)
        #expect(try ledger.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'planted'") == 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.ledger + ".new"))
        #expect(!FileManager.default.fileExists(atPath: scratch.ledger + ".new-journal"))
    }

    @Test func aLedgerCreatedWhileADraftIsBuiltIsNeverReplaced() throws {
        let scratch = try Scratch()
        let draft = try #require(try LedgerDraft.begin(path: scratch.ledger))
        let store = try #require(draft.store)
        try store.db.execute("INSERT INTO jobs (source, line, sender_email, state, created_at, updated_at) VALUES ('draft.csv', 2, 'draft@acme-mail.com', 'invalid', 0, 0)")

        // While the draft is held, an import cannot build a second one and writes the ledger in place.
        let report = try importRows(4, into: scratch)
        #expect(report.counts.added == 4)

        #expect(try draft.publish() == false)
        let ledger = try LedgerStore(path: scratch.ledger)
        #expect(try ledger.scalar("SELECT count(*) FROM jobs") == 4)
        #expect(try ledger.scalar("SELECT count(*) FROM jobs WHERE source = 'draft.csv'") == 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.ledger + ".new"))
    }

    @Test func anImportIntoAnExistingLedgerDoesNotUseADraft() throws {
        let scratch = try Scratch()
        _ = try importRows(1, into: scratch)
        #expect(try LedgerDraft.begin(path: scratch.ledger) == nil)
        let report = try importRows(3, into: scratch)
        #expect(report.counts.added == 2 && report.counts.unchanged == 1)
    }

    /// What a `kill -9` during a first import leaves: the draft, with every password of the file in it.
    func leaveDraft(in scratch: Scratch) throws -> String {
        let draft = scratch.ledger + ".new"
        try Data("SQLite format 3\0smtp_password Hunter-2-hunter".utf8).write(to: URL(fileURLWithPath: draft))
        try Data("journal".utf8).write(to: URL(fileURLWithPath: draft + "-journal"))
        return draft
    }

    @Test func aDraftLeftByAKilledImportIsErasedBeforeAReportRefusesTheMissingLedger() throws {
        let scratch = try Scratch()
        let draft = try leaveDraft(in: scratch)
        #expect(throws: LedgerError.missing(path: scratch.ledger)) { try Reports.summary(ledgerPath: scratch.ledger) }
        #expect(!FileManager.default.fileExists(atPath: draft) && !FileManager.default.fileExists(atPath: draft + "-journal"))
        #expect(!FileManager.default.fileExists(atPath: scratch.ledger), "no empty ledger was made")
    }

    @Test func aDraftBesideAnExistingLedgerIsErasedWhenTheLedgerIsOpened() throws {
        let scratch = try Scratch()
        _ = try importRows(2, into: scratch)
        let draft = try leaveDraft(in: scratch)
        _ = try Ledger(path: scratch.ledger)
        #expect(!FileManager.default.fileExists(atPath: draft))
    }

    @Test func aDraftAnImportIsBuildingIsLeftAlone() throws {
        let scratch = try Scratch()
        let building = try #require(try LedgerDraft.begin(path: scratch.ledger))
        LedgerDraft.removeAbandoned(ledgerPath: scratch.ledger)
        #expect(FileManager.default.fileExists(atPath: building.draftPath))
        #expect(try building.publish())
    }

    @Test func aMissingLedgerIsNotMadeByTheCommandsThatOnlyReadOrWorkThroughIt() async throws {
        let scratch = try Scratch()
        await #expect(throws: LedgerError.missing(path: scratch.ledger)) {
            try await Onboarding.verify(ledgerPath: scratch.ledger, configuration: RunConfiguration(baseURL: "https://api.lemlist.com/api",
                                                                                                  apiKey: Secret("k")), again: false, logger: quietLogger)
        }
        #expect(throws: ReportError.ledger(.missing(path: scratch.ledger))) { try Reports.writeFailedCSV(ledgerPath: scratch.ledger, to: scratch.path("x.csv")) }
        #expect(LedgerError.missing(path: "typo.db").localizedDescription.hasPrefix("typo.db: there is no ledger here"))
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.hasPrefix("onboarding.db") }
        #expect(left.isEmpty, "\(left)")
    }
}
