import Foundation
import Testing
@testable import OnboardInput
import TestSupport

struct CSVReaderTests {
    func records(_ bytes: [UInt8]) throws -> [CSVRecord] {
        let scratch = try Scratch()
        let source = try ByteSource(path: try scratch.write("in.csv", bytes: bytes))
        let reader = CSVReader(source: source, delimiter: CSVReader.sniffDelimiter(source.buffered))
        var all: [CSVRecord] = []
        while let record = try reader.next() { all.append(record) }
        return all
    }

    @Test func utf8ByteOrderMarkIsDropped() throws {
        let all = try records([0xEF, 0xBB, 0xBF] + Array("email,name\nann@x.com,Ann\n".utf8))
        #expect(all.map(\.fields) == [["email", "name"], ["ann@x.com", "Ann"]])
    }

    @Test func utf16LittleEndianWithTabsIsTranscoded() throws {
        let text = "email\tname\r\nzoé@x.com\tZoé 🚀\r\n"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let all = try records(bytes)
        #expect(all.map(\.fields) == [["email", "name"], ["zoé@x.com", "Zoé 🚀"]])
    }

    @Test func utf16BigEndianIsTranscoded() throws {
        var bytes: [UInt8] = [0xFE, 0xFF]
        for unit in "a;b\n1;2\n".utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        #expect(try records(bytes).map(\.fields) == [["a", "b"], ["1", "2"]])
    }

    @Test func semicolonAndTabDelimitersAreDetected() {
        #expect(CSVReader.sniffDelimiter(ArraySlice("a;b;c\n1,5;2;3".utf8)) == UInt8(ascii: ";"))
        #expect(CSVReader.sniffDelimiter(ArraySlice("a\tb\tc\n".utf8)) == UInt8(ascii: "\t"))
        #expect(CSVReader.sniffDelimiter(ArraySlice("\"a;x\",b,c\n".utf8)) == UInt8(ascii: ","))
    }

    @Test func recordsCarryThePhysicalLineTheyStartOn() throws {
        let all = try records(Array("h1,h2\r\n\r\n\"multi\r\nline\",x\r\nlast,y\r\n".utf8))
        #expect(all.map(\.line) == [1, 3, 5])
        #expect(all[1].fields == ["multi\r\nline", "x"])
    }

    @Test func aQuotedCRLFSplitAcrossTwoChunksCountsAsOneLine() throws {
        // Put the CR of a quoted CRLF on the last byte of the first chunk and its LF on the first byte of the next.
        let head = "a,b\n\""
        let padding = String(repeating: "x", count: ByteSource.chunkSize - head.utf8.count - 1)
        let text = head + padding + "\r\nmore\",1\nlast,2\n"
        #expect(Array(text.utf8)[ByteSource.chunkSize - 1] == UInt8(ascii: "\r"))
        let all = try records(Array(text.utf8))
        #expect(all.map(\.line) == [1, 2, 4])
        #expect(all[1].fields == [padding + "\r\nmore", "1"])
    }

    @Test func aLoneCRInsideQuotesEndsALine() throws {
        let all = try records(Array("a,b\n\"x\ry\",1\nlast,2\n".utf8))
        #expect(all.map(\.line) == [1, 2, 4])
    }

    @Test func blankLinesAndDelimiterOnlyLinesAreSkipped() throws {
        let all = try records(Array("a,b,,\n\n,,,\n1,2,,\n".utf8))
        #expect(all.map(\.fields) == [["a", "b", "", ""], ["1", "2", "", ""]])
    }

    @Test func textAfterClosingQuoteIsAProblemNotSilentlyDropped() throws {
        let all = try records(Array("a,b\n\"x\"junk,2\n".utf8))
        #expect(all[1].problems == ["column 1 has text after its closing quote"])
        #expect(all[1].fields[0] == "x\"junk")
    }

    @Test func unterminatedQuoteReportsTheLineItOpenedOn() throws {
        #expect(throws: CSVReader.Failure.unterminated(line: 3)) { try records(Array("a,b\n1,2\n\"open,3\n4,5\n".utf8)) }
    }

    @Test func nonUTF8BytesAreReadAsWindows1252() throws {
        let all = try records(Array("name\n".utf8) + [0x4A, 0x6F, 0x73, 0xE9, 0x80, 0x0A])
        #expect(all[1].fields == ["José€"])
        #expect(all[1].usedFallbackEncoding)
    }

    @Test func oversizedFieldIsCutAndReported() throws {
        let big = String(repeating: "x", count: CSVReader.maxFieldBytes + 10)
        let all = try records(Array("a,b\n\(big),2\nok,3\n".utf8))
        #expect(all.count == 3)
        #expect(all[1].problems == ["column 1 is longer than 1 MiB"])
        #expect(all[2].fields == ["ok", "3"])
    }
}
