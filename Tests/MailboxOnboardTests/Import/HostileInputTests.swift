import Foundation
import Logging
import PropertyBased
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// Files made to break the importer: each gives a clear error with file and line, and the good rows still land.
struct HostileInputTests {
    let logger = quietLogger
    static let header = "sender_name,sender_email,smtp_host,smtp_port,smtp_login,smtp_password,imap_host,imap_port,imap_login,imap_password"

    static func line(_ index: Int) -> String {
        "Box \(index),box\(index)@acme-mail.com,smtp.acme-mail.com,587,box\(index),pw\(index),imap.acme-mail.com,993,box\(index),pw\(index)"
    }

    func importFile(_ path: String, _ scratch: Scratch) throws -> ImportReport {
        try Importer.run(files: [path], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
    }

    @Test func aHugeCellIsReportedOnItsLineAndTheOtherRowsLand() throws {
        let scratch = try Scratch()
        let path = scratch.path("huge.csv")
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.write(Data((Self.header + "\n" + Self.line(0) + "\n\"").utf8))
        let block = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<8 { handle.write(block) }
        handle.write(Data(("\",big@acme-mail.com,smtp.acme-mail.com,587,b,p,imap.acme-mail.com,993,b,p\n" + Self.line(2) + "\n").utf8))
        try handle.close()
        let report = try importFile(path, scratch)
        #expect(report.counts.added == 2 && report.counts.invalid == 1)
        #expect(report.diagnostics.contains { $0.line == 3 && $0.problem == "column 1 is longer than 1 MiB" })
    }

    @Test func tenThousandColumnsAreSummarisedNotListed() throws {
        let scratch = try Scratch()
        let extra = (0..<10_000).map { "extra\($0)" }
        let path = try scratch.write("wide.csv", ([Self.header] + extra).joined(separator: ",") + "\n" + Self.line(0) + String(repeating: ",", count: 10_000) + "\n")
        let report = try importFile(path, scratch)
        #expect(report.counts.added == 1)
        let warning = try #require(report.diagnostics.first { $0.problem.hasPrefix("ignored columns") })
        #expect(warning.problem.hasSuffix("and 9988 more"))
    }

    @Test func nulBytesInACellMakeThatRowInvalid() throws {
        let scratch = try Scratch()
        let path = try scratch.write("nul.csv", Self.header + "\n" + Self.line(0) + "\nBox\u{0}1,box1@acme-mail.com,smtp.acme-mail.com,587,b,p,imap.acme-mail.com,993,b,p\n")
        let report = try importFile(path, scratch)
        #expect(report.counts.added == 1 && report.counts.invalid == 1)
        #expect(report.diagnostics.contains { $0.description == "\(path):3: sender_name: contains a control character ('Box\\u{0}1')" })
    }

    @Test func invalidUTF8IsReadAsWindows1252WithAWarning() throws {
        let scratch = try Scratch()
        let bytes = Array((Self.header + "\n").utf8) + Array("Jos".utf8) + [0xE9] + Array(",jose@acme-mail.com,smtp.acme-mail.com,587,j,p,imap.acme-mail.com,993,j,p\n".utf8)
        let path = try scratch.write("latin.csv", bytes: bytes)
        let report = try importFile(path, scratch)
        #expect(report.counts.added == 1)
        #expect(report.diagnostics.contains { $0.line == 2 && $0.severity == .warning && $0.problem.contains("not UTF-8") })
    }

    @Test func anUnterminatedQuoteEarlyInALongFileLosesOnlyThatLine() throws {
        let scratch = try Scratch()
        var lines = [Self.header, Self.line(0), "\"Broken,oops@acme-mail.com"]
        lines += (3..<5_000).map(Self.line)
        let path = try scratch.write("long.csv", lines.joined(separator: "\n") + "\n")
        let report = try importFile(path, scratch)
        #expect(report.counts.added == 4_998)
        #expect(report.diagnostics.contains { $0.line == 3 && $0.problem.hasPrefix("a quote opened here is never closed") })
    }

    @Test func aLongJSONArrayStreamsAndEachBadRecordIsNamed() throws {
        let scratch = try Scratch()
        let path = try scratch.write("many.json", "[" + Array(repeating: "{}", count: 20_000).joined(separator: ",\n") + "]")
        let report = try importFile(path, scratch)
        #expect(report.rows == 20_000 && report.counts.invalid == 20_000)
        #expect(report.reasonCounts["error: sender_name: is required"] == 20_000)
        #expect(report.diagnostics.contains { $0.line == 1 && $0.reason == "sender_name: is required" })
        #expect(report.diagnostics.count <= ImportReport.detailLimit + 1)
    }

    @Test func deeplyNestedJSONIsReportedNotRecursedInto() throws {
        let scratch = try Scratch()
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let path = try scratch.write("deep.json", "[\n{\"sender_name\": \(deep)},\n" + "{\"sender_email\": \"a@acme-mail.com\"}\n]")
        let report = try importFile(path, scratch)
        #expect(report.rows == 2)
        #expect(report.diagnostics.contains { $0.line == 2 && $0.problem == "the record is nested more than 32 levels deep" })
    }

    @Test func aBrokenJSONStructureNamesTheRecordThatNeverCloses() throws {
        let scratch = try Scratch()
        let path = try scratch.write("cut.json", "[\n{\"sender_name\": \"A\"},\n{\"sender_name\": \"B\"")
        let report = try importFile(path, scratch)
        #expect(report.rows == 1)
        #expect(report.unreadable == [.malformedJSON(file: path, line: 3, reason: "the record starting here is never closed")])
    }

    @Test func aHeaderOnlyFileIsAWarningNotAnError() throws {
        let scratch = try Scratch()
        let path = try scratch.write("header.csv", Self.header + "\r\n")
        let report = try importFile(path, scratch)
        #expect(report.rows == 0 && report.unreadable.isEmpty)
        #expect(report.diagnostics.contains { $0.problem == "has a header but no rows" })
        #expect(ExitStatus(report) == .success)
    }
}
