/// The format of an input file.
public enum InputFormat: String, Sendable, CaseIterable {
    case csv, json, jsonl
}

/// Reads rows one at a time from a file of some format, collecting file-level findings as it goes.
package protocol RowReader: AnyObject {
    func next() throws(ImportError) -> SourceRow?
    /// Findings about the file as a whole (ignored columns, encoding, a broken record); complete once `next()`
    /// has returned nil.
    var diagnostics: [Diagnostic] { get }
}

package enum RowReaders {
    /// Opens `path` and picks the reader for its format: as given, else from the extension, else from the content.
    package static func open(_ path: String, format: InputFormat?, overrides: [String: InputField?]) throws(ImportError) -> any RowReader {
        let source = try ByteSource(path: path)
        let head = source.head
        if head.isEmpty { throw .empty(file: path) }
        if let kind = binaryKind(head), source.encoding == .utf8 { throw .notASpreadsheet(file: path, looksLike: kind) }
        switch format ?? detect(path: path, head: head) {
        case .csv: return try CSVRowReader(path: path, source: source, overrides: overrides)
        case .json, .jsonl: return JSONRowReader(path: path, source: source, overrides: overrides)
        }
    }

    package static func detect(path: String, head: ArraySlice<UInt8>) -> InputFormat {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "csv", "tsv", "txt", "tab": return .csv
        case "json": return .json
        case "jsonl", "ndjson": return .jsonl
        default:
            let first = head.first { ![UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t")].contains($0) }
            return first == UInt8(ascii: "[") || first == UInt8(ascii: "{") ? .json : .csv
        }
    }

    /// Names a file kind people pick by mistake, judged from its first bytes.
    package static func binaryKind(_ head: ArraySlice<UInt8>) -> String? {
        let signatures: [([UInt8], String)] = [
            ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
            ([0x50, 0x4B, 0x03, 0x04], "an Excel workbook or other ZIP archive; save it as CSV first"),
            ([0xD0, 0xCF, 0x11, 0xE0], "an old Excel workbook (.xls); save it as CSV first"),
            ([0x25, 0x50, 0x44, 0x46], "a PDF document"),
            ([0x1F, 0x8B], "a gzip archive"),
            ([0xFF, 0xD8, 0xFF], "a JPEG image"),
            (Array("SQLite format 3".utf8), "a SQLite database"),
        ]
        for (magic, kind) in signatures where head.starts(with: magic) { return kind }
        let zeros = head.lazy.filter { $0 == 0 }.count
        return zeros * 10 > head.count ? "a binary file" : nil
    }
}
