import Foundation

/// A problem that stops reading a whole file. Problems with a single row are `Diagnostic`s instead.
public enum ImportError: Error, Sendable, Equatable {
    case unreadable(file: String, reason: String)
    case empty(file: String)
    case notASpreadsheet(file: String, looksLike: String)
    case malformedHeader(file: String, line: Int, reason: String)
    case malformedJSON(file: String, line: Int, reason: String)
    /// A workbook that is read no further: encrypted, macro-enabled, a zip bomb, external entities.
    case refusedWorkbook(file: String, reason: String)
    /// `--sheet` names a sheet the workbook does not have.
    case noSuchSheet(file: String, name: String, sheets: [String])
    /// The file holds more rows than `maxRowsPerFile`; reading stopped there.
    case tooManyRows(file: String, limit: Int)

    /// Rows one file may hold, whatever its format; a repeated row in an .ods counts once per copy. Far above any
    /// real batch of mailboxes, and low enough that a few hundred bytes of hostile input cannot make a ledger of
    /// gigabytes.
    public static let maxRowsPerFile = 200_000
}

extension ImportError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case let .unreadable(file, reason):
            "\(file): cannot read the file: \(reason)"
        case let .empty(file):
            "\(file): the file is empty"
        case let .notASpreadsheet(file, looksLike):
            "\(file): this is not a CSV, JSON or workbook file (it looks like \(looksLike))"
        case let .malformedHeader(file, line, reason):
            "\(file):\(line): header row: \(reason)"
        case let .malformedJSON(file, line, reason):
            "\(file):\(line): \(reason)"
        case let .refusedWorkbook(file, reason):
            "\(file): this workbook is not read: \(reason)"
        case let .tooManyRows(file, limit):
            "\(file): the file holds more than \(limit) rows (a repeated row counts once per copy); split it into smaller files"
        case let .noSuchSheet(file, name, sheets):
            "\(file): there is no sheet named '\(Diagnostic.printable(name))'; the sheets are "
                + sheets.map { "'\(Diagnostic.printable($0))'" }.joined(separator: ", ")
        }
    }
}
