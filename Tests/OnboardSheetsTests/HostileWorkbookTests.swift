import Foundation
import OnboardInput
@testable import OnboardSheets
import Testing

/// Workbooks that must not be read: each refused with a message saying why, nothing expanded or fetched.
struct HostileWorkbookTests {
    static func open(_ name: String) throws(ImportError) -> [SourceRow] {
        let reader = try SheetRowReader(path: SheetReaderTests.fixture(name), sheet: nil, overrides: [:])
        var rows: [SourceRow] = []
        while let row = try reader.next() { rows.append(row) }
        return rows
    }

    static func refusal(_ name: String) -> String? {
        do {
            _ = try open(name)
            return nil
        } catch {
            return error.localizedDescription
        }
    }

    @Test func aZipBombIsRefusedBeforeInflating() {
        // 600 MiB of spaces in 600 KiB: refused from the sizes the zip declares.
        #expect(Self.refusal("bomb.xlsx")?.contains("would inflate to 600 MiB") == true)
    }

    /// A part whose zip headers understate its size is counted as it inflates, and stopped at the limit (1 MiB here,
    /// for a quick test; 512 MiB in use). Under the limit the same part is read through: 8 MiB of spaces, no row.
    @Test func aPartThatUnderstatesItsSizeIsStoppedAtTheLimit() throws {
        let part = "xl/worksheets/sheet1.xml"
        let strict = try Workbook(path: SheetReaderTests.fixture("liar.xlsx"), partLimit: 1 << 20)
        let error = #expect(throws: ImportError.self) { try strict.parse(part, with: PartDelegate()) }
        #expect(error?.localizedDescription.contains("inflates past 1 MiB: a zip bomb") == true)
        let roomy = try Workbook(path: SheetReaderTests.fixture("liar.xlsx"), partLimit: 16 << 20)
        #expect(throws: Never.self) { try roomy.parse(part, with: PartDelegate()) }
    }

    @Test func externalEntitiesAreRefusedNotFetched() throws {
        let message = try #require(Self.refusal("entities.xlsx"))
        #expect(message.contains("declares a document type or entities"))
        let hostname = try String(contentsOfFile: "/etc/hostname", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(hostname.isEmpty || !message.contains(hostname))
    }

    @Test func aMacroEnabledWorkbookIsRefused() {
        #expect(Self.refusal("macro.xlsm")?.contains("macro-enabled") == true)
    }

    /// An encrypted .xlsx is a compound file, as an old .xls is: neither is unzipped.
    @Test(arguments: ["encrypted.xlsx", "libreoffice.xls"])
    func encryptedAndBinaryWorkbooksAreRefused(_ name: String) {
        #expect(Self.refusal(name)?.contains("encrypted with a password, or is an old binary .xls") == true)
    }

    @Test func aTruncatedWorkbookIsReportedDamaged() {
        #expect(Self.refusal("truncated.xlsx")?.contains("damaged or cut short") == true)
    }

    @Test func aSheetThatIsNotUTF8IsRefused() {
        #expect(Self.refusal("latin1.xlsx")?.contains("is not UTF-8 text") == true)
    }

    /// Bytes that are not UTF-8 never reach the parser, even inside a name.
    @Test func malformedNamesNeverReachTheParser() {
        var gate = XMLGate()
        let bytes: [UInt8] = Array(#"<?xml version="1.0" encoding="UTF-8"?><a><"#.utf8) + [0xFF, 0xFF] + Array("/></a>".utf8)
        #expect(gate.refusal(bytes[...]) == .notUTF8)
    }

    /// UTF-16 without a byte-order mark puts a NUL beside every ASCII byte, so `<!DOCTYPE` reads `<\0!\0D\0...` and
    /// the declaration check alone would pass it; XML allows no NUL, so the gate refuses it at the first.
    @Test func utf16WithoutAByteOrderMarkNeverReachesTheParser() {
        let xml = #"<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>"#
        for bytes in [Array(xml.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, Array(xml.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }] {
            var gate = XMLGate()
            #expect(gate.refusal(bytes[...]) == .notUTF8)
        }
        var gate = XMLGate()
        #expect(gate.refusal(Array("<a>\t\r\n</a>".utf8)[...]) == nil, "tab and line ends are XML's own")
    }

    /// Chunk boundaries may fall inside a character or a `<!`: the gate keeps its place across them.
    @Test func theGateReadsAcrossChunkBoundaries() {
        let text = Array("<a>é€😀<!-- c --><![CDATA[x]]></a>".utf8)
        for split in 0...text.count {
            var gate = XMLGate()
            #expect(gate.refusal(text[..<split]) == nil && gate.refusal(text[split...]) == nil)
            #expect(throws: Never.self) { try gate.finish() }
        }
        let declaration = Array("<!DOCTYPE a>".utf8)
        for split in 0...declaration.count {
            var gate = XMLGate()
            #expect((gate.refusal(declaration[..<split]) ?? gate.refusal(declaration[split...])) == .declaration)
        }
        var cut = XMLGate()
        #expect(cut.refusal(Array("a\u{E9}".utf8).dropLast()) == nil)
        #expect(throws: XMLGate.Refusal.notUTF8) { try cut.finish() }
    }
}

extension XMLGate {
    /// `check`, for one chunk given as bytes.
    mutating func refusal(_ bytes: ArraySlice<UInt8>) -> Refusal? {
        var refusal: Refusal?
        bytes.withUnsafeBytes { chunk in
            do { try check(chunk) } catch { refusal = error as? Refusal }
        }
        return refusal
    }
}
