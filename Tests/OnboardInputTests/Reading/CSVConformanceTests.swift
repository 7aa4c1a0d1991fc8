import Foundation
import Testing
@testable import OnboardInput
import TestSupport

/// csv-spectrum: every public conformance case parses to its expected table.
struct CSVConformanceTests {
    /// The target's Fixtures folder, beside this file's folder.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let cases = ["comma_in_quotes", "empty", "empty_crlf", "escaped_quotes", "json", "location_coordinates",
                        "newlines", "newlines_crlf", "quotes_and_newlines", "simple", "simple_crlf", "utf8"]

    @Test(arguments: cases)
    func spectrumCase(_ name: String) throws {
        let folder = Self.fixtures.appendingPathComponent("csv-spectrum")
        let csvPath = folder.appendingPathComponent("csvs/\(name).csv").path
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("json/\(name).json"))) as! [[String: String]]

        let source = try ByteSource(path: csvPath)
        let reader = CSVReader(source: source, delimiter: CSVReader.sniffDelimiter(source.buffered))
        let header = try #require(try reader.next())
        var rows: [[String: String]] = []
        while let record = try reader.next() {
            #expect(record.problems.isEmpty)
            rows.append(Dictionary(uniqueKeysWithValues: zip(header.fields, record.fields)))
        }
        #expect(rows == expected)
    }
}
