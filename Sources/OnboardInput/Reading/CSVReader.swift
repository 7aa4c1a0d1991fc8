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
/// `Failure.unterminated` with the line where the quoted field opened, so the caller can resume after that line.
final class CSVReader {
    /// Why a record could not be read.
    enum Failure: Error, Equatable {
        /// An opening quote with no closing one before the end of the file, on the line where it opened.
        case unterminated(line: Int)
        /// The file itself could not be read.
        case unreadable(ImportError)
    }

    /// No field in a mailbox spreadsheet comes near this; past it a field is cut and the record marked bad,
    /// so a hostile file cannot make one field eat the memory.
    static let maxFieldBytes = 1 << 20

    let delimiter: UInt8
    private let source: ByteSource
    private(set) var line = 1
    /// The chunk being read and the position in it; taken from `source` a chunk at a time.
    private var chunk: [UInt8] = []
    private var index = 0
    /// Fields in the last record, to size the next one's array once rather than grow it field by field.
    private var lastFieldCount = 16

    private static let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    init(source: ByteSource, delimiter: UInt8) {
        self.source = source
        self.delimiter = delimiter
    }

    /// Makes `index` point at an unread byte; false at the end of the file.
    @inline(__always)
    private func ensureByte() throws(Failure) -> Bool {
        if index < chunk.count { return true }
        let taken: [UInt8]?
        do { taken = try source.takeChunk() } catch { throw .unreadable(error) }
        guard let next = taken else { return false }
        chunk = next
        index = 0
        return true
    }

    @inline(__always)
    private func peek() throws(Failure) -> UInt8? {
        try ensureByte() ? chunk[index] : nil
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
    func skip(toLine target: Int) throws(Failure) {
        while line < target, try ensureByte() {
            let byte = chunk[index]
            index += 1
            if byte == Self.lf {
                line += 1
            } else if byte == Self.cr {
                if try peek() == Self.lf { index += 1 }
                line += 1
            }
        }
    }

    /// The next record that has any non-empty field, or nil at the end of the file.
    func next() throws(Failure) -> CSVRecord? {
        while let record = try readRecord() {
            if record.fields.contains(where: { !$0.isEmpty }) { return record }
        }
        return nil
    }

    /// Appends `bytes` to the field, up to the size limit.
    @inline(__always)
    private static func append(_ bytes: ArraySlice<UInt8>, to field: inout [UInt8], record: inout CSVRecord, oversized: inout Bool) {
        let room = maxFieldBytes - field.count
        if bytes.count <= room {
            field.append(contentsOf: bytes)
        } else {
            field.append(contentsOf: bytes.prefix(max(room, 0)))
            if !oversized {
                oversized = true
                record.problems.append("column \(record.fields.count + 1) is longer than 1 MiB")
            }
        }
    }

    private static func finishField(_ field: inout [UInt8], into record: inout CSVRecord) {
        // Most fields are ASCII, which is valid UTF-8 as it stands; `String(validating:)` is generic and looks up
        // type metadata on every call, which cost more than parsing the field.
        if !field.contains(where: { $0 >= 0x80 }) {
            record.fields.append(String(decoding: field, as: UTF8.self))
        } else if let text = String(validating: field, as: UTF8.self) {
            record.fields.append(text)
        } else {
            record.fields.append(Windows1252.decode(field))
            record.usedFallbackEncoding = true
        }
        field.removeAll(keepingCapacity: true)
    }

    private func readRecord() throws(Failure) -> CSVRecord? {
        guard try ensureByte() else { return nil }
        var record = CSVRecord(line: line, fields: [])
        record.fields.reserveCapacity(lastFieldCount)
        defer { lastFieldCount = max(record.fields.count, 1) }
        var field: [UInt8] = []
        var oversized = false
        let delimiter = self.delimiter
        // One field per pass: quoted or not, it ends at a delimiter (next field) or a line end (end of record).
        while true {
            guard try ensureByte() else {
                Self.finishField(&field, into: &record)
                return record
            }
            if chunk[index] == Self.quote {
                let quoteLine = line
                index += 1
                var afterClosingQuote = false
                // A line ends at CR, or at LF not preceded by CR; remembering the CR lets a CRLF split across two
                // chunks count once.
                var afterCR = false
                quoted: while true {
                    guard try ensureByte() else { throw .unterminated(line: quoteLine) }
                    var end = index
                    while end < chunk.count, chunk[end] != Self.quote {
                        let byte = chunk[end]
                        if byte == Self.cr || (byte == Self.lf && !afterCR) { line += 1 }
                        afterCR = byte == Self.cr
                        end += 1
                    }
                    Self.append(chunk[index..<end], to: &field, record: &record, oversized: &oversized)
                    index = end
                    guard index < chunk.count else { continue }
                    index += 1
                    if try peek() == Self.quote {
                        index += 1
                        afterCR = false
                        Self.append([Self.quote], to: &field, record: &record, oversized: &oversized)
                    } else {
                        afterClosingQuote = true
                        break quoted
                    }
                }
                // After the closing quote only a delimiter or a line end belongs; anything else is kept, and reported.
                if afterClosingQuote, let next = try peek(), next != delimiter, next != Self.lf, next != Self.cr {
                    record.problems.append("column \(record.fields.count + 1) has text after its closing quote")
                    Self.append([Self.quote], to: &field, record: &record, oversized: &oversized)
                }
            }
            // Unquoted text (or what follows a closing quote): up to the next delimiter or line end.
            while try ensureByte() {
                var end = index
                while end < chunk.count {
                    let byte = chunk[end]
                    if byte == delimiter || byte == Self.lf || byte == Self.cr { break }
                    end += 1
                }
                Self.append(chunk[index..<end], to: &field, record: &record, oversized: &oversized)
                index = end
                if index < chunk.count { break }
            }
            guard try ensureByte() else {
                Self.finishField(&field, into: &record)
                return record
            }
            let byte = chunk[index]
            index += 1
            Self.finishField(&field, into: &record)
            oversized = false
            if byte == delimiter { continue }
            if byte == Self.cr, try peek() == Self.lf { index += 1 }
            line += 1
            return record
        }
    }
}
