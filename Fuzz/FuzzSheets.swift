// libFuzzer entry point for the workbook readers. Built by Fuzz/run.sh from the OnboardSheets and OnboardInput
// targets' sources and ZIPFoundation's, with -sanitize=fuzzer,address.
//
// The first byte picks what the rest is: one XML part of a small workbook, zipped into it here so that the
// mutations reach the XML parsers rather than failing the zip's checksums, or (past the parts) a whole file.
import Foundation
import OnboardInput
import OnboardSheets
import ZIPFoundation
#if canImport(Glibc)
import Glibc
#endif

private let scratchPath: String = {
    let folder = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    return "\(folder)/mailbox-onboard-fuzz-sheets-\(getpid())"
}()

private let xlsxParts: [(String, String)] = [
    ("[Content_Types].xml", #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#),
    ("xl/workbook.xml", #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
    ("xl/_rels/workbook.xml.rels", #"<?xml version="1.0" encoding="UTF-8"?><Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#),
    ("xl/styles.xml", #"<?xml version="1.0" encoding="UTF-8"?><styleSheet><cellXfs><xf numFmtId="14"/></cellXfs></styleSheet>"#),
    ("xl/sharedStrings.xml", #"<?xml version="1.0" encoding="UTF-8"?><sst><si><t>Email</t></si><si><t>a@acme-mail.com</t></si></sst>"#),
    ("xl/worksheets/sheet1.xml", #"<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row></sheetData></worksheet>"#),
]

/// The parts a seed may replace: the five .xlsx parts after the content types, then an .ods's content.xml.
private let replaceable = ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "content.xml"]

private func workbook(replacing part: String, with data: Data) -> Data? {
    guard let archive = try? Archive(accessMode: .create) else { return nil }
    let parts: [(String, Data)] = part == "content.xml"
        ? [("mimetype", Data("application/vnd.oasis.opendocument.spreadsheet".utf8)), ("content.xml", data)]
        : xlsxParts.map { ($0.0, $0.0 == part ? data : Data($0.1.utf8)) }
    for (name, bytes) in parts {
        try? archive.addEntry(with: name, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
            bytes.subdata(in: Int(position)..<Int(position) + size)
        }
    }
    return archive.data
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSheets(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let choice = Int(bytes[0])
    let rest = Data(bytes: bytes + 1, count: size - 1)
    let file = choice < replaceable.count ? workbook(replacing: replaceable[choice], with: rest) : rest
    guard let file, FileManager.default.createFile(atPath: scratchPath, contents: file) else { return 0 }
    do {
        let reader = try SheetRowReader(path: scratchPath, sheet: choice % 3 == 0 ? nil : "S", overrides: [:])
        var rows = 0
        while let row = try reader.next() {
            precondition(row.line > 0, "a row has a line")
            rows += 1
            if rows > 10_000 { break }
        }
        _ = reader.diagnostics
    } catch {
        _ = error.localizedDescription
    }
    return 0
}
