import Foundation

/// The report commands' entry points: each opens the ledger, reads it, and writes its output.
public enum Reports {
    /// Reads the summary of the ledger at `path`.
    public static func summary(ledgerPath: String, failedRowLimit: Int = 10) throws(LedgerError) -> Summary {
        let store = try LedgerStore(path: ledgerPath)
        return try LedgerError.wrapping(ledgerPath) { try store.summary(failedRowLimit: failedRowLimit) }
    }

    /// Writes the summary as one JSON object; with `includeRows`, every job streamed under `rows`.
    public static func writeJSON(ledgerPath: String, includeRows: Bool, to output: inout some TextOutputStream) throws(LedgerError) {
        let store = try LedgerStore(path: ledgerPath)
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
    @discardableResult
    public static func writeFailedCSV(ledgerPath: String, to file: String) throws(LedgerError) -> Int {
        let store = try LedgerStore(path: ledgerPath)
        guard FileManager.default.createFile(atPath: file, contents: nil),
              let handle = FileHandle(forWritingAtPath: file) else {
            throw .unusable(path: file, why: "cannot create the export file")
        }
        defer { try? handle.close() }
        var count = 0
        try LedgerError.wrapping(ledgerPath) {
            var buffer = FailedRowsCSV.header
            try store.forEachRow(onlyFailed: true) { row in
                buffer += FailedRowsCSV.line(row)
                count += 1
                if buffer.utf8.count > 1 << 16 {
                    handle.write(Data(buffer.utf8))
                    buffer = ""
                }
            }
            handle.write(Data(buffer.utf8))
        }
        return count
    }
}
