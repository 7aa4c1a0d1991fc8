import Foundation
#if canImport(Glibc)
import Glibc
import OnboardInput
#endif

/// The report commands' entry points: each opens the ledger, reads it, and writes its output.
public enum Reports {
    /// Reads the summary of the ledger at `path`.
    public static func summary(ledgerPath: String, failedRowLimit: Int = 10) throws(LedgerError) -> Summary {
        let store = try LedgerStore(path: ledgerPath, create: false)
        return try LedgerError.wrapping(ledgerPath) { try store.summary(failedRowLimit: failedRowLimit) }
    }

    /// Writes the summary as one JSON object; with `includeRows`, every job streamed under `rows`.
    public static func writeJSON(ledgerPath: String, includeRows: Bool, to output: inout some TextOutputStream) throws(LedgerError) {
        let store = try LedgerStore(path: ledgerPath, create: false)
        try LedgerError.wrapping(ledgerPath) {
            let summary = try store.summary(failedRowLimit: 0)
            output.write(SummaryJSON.head(summary))
            if includeRows {
                output.write(",\"rows\":[")
                var first = true
                try store.forEachRow(onlyFailed: false) { row in
                    output.write((first ? "" : ",") + SummaryJSON.row(row))
                    first = false
                }
                output.write("]")
            }
            output.write("}\n")
        }
    }

    /// Writes the invalid and failed rows to a CSV file a person can fix against; returns how many were written.
    ///
    /// The file is built beside its name (`FILE.partial`, mode 0600 whatever the umask, never through a link) and
    /// renamed over it when complete, so an export that is killed or fails leaves the previous one whole.
    @discardableResult
    public static func writeFailedCSV(ledgerPath: String, to file: String) throws(ReportError) -> Int {
        let store: LedgerStore
        do { store = try LedgerStore(path: ledgerPath, create: false) } catch { throw .ledger(error) }
        let partial = file + ".partial"
        unlink(partial)
        let fd = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotWrite(path: file, why: String(cString: strerror(errno))) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var count = 0
        do {
            var buffer = FailedRowsCSV.header
            func flush() throws {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer = ""
            }
            do {
                try store.forEachRow(onlyFailed: true) { row in
                    buffer += FailedRowsCSV.line(row)
                    count += 1
                    if buffer.utf8.count > 1 << 16 { try flush() }
                }
            } catch let error as SQLiteError {
                throw ReportError.ledger(LedgerError(error, path: ledgerPath))
            }
            try flush()
            try handle.synchronize()
            try handle.close()
            guard rename(partial, file) == 0 else { throw ReportError.cannotWrite(path: file, why: String(cString: strerror(errno))) }
        } catch {
            try? handle.close()
            unlink(partial)
            if let error = error as? ReportError { throw error }
            throw .cannotWrite(path: file, why: (error as NSError).localizedDescription)
        }
        return count
    }
}

/// Why a report could not be made: the ledger could not be read, or the export could not be written.
public enum ReportError: Error, Sendable, Equatable {
    case ledger(LedgerError)
    case cannotWrite(path: String, why: String)
}

extension ReportError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case let .ledger(error): error.localizedDescription
        case let .cannotWrite(path, why): "\(path): cannot write the export: \(why); any earlier export there is unchanged"
        }
    }
}
