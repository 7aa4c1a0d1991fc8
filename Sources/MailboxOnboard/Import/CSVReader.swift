/// One CSV record: its fields and the physical line it starts on.
struct CSVRecord: Sendable, Equatable {
    var line: Int
    var fields: [String]
    /// Things wrong with this record that do not stop the file: text after a closing quote, an oversized
    /// field, bytes that are not UTF-8.
    var problems: [String] = []
    /// Whether some field was not UTF-8 and was read as Windows-1252 instead.
    var usedFallbackEncoding = false
}

/// A streaming RFC 4180 reader over bytes that also copes with what real exports do: CRLF, LF or lone CR line ends,
/// quoted delimiters, quotes and newlines, bare quotes inside unquoted fields, and blank lines.
///
/// It reports the physical line on which each record starts. An unterminated quote is thrown as
/// `CSVReader.Unterminated` with the line where the quoted field opened, so the caller can resume after that line.
final class CSVReader {
    /// An opening quote with no closing one before the end of the file.
    struct Unterminated: Error { var line: Int }

    /// No field in a mailbox spreadsheet comes near this; past it a field is cut and the record marked bad,
    /// so a hostile file cannot make one field eat the memory.
    static let maxFieldBytes = 1 << 20

    let delimiter: UInt8
    private let source: ByteSource
    private(set) var line = 1

    private static let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    init(source: ByteSource, delimiter: UInt8) {
        self.source = source
        self.delimiter = delimiter
    }

    /// Picks `,`, `;` or tab: whichever appears most, outside quotes, on the first line of what is buffered.
    static func sniffDelimiter(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        var inQuotes = false
        for byte in bytes {
            if byte == quote { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if byte == lf || byte == cr { break }
            counts[byte]? += 1
        }
        let best = counts.max { a, b in a.value < b.value || (a.value == b.value && a.key != UInt8(ascii: ",")) }
        return (best?.value ?? 0) > 0 ? best!.key : UInt8(ascii: ",")
    }

    /// Skips physical lines, ignoring quotes, until the next byte is the first of line `target`.
    func skip(toLine target: Int) throws(ImportError) {
        while line < target, let byte = try source.next() {
            if byte == Self.lf {
                line += 1
            } else if byte == Self.cr {
                if try source.peek() == Self.lf { _ = try source.next() }
                line += 1
            }
        }
    }

    /// The next record that has any non-empty field, or nil at the end of the file. Throws `Unterminated` for an
    /// open quote at the end of the file, and `ImportError` when the file cannot be read.
    func next() throws -> CSVRecord? {
        while let record = try readRecord() {
            if record.fields.contains(where: { !$0.isEmpty }) { return record }
        }
        return nil
    }

    private func readRecord() throws -> CSVRecord? {
        var record = CSVRecord(line: line, fields: [])
        var field: [UInt8] = []
        var inQuotes = false, afterClosingQuote = false, fieldOpened = false, sawByte = false
        var quoteLine = line
        var oversized = false

        func endField() {
            if let text = String(validating: field, as: UTF8.self) {
                record.fields.append(text)
            } else {
                record.fields.append(Windows1252.decode(field))
                record.usedFallbackEncoding = true
            }
            field.removeAll(keepingCapacity: true)
            inQuotes = false
            afterClosingQuote = false
            fieldOpened = false
        }
        func append(_ byte: UInt8) {
            if field.count < Self.maxFieldBytes {
                field.append(byte)
            } else if !oversized {
                oversized = true
                record.problems.append("column \(record.fields.count + 1) is longer than 1 MiB")
            }
        }

        while true {
            guard let byte = try source.next() else {
                if inQuotes { throw Unterminated(line: quoteLine) }
                if !sawByte { return nil }
                endField()
                return record
            }
            sawByte = true
            if inQuotes {
                if byte == Self.quote {
                    if try source.peek() == Self.quote {
                        _ = try source.next()
                        append(Self.quote)
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                    }
                } else {
                    if byte == Self.lf {
                        line += 1
                    } else if byte == Self.cr, try source.peek() != Self.lf {
                        line += 1
                    }
                    append(byte)
                }
                continue
            }
            switch byte {
            case delimiter:
                endField()
            case Self.lf, Self.cr:
                if byte == Self.cr, try source.peek() == Self.lf { _ = try source.next() }
                line += 1
                endField()
                return record
            case Self.quote where !fieldOpened:
                inQuotes = true
                fieldOpened = true
                quoteLine = line
            default:
                if afterClosingQuote {
                    record.problems.append("column \(record.fields.count + 1) has text after its closing quote")
                    afterClosingQuote = false
                    // Keep the quote the reader had taken as closing, so nothing the person typed is lost.
                    append(Self.quote)
                }
                fieldOpened = true
                append(byte)
            }
        }
    }
}
