import Foundation
import OnboardInput
@testable import OnboardSheets
import TestSupport
import Testing
import ZIPFoundation

/// What LibreOffice writes around a sheet's data: a million repeated empty rows, thousands of repeated cells.
/// They are counted, not expanded, and the rows after them keep their row numbers.
struct RepeatedCellTests {
    static func ods(_ rows: String, close: Bool = true) throws -> (Scratch, String) {
        let scratch = try Scratch()
        let path = scratch.path("repeats.ods")
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        let content = """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
            xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">\
            <office:body><office:spreadsheet><table:table table:name="S">\(rows)</table:table></office:spreadsheet></office:body>\
            </office:document-content>
            """
        let data = Data((close ? content : String(content[..<content.range(of: "</table:table>")!.lowerBound])).utf8)
        try archive.addEntry(with: "content.xml", type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
        return (scratch, path)
    }

    static func cell(_ text: String, repeated: Int = 1) -> String {
        "<table:table-cell table:number-columns-repeated=\"\(repeated)\" office:value-type=\"string\"><text:p>\(text)</text:p></table:table-cell>"
    }

    @Test func repeatsAreCountedNotExpanded() throws {
        let header = "<table:table-row>\(Self.cell("Email"))\(Self.cell("SMTP Host"))</table:table-row>"
        let blank = "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>"
        let twice = "<table:table-row table:number-rows-repeated=\"2\">\(Self.cell("x@acme-mail.com"))\(Self.cell("smtp.acme-mail.com"))</table:table-row>"
        let wide = "<table:table-row>\(Self.cell("y@acme-mail.com"))\(Self.cell("h", repeated: 1_000_000_000))</table:table-row>"
        let (scratch, path) = try Self.ods(header + blank + twice + wide)
        _ = scratch
        let reader = try SheetRowReader(path: path, sheet: nil, overrides: [:])
        var rows: [SourceRow] = []
        while let row = try reader.next() { rows.append(row) }
        #expect(rows.map(\.line) == [1_048_002, 1_048_003, 1_048_004])
        #expect(rows.map { $0.values[.smtpHost] } == ["smtp.acme-mail.com", "smtp.acme-mail.com", "h"])
    }

    /// The reader may be dropped part-way, as an import that fails does. 150,000 rows keep the parse thread waiting
    /// for room, so it ends only if dropping the reader lets it go.
    @Test func aReaderDroppedEarlyEndsItsParseThread() throws {
        let header = "<table:table-row>\(Self.cell("Email"))</table:table-row>"
        let many = "<table:table-row table:number-rows-repeated=\"150000\">\(Self.cell("x@acme-mail.com"))</table:table-row>"
        let (scratch, path) = try Self.ods(header + many)
        _ = scratch
        var reader: SheetRowReader? = try SheetRowReader(path: path, sheet: nil, overrides: [:])
        let parsed = try #require(reader?.parsed)
        #expect(try reader?.next()?.line == 2)
        reader = nil
        #expect(parsed.wait(timeout: .now() + 60) == .success)
    }

    /// A 642-byte file once made a million jobs: a row with values repeated past the rows a file may hold is refused
    /// before a single copy is made, whatever it holds.
    @Test func aRowRepeatedPastTheFileLimitIsRefusedBeforeAnyCopy() throws {
        let header = "<table:table-row>\(Self.cell("Email"))</table:table-row>"
        let first = "<table:table-row>\(Self.cell("first@acme-mail.com"))</table:table-row>"
        let many = "<table:table-row table:number-rows-repeated=\"1048575\">\(Self.cell("x@acme-mail.com"))</table:table-row>"
        let (scratch, path) = try Self.ods(header + first + many)
        _ = scratch
        let reader = try SheetRowReader(path: path, sheet: nil, overrides: [:])
        var lines: [Int] = []
        let error = #expect(throws: ImportError.self) { while let row = try reader.next() { lines.append(row.line) } }
        #expect(error == .tooManyRows(file: path, limit: ImportError.maxRowsPerFile))
        #expect(lines == [2], "no copy of the repeated row was read")
    }

    /// A sheet whose XML stops half-way, in a zip whose checksums are right, is damaged, not a shorter sheet.
    @Test func aSheetCutShortIsDamaged() throws {
        let rows = "<table:table-row>\(Self.cell("Email"))</table:table-row><table:table-row>\(Self.cell("x@acme-mail.com"))"
        let (scratch, path) = try Self.ods(rows, close: false)
        _ = scratch
        let reader = try SheetRowReader(path: path, sheet: nil, overrides: [:])
        let error = #expect(throws: ImportError.self) { while try reader.next() != nil {} }
        #expect(error?.localizedDescription.contains("damaged or cut short (content.xml") == true)
    }
}
