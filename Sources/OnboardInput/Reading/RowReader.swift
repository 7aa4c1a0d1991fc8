/// The format of an input file.
public enum InputFormat: String, Sendable, CaseIterable {
    case csv, json, jsonl, xlsx, ods

    /// A zipped package of XML parts rather than text.
    public var isWorkbook: Bool { self == .xlsx || self == .ods }

    /// The format a file's name implies, if it names one.
    package static func implied(by path: String) -> InputFormat? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "csv", "tsv", "txt", "tab": return .csv
        case "json": return .json
        case "jsonl", "ndjson": return .jsonl
        case "xlsx", "xlsm": return .xlsx
        case "ods": return .ods
        default: return nil
        }
    }
}

/// Opens a workbook. The floor that reads workbooks supplies it, so that this one stays free of zip and XML.
/// Which of the two kinds a workbook is, the opener tells from its parts.
package typealias WorkbookOpener = (_ path: String) throws(ImportError) -> any RowReader

/// Reads rows one at a time from a file of some format, collecting file-level findings as it goes.
package protocol RowReader: AnyObject {
    func next() throws(ImportError) -> SourceRow?
    /// Findings about the file as a whole (ignored columns, encoding, a broken record); complete once `next()`
    /// has returned nil.
    var diagnostics: [Diagnostic] { get }
}

package enum RowReaders {
    /// Opens `path` and picks the reader for its format: as given, else from the extension, else from the content.
    package static func open(
        _ path: String, format: InputFormat?, overrides: [String: InputField?], workbooks: WorkbookOpener? = nil
    ) throws(ImportError) -> any RowReader {
        if let chosen = format ?? InputFormat.implied(by: path), chosen.isWorkbook {
            guard let workbooks else { throw .notASpreadsheet(file: path, looksLike: "a workbook, which this reader is not given") }
            return try workbooks(path)
        }
        let source = try ByteSource(path: path)
        let head = source.head
        if head.isEmpty { throw .empty(file: path) }
        if let kind = binaryKind(head), source.encoding == .utf8 { throw .notASpreadsheet(file: path, looksLike: kind) }
        switch format ?? detect(path: path, head: head) {
        case .csv: return try CSVRowReader(path: path, source: source, overrides: overrides)
        case .json, .jsonl: return JSONRowReader(path: path, source: source, overrides: overrides)
        case .xlsx, .ods: throw .notASpreadsheet(file: path, looksLike: "a workbook")
        }
    }

    package static func detect(path: String, head: ArraySlice<UInt8>) -> InputFormat {
        if let implied = InputFormat.implied(by: path) { return implied }
        let first = head.first { ![UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t")].contains($0) }
        return first == UInt8(ascii: "[") || first == UInt8(ascii: "{") ? .json : .csv
    }

    /// Names a file kind people pick by mistake, judged from its first bytes.
    package static func binaryKind(_ head: ArraySlice<UInt8>) -> String? {
        let signatures: [([UInt8], String)] = [
            ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
            ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive; an .xlsx or .ods workbook is read when its name ends so, or with --format xlsx or ods"),
            ([0xD0, 0xCF, 0x11, 0xE0], "an old Excel workbook (.xls) or an encrypted one; save it as .xlsx without a password, or as CSV"),
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
