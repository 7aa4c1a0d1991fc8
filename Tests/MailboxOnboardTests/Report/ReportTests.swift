import Foundation
import Logging
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

struct ReportTests {
    let logger = quietLogger

    @Test func jsonSummaryHasEveryStateFailuresAndRows() throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv([apiRow("a@acme-mail.com"), apiRow("b@acme-mail.com", ["imap_host": "10.0.0.1", "imap_password": "PLANTED-pw"])]))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
        var text = ""
        try Reports.writeJSON(ledgerPath: scratch.ledger, includeRows: true, to: &text)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["total"] as? Int == 2)
        let states = try #require(object["by_state"] as? [String: Int])
        #expect(Set(states.keys) == Set(JobState.allCases.map(\.rawValue)))
        #expect(states["pending"] == 1 && states["invalid"] == 1)
        let failures = try #require(object["failures"] as? [[String: Any]])
        #expect(failures.first?["reason"] as? String == "imap_host: is a private address (10.0.0.0/8)")
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(Set(rows[0].keys) == ["source", "line", "sender_email", "state", "attempts", "account_id", "error", "verification", "check", "team", "settings"])
        #expect(rows[0]["verification"] is NSNull && rows[0]["check"] is NSNull)
        #expect((object["verification"] as? [String: Int]) == ["passed": 0, "failed": 0])
        #expect((object["checks"] as? [String: Int]) == ["passed": 0, "failed": 0] && object["held"] as? Int == 0)
        #expect(rows[1]["line"] as? Int == 3)
        #expect(!text.contains("PLANTED"))

        var withoutRows = ""
        try Reports.writeJSON(ledgerPath: scratch.ledger, includeRows: false, to: &withoutRows)
        #expect((try JSONSerialization.jsonObject(with: Data(withoutRows.utf8)) as? [String: Any])?["rows"] == nil)
    }

    @Test func failedCSVListsBadRowsWithoutPasswords() throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv([apiRow("a@acme-mail.com", ["smtp_port": "x", "smtp_password": "PLANTED-pw"]), apiRow("b@acme-mail.com")]))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
        let out = scratch.path("failed.csv")
        #expect(try Reports.writeFailedCSV(ledgerPath: scratch.ledger, to: out) == 1)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text == "source,line,sender_email,state,reason,error,team\r\n\(file),2,a@acme-mail.com,invalid,smtp_port: must be a whole number from 1 to 65535,smtp_port: must be a whole number from 1 to 65535 ('x'),\r\n")
    }

    /// The export is written beside its name and renamed over it, so a killed export never leaves the last one cut
    /// short: a hard link to the old file keeps the old text, which writing in place would have overwritten.
    @Test func theExportReplacesThePreviousOneWholeAndIsOwnerOnly() throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv([apiRow("a@acme-mail.com", ["smtp_port": "x"])]))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
        let out = try scratch.write("failed.csv", "the previous export\n")
        #expect(link(out, scratch.path("previous.csv")) == 0)
        #expect(try Reports.writeFailedCSV(ledgerPath: scratch.ledger, to: out) == 1)
        #expect(try String(contentsOfFile: scratch.path("previous.csv"), encoding: .utf8) == "the previous export\n")
        #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("source,line,"))
        let mode = (try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as! NSNumber).intValue
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.hasPrefix("failed.csv") } == ["failed.csv"])
    }

    @Test func anExportThatCannotBeWrittenIsAnExportErrorNamingTheFile() throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv([apiRow("a@acme-mail.com")]))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
        let out = scratch.path("no-such-folder/failed.csv")
        do {
            try Reports.writeFailedCSV(ledgerPath: scratch.ledger, to: out)
            Issue.record("expected an export error")
        } catch {
            #expect(error.localizedDescription.hasPrefix("\(out): cannot write the export"))
        }
    }

    @Test func serverTextIsShownWithoutControlSequences() {
        let summary = Summary(total: 1, byState: [.failed: 1], failures: [.init(reason: "HTTP 400: \u{1B}]0;pwned\u{7}bad", count: 1)],
                              failedRows: [.init(source: "in.csv", line: 2, senderEmail: "c@x.com", state: .failed, attempts: 1, accountId: nil,
                                                 error: "HTTP 400: \u{1B}[31mred\u{1B}[0m", reason: nil)])
        let table = SummaryTable.render(summary, ledgerPath: "l.db")
        #expect(!table.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }

    @Test func formulaLikeCellsAreDefused() {
        #expect(FailedRowsCSV.cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(FailedRowsCSV.cell("plain") == "plain")
    }

    @Test func tableShowsCountsReasonsAndFirstRows() throws {
        let summary = Summary(total: 3, byState: [.connected: 2, .failed: 1], failures: [.init(reason: "HTTP 403: User is not a member of this team", count: 1)],
                              failedRows: [.init(source: "in.csv", line: 4, senderEmail: "c@x.com", state: .failed, attempts: 1, accountId: nil, error: "HTTP 403: User is not a member of this team", reason: nil)])
        let table = SummaryTable.render(summary, ledgerPath: "l.db")
        #expect(table.contains("  connected              2\n"))
        #expect(table.contains("      1  HTTP 403: User is not a member of this team\n"))
        #expect(table.contains("in.csv:4"))
    }
}
