import Foundation
import Logging
import Testing
@testable import MailboxOnboard
import OnboardInput
import TestSupport

/// Workbooks through the importer into a real ledger: validated and numbered as CSV rows are.
struct WorkbookImportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../OnboardSheetsTests/Fixtures").standardized

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    func importFiles(_ files: [String], ledger: String, _ options: ImportOptions = ImportOptions()) throws -> ImportReport {
        try Importer.run(files: files, ledgerPath: ledger, options: options, logger: quietLogger)
    }

    func body(_ mailbox: String, ledger: String) throws -> [String: Any] {
        let store = try LedgerStore(path: ledger)
        let bodies = try store.db.statement("SELECT body FROM jobs WHERE mailbox = '\(mailbox)'")
        #expect(try bodies.step())
        return try #require(try JSONSerialization.jsonObject(with: Data((bodies.text(0) ?? "").utf8)) as? [String: Any])
    }

    @Test(arguments: ["libreoffice.xlsx", "libreoffice.ods"])
    func rowsAreValidatedAndNumberedByTheirSheetRow(_ name: String) throws {
        let scratch = try Scratch()
        let file = Self.fixture(name)
        let report = try importFiles([file], ledger: scratch.ledger)
        #expect(report.rows == 3 && report.counts.added == 1 && report.counts.invalid == 2)
        #expect(ExitStatus(report) == .invalidRows)
        let errors = report.diagnostics.filter { $0.severity == .error }
        #expect(Set(errors.compactMap(\.line)) == [5, 6])
        #expect(errors.contains { $0.line == 6 && $0.field == "smtp_login" && $0.problem == "is required" })
        let ann = try body("ann@acme-mail.com", ledger: scratch.ledger)
        #expect(ann["sender_name"] as? String == "Ann Example")
        #expect(ann["smtp_password"] as? String == "9876")
        #expect(ann["smtp_port"] as? Int == 587)
        #expect(ann["smtp_secure"] as? Bool == false)
        #expect(ann["imap_secure"] as? Bool == true)
        // Nothing said about the rows shows a password.
        #expect(!report.diagnostics.contains { "\($0)".contains("9876") || "\($0)".contains("two  spaces") })
    }

    @Test func openpyxlsTypedCellsBecomeTheRequest() throws {
        let scratch = try Scratch()
        let report = try importFiles([Self.fixture("openpyxl.xlsx")], ledger: scratch.ledger)
        #expect(report.counts.added == 3 && report.counts.invalid == 1)
        let dave = try body("dave@acme-mail.com", ledger: scratch.ledger)
        #expect(dave["smtp_password"] as? String == "0042")
        #expect(dave["imap_password"] as? String == "123456789012")
        // A blank secure flag is inferred from the port, as for CSV.
        #expect(dave["smtp_secure"] as? Bool == false && dave["imap_secure"] as? Bool == true)
        let alice = try body("alice@acme-mail.com", ledger: scratch.ledger)
        #expect(alice["smtp_secure"] as? Bool == false && alice["imap_secure"] as? Bool == true)
        #expect(alice["sender_name"] as? String == "Alice Martin")
    }

    /// `--format` reads a workbook under any name; the kind is told from its parts.
    @Test func aWorkbookUnderAnotherNameIsReadWithFormat() throws {
        let scratch = try Scratch()
        let copy = scratch.path("accounts.export")
        try FileManager.default.copyItem(atPath: Self.fixture("libreoffice.ods"), toPath: copy)
        let refused = try importFiles([copy], ledger: scratch.ledger)
        #expect(ExitStatus(refused) == .unreadableInput)
        #expect(refused.unreadable.first?.localizedDescription.contains("--format xlsx or ods") == true)
        let read = try importFiles([copy], ledger: scratch.ledger, ImportOptions(format: .xlsx))
        #expect(read.counts.added == 1 && read.unreadable.isEmpty)
    }

    @Test func aSecondSheetIsImportedByName() throws {
        let scratch = try Scratch()
        let report = try importFiles([Self.fixture("openpyxl.xlsx")], ledger: scratch.ledger, ImportOptions(sheet: "Archive"))
        #expect(report.rows == 1)
        #expect(report.diagnostics.contains { $0.line == 2 && $0.field == "smtp_login" })
    }

    /// A refused workbook stops like any unreadable file: exit 4, and the other files are still imported.
    @Test(arguments: ["bomb.xlsx", "entities.xlsx", "macro.xlsm", "encrypted.xlsx", "truncated.xlsx"])
    func aRefusedWorkbookIsAnUnreadableFile(_ name: String) throws {
        let scratch = try Scratch()
        let good = try scratch.mailboxes(2)
        let report = try importFiles([Self.fixture(name), good], ledger: scratch.ledger)
        #expect(ExitStatus(report) == .unreadableInput)
        #expect(report.unreadable.count == 1 && report.counts.added == 2)
    }
}
