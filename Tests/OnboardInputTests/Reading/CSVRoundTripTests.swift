import Foundation
import Logging
import PropertyBased
import Testing
@testable import OnboardInput
import TestSupport

/// Writing random tables as CSV and reading them back gives the same table, whatever characters the cells hold.
struct CSVRoundTripTests {
    static let alphabet: [Character] = Array("ab ,;\t\"\r\n'é€🚀=x0")

    @Test func anyTableRoundTrips() async throws {
        let cell = Gen.int(in: 0..<CSVRoundTripTests.alphabet.count).array(of: 0...6).map { String($0.map { CSVRoundTripTests.alphabet[$0] }) }
        await propertyCheck(count: 150, input: cell.array(of: 1...4).array(of: 1...5), Gen.int(in: 0...2)) { table, which in
            let delimiter = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")][which]
            let width = table.map(\.count).max()!
            // Pad rows to one width, and give each a non-empty first cell: blank records are skipped by design.
            let rows = table.map { row in ["r"] + row + Array(repeating: "", count: width - row.count) }
            let text = rows.map { row in
                row.map { value in
                    value.utf8.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
                        ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
                }.joined(separator: String(UnicodeScalar(delimiter)))
            }.joined(separator: "\r\n") + "\r\n"
            let scratch = try! Scratch()
            let reader = CSVReader(source: try! ByteSource(path: try! scratch.write("t.csv", text)), delimiter: delimiter)
            var read: [[String]] = []
            while let record = try! reader.next() {
                #expect(record.problems.isEmpty)
                read.append(record.fields)
            }
            #expect(read == rows)
        }
    }
}
