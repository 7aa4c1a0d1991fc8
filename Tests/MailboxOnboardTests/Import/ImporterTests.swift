import Foundation
import Logging
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// Reading whole files through the importer into a real ledger.
struct ImporterTests {
    let logger = quietLogger

    func importFiles(_ files: [String], ledger: String, _ options: ImportOptions = ImportOptions()) throws -> ImportReport {
        try Importer.run(files: files, ledgerPath: ledger, options: options, logger: logger)
    }

    @Test func validRowsAreRecordedEvenBesideInvalidOnes() throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv([apiRow("a@acme-mail.com"), apiRow("b@acme-mail.com", ["smtp_port": "99999"]), apiRow("c@acme-mail.com")]))
        let report = try importFiles([file], ledger: scratch.ledger)
        #expect(report.counts.added == 2)
        #expect(report.counts.invalid == 1)
        let error = try #require(report.diagnostics.first { $0.severity == .error })
        #expect(error.description == "\(file):3: smtp_port: must be a whole number from 1 to 65535 ('99999')")
        #expect(ExitStatus(report) == .invalidRows)
        let summary = try Reports.summary(ledgerPath: scratch.ledger)
        #expect(summary.count(.pending) == 2 && summary.count(.invalid) == 1)
    }

    @Test func semicolonCRLFExportWithBOMImports() throws {
        let scratch = try Scratch()
        let text = csv([apiRow("a@acme-mail.com"), apiRow("b@acme-mail.com")], delimiter: ";").replacingOccurrences(of: "\n", with: "\r\n")
        let file = try scratch.write("eu.csv", bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        let report = try importFiles([file], ledger: scratch.ledger)
        #expect(report.counts.added == 2 && report.counts.invalid == 0)
    }

    @Test func reimportingTheSameFileAddsNothing() throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv([apiRow("a@acme-mail.com"), apiRow("b@acme-mail.com", ["imap_host": "localhost"])]))
        _ = try importFiles([file], ledger: scratch.ledger)
        let again = try importFiles([file], ledger: scratch.ledger)
        #expect(again.counts.added == 0 && again.counts.unchanged == 1 && again.counts.invalid == 1)
        #expect(try Reports.summary(ledgerPath: scratch.ledger).total == 2)
    }

    @Test func changedRowUpdatesAJobNotYetSent() throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv([apiRow("a@acme-mail.com")]))
        _ = try importFiles([file], ledger: scratch.ledger)
        try scratch.write("in.csv", csv([apiRow("a@acme-mail.com", ["smtp_port": "465"])]))
        let again = try importFiles([file], ledger: scratch.ledger)
        #expect(again.counts.updated == 1 && again.counts.added == 0)
    }

    /// Rows are written in chunks; this mixes every kind of row across chunk edges and checks each one's fate.
    @Test func aLargeReimportDecidesEveryRowAsIfWrittenOneByOne() throws {
        let scratch = try Scratch()
        let count = LedgerStore.insertChunk * 3 + 5
        let emails = (0..<count).map { "box\($0)@acme-mail.com" }
        let first = try scratch.write("first.csv", csv(emails.prefix(50).map { apiRow($0) }))
        _ = try importFiles([first], ledger: scratch.ledger)
        let store = try LedgerStore(path: scratch.ledger)
        try store.db.execute("UPDATE jobs SET state = 'connected', body = NULL WHERE mailbox IN ('box1@acme-mail.com', 'box40@acme-mail.com')")
        try store.db.execute("UPDATE jobs SET state = 'failed', body = NULL WHERE mailbox = 'box2@acme-mail.com'")
        try store.db.execute("UPDATE jobs SET state = 'in_flight' WHERE mailbox = 'box3@acme-mail.com'")

        var rows = emails.map { apiRow($0) }
        rows[4] = apiRow(emails[4], ["smtp_port": "465"])                  // changed, not yet sent: updated
        rows[60] = apiRow(emails[60], ["imap_port": "0"])                  // invalid, new
        rows[70] = apiRow(emails[70])                                      // new; invalidated by the next row
        rows.insert(apiRow(emails[70], ["smtp_host": "localhost"]), at: 71)
        let second = try scratch.write("second.csv", csv(rows))
        let report = try importFiles([second], ledger: scratch.ledger)

        #expect(report.counts.alreadyConnected == 2)
        #expect(report.counts.rearmed == 1)
        #expect(report.counts.inFlight == 1)
        #expect(report.counts.updated == 50 - 4, "rows of the first file now come from the second file")
        #expect(report.counts.invalid == 2)
        #expect(report.counts.added == count - 50 - 1)
        for email in emails {
            #expect(try store.scalar("SELECT count(*) FROM jobs WHERE mailbox = ? OR sender_email = ?", email, email) == 1, "one job for \(email)")
        }
        #expect(try store.scalar("SELECT count(*) FROM jobs WHERE sender_email = 'box70@acme-mail.com' AND state = 'invalid'") == 1)
        #expect(try store.scalar("SELECT count(*) FROM jobs WHERE state = 'pending'") == count - 2 - 1 - 2, "all but connected, in flight and invalid")
        #expect(try store.scalar("SELECT count(*) FROM jobs WHERE mailbox = 'box4@acme-mail.com' AND body LIKE '%\"smtp_port\":465%'") == 1)
    }

    @Test func duplicateMailboxIsReportedAgainstTheFirst() throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv([apiRow("a@acme-mail.com"), apiRow("A@ACME-mail.com")]))
        let report = try importFiles([file], ledger: scratch.ledger)
        #expect(report.counts.added == 1 && report.counts.invalid == 1)
        #expect(report.diagnostics.contains { $0.line == 3 && $0.detail == "first at \(file):2" })
    }

    @Test func strictRecordsNothingWhenAnyRowIsInvalid() throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv([apiRow("a@acme-mail.com"), apiRow("b@acme-mail.com", ["smtp_host": "smtp.gmail.com"])]))
        let report = try importFiles([file], ledger: scratch.ledger, ImportOptions(strict: true))
        #expect(!report.committed)
        #expect(try Reports.summary(ledgerPath: scratch.ledger).total == 0)
    }

    @Test func jsonArrayAndJSONLinesImportWithLineNumbers() throws {
        let scratch = try Scratch()
        let array = try scratch.write("a.json", """
            [
              {"sender_name": "A", "sender_email": "a@acme-mail.com", "smtp_host": "smtp.acme-mail.com", "smtp_port": 587,
               "smtp_login": "a", "smtp_password": "p", "imap_host": "imap.acme-mail.com", "imap_port": 993,
               "imap_login": "a", "imap_password": "p", "smtp_secure": false},
              {"sender_name": "B", "sender_email": "b@acme-mail.com", "smtp_port": {"nested": 1}},
              {"sender_name": "C", "sender_email": "c@acme-mail.com", "smtp_host": "smtp.acme-mail.com", "smtp_port": 587,
               "smtp_login": "c", "smtp_password": "p", "imap_host": "imap.acme-mail.com", "imap_port": 993,
               "imap_login": "c", "imap_password": "p", "notes": "x"}
            ]
            """)
        let report = try importFiles([array], ledger: scratch.ledger)
        #expect(report.counts.added == 2 && report.counts.invalid == 1)
        #expect(report.diagnostics.contains { $0.line == 5 && $0.severity == .error })
        #expect(report.diagnostics.contains { $0.problem.contains("'notes'") })

        let lines = try scratch.write("b.jsonl", """
            {"sender_name":"D","sender_email":"d@acme-mail.com","smtp_host":"smtp.acme-mail.com","smtp_port":"587","smtp_login":"d","smtp_password":"p","imap_host":"imap.acme-mail.com","imap_port":"993","imap_login":"d","imap_password":"p"}
            {not json}
            {"sender_name":"E","sender_email":"e@acme-mail.com","smtp_host":"smtp.acme-mail.com","smtp_port":587,"smtp_login":"e","smtp_password":"p","imap_host":"imap.acme-mail.com","imap_port":993,"imap_login":"e","imap_password":"p"}
            """)
        let second = try importFiles([lines], ledger: scratch.ledger)
        #expect(second.counts.added == 2 && second.counts.invalid == 1)
        #expect(second.diagnostics.contains { $0.line == 2 && $0.problem == "is not valid JSON" })
    }

    @Test func unterminatedQuoteLosesOnlyItsOwnLine() throws {
        let scratch = try Scratch()
        var text = csv([apiRow("a@acme-mail.com")])
        text += "\"Broken,b@acme-mail.com,smtp.acme-mail.com,587,b,p,,imap.acme-mail.com,993,b,p,,\n"
        text += csv([apiRow("c@acme-mail.com")]).split(separator: "\n").dropFirst().joined(separator: "\n") + "\n"
        let file = try scratch.write("in.csv", text)
        let report = try importFiles([file], ledger: scratch.ledger)
        #expect(report.counts.added == 2)
        #expect(report.diagnostics.contains { $0.line == 3 && $0.severity == .error && $0.problem.contains("never closed") })
    }

    @Test func anUnterminatedQuoteIsAnInvalidRowOnItsLine() throws {
        let scratch = try Scratch()
        var text = csv([apiRow("a@acme-mail.com")])
        text += "\"Broken,b@acme-mail.com,smtp.acme-mail.com,587,b,PLANTED-pw,,imap.acme-mail.com,993,b,PLANTED-pw,,\n"
        let file = try scratch.write("in.csv", text)
        let report = try importFiles([file], ledger: scratch.ledger)
        #expect(report.counts.added == 1 && report.counts.invalid == 1)
        #expect(ExitStatus(report) == .invalidRows)
        let summary = try Reports.summary(ledgerPath: scratch.ledger)
        let row = try #require(summary.failedRows.first)
        #expect(row.state == .invalid && row.line == 3 && row.error?.contains("never closed") == true)
        #expect(!(row.error ?? "").contains("PLANTED"))
        let strict = try Scratch()
        let refused = try importFiles([try strict.write("in.csv", text)], ledger: strict.ledger, ImportOptions(strict: true))
        #expect(!refused.committed)
        #expect(try Reports.summary(ledgerPath: strict.ledger).total == 0)
    }

    /// A sender name with an unquoted comma pushes every later value one column right, so a password lands in a host
    /// column: none of that row's values may be shown or kept.
    @Test func aShiftedRowShowsNoneOfItsValues() throws {
        let scratch = try Scratch()
        let header = "sender_name,sender_email,smtp_host,smtp_port,smtp_login,smtp_password,imap_host,imap_port,imap_login,imap_password"
        let shifted = "Doe, John,john@acme-mail.com,smtp.acme-mail.com,587,john,my secret!,imap.acme-mail.com,993,john,PLANTED other"
        let file = try scratch.write("in.csv", header + "\n" + shifted + "\n")
        let report = try importFiles([file], ledger: scratch.ledger)
        #expect(report.counts.invalid == 1)
        let shown = ImportReportText.render(report)
        #expect(shown.contains("\(file):2: has 11 values but the header has 10 columns"))
        for secret in ["my secret", "PLANTED", "john@acme-mail.com", "smtp.acme-mail.com"] {
            #expect(!shown.contains(secret), "\(secret)")
        }
        let failed = scratch.path("failed.csv")
        try Reports.writeFailedCSV(ledgerPath: scratch.ledger, to: failed)
        let export = try String(contentsOfFile: failed, encoding: .utf8)
        #expect(export.contains("has 11 values") && !export.contains("secret") && !export.contains("PLANTED"))
        let store = try LedgerStore(path: scratch.ledger)
        #expect(try store.scalar("SELECT count(*) FROM jobs WHERE last_error LIKE '%secret%' OR sender_email != ''") == 0)
    }

    /// What Excel writes for a sheet whose names hold Alt+Enter line breaks and whose passwords hold tabs.
    @Test func aQuotedMultiLineExportImportsEveryRow() throws {
        let scratch = try Scratch()
        var text = "Name,Email,SMTP Host,SMTP Port,SMTP Username,SMTP Password,IMAP Host,IMAP Port,IMAP Username,IMAP Password\r\n"
        for index in 0..<12 {
            let name = index % 3 == 0 ? "\"Ann\nExample \(index)\"" : "Ann Example \(index)"
            let password = index % 2 == 0 ? "\"pw\t\(index)\"" : "pw-\(index)"
            text += "\(name),ann\(index)@acme-mail.com,smtp.acme-mail.com,587,ann\(index),\(password),imap.acme-mail.com,993,ann\(index),\(password)\r\n"
        }
        let file = try scratch.write("excel.csv", text)
        let report = try importFiles([file], ledger: scratch.ledger)
        #expect(report.counts.added == 12 && report.counts.invalid == 0)
        let store = try LedgerStore(path: scratch.ledger)
        let bodies = try store.db.statement("SELECT body FROM jobs WHERE mailbox = 'ann0@acme-mail.com'")
        #expect(try bodies.step())
        let object = try #require(try JSONSerialization.jsonObject(with: Data((bodies.text(0) ?? "").utf8)) as? [String: Any])
        #expect(object["sender_name"] as? String == "Ann Example 0")
        #expect(object["smtp_password"] as? String == "pw\t0")
    }

    @Test(arguments: [
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG image"),
        ([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], "a ZIP archive; an .xlsx or .ods workbook is read when its name ends so, or with --format xlsx or ods"),
    ] as [([UInt8], String)])
    func binaryFilesAreRefusedByKind(_ bytes: [UInt8], _ kind: String) throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", bytes: bytes + [UInt8](repeating: 7, count: 100))
        let report = try importFiles([file], ledger: scratch.ledger)
        #expect(report.unreadable == [.notASpreadsheet(file: file, looksLike: kind)])
        #expect(ExitStatus(report) == .unreadableInput)
    }

    @Test func emptyAndMissingFilesAreUnreadable() throws {
        let scratch = try Scratch()
        let empty = try scratch.write("empty.csv", "")
        let report = try importFiles([empty, scratch.path("missing.csv")], ledger: scratch.ledger)
        #expect(report.unreadable.count == 2)
        #expect(report.unreadable[0] == .empty(file: empty))
    }
}
