/// Rows from a CSV file: the first non-blank record is the header, mapped to fields by `HeaderMapping`.
final class CSVRowReader: RowReader {
    private let path: String
    private var reader: CSVReader
    private let mapping: HeaderMapping
    private(set) var diagnostics: [Diagnostic] = []
    private var warnedEncoding = false
    private var sawRow = false

    init(path: String, source: ByteSource, overrides: [String: InputField?]) throws(ImportError) {
        self.path = path
        let delimiter = CSVReader.sniffDelimiter(source.buffered)
        reader = CSVReader(source: source, delimiter: delimiter)
        let first: CSVRecord?
        do {
            first = try reader.next()
        } catch {
            switch error {
            case let .unterminated(line): throw .malformedHeader(file: path, line: line, reason: "a quote opened here is never closed")
            case let .unreadable(failure): throw failure
            }
        }
        guard let header = first else { throw .empty(file: path) }
        var names = header.fields
        while names.last?.isEmpty == true { names.removeLast() }
        mapping = HeaderMapping(header: names, overrides: overrides)
        if source.encoding != .utf8 { note(.note, nil, "read as \(source.encoding.rawValue)") }
        diagnostics += mapping.findings(file: path, line: header.line)
    }

    private func note(_ severity: Diagnostic.Severity, _ line: Int?, _ problem: String) {
        diagnostics.append(Diagnostic(severity, file: path, line: line, field: nil, problem: problem))
    }

    func next() throws(ImportError) -> SourceRow? {
        let record: CSVRecord
        do {
            guard let next = try reader.next() else {
                if !sawRow { note(.warning, nil, "has a header but no rows") }
                return nil
            }
            record = next
        } catch {
            switch error {
            case let .unreadable(failure):
                throw failure
            case let .unterminated(line):
                // The row is kept as an invalid one on its own line; what it held is not shown, since the quote may
                // have opened inside a password.
                try resume(after: line)
                sawRow = true
                return SourceRow(file: path, line: line, values: FieldValues(), readProblems: [
                    "a quote opened here is never closed; the rest of this line was skipped and reading went on from the next line",
                ])
            }
        }
        sawRow = true
        if record.usedFallbackEncoding, !warnedEncoding {
            warnedEncoding = true
            note(.warning, record.line, "is not UTF-8; text that is not was read as Windows-1252 (save as \"CSV UTF-8\" to avoid this)")
        }
        let given = (record.fields.lastIndex { !$0.isEmpty } ?? -1) + 1
        if given > mapping.fields.count {
            // An unquoted delimiter inside a value shifts every later value one column on, so a password may now sit
            // in a host column: none of the row's values can be trusted to be what their column says, or shown.
            return SourceRow(file: path, line: record.line, values: FieldValues(), readProblems: [
                "has \(given) values but the header has \(mapping.fields.count) columns (a value with an unquoted \(delimiterName) "
                    + "shifts the rest); none of its values are shown or kept: quote that value and import again",
            ])
        }
        var values = FieldValues()
        for (field, value) in zip(mapping.fields, record.fields) {
            if let field { values[field] = value }
        }
        return SourceRow(file: path, line: record.line, values: values, readProblems: record.problems)
    }

    private var delimiterName: String {
        switch reader.delimiter {
        case UInt8(ascii: ";"): "semicolon"
        case UInt8(ascii: "\t"): "tab"
        default: "comma"
        }
    }

    /// Starts a fresh reader on the line after an unterminated quote, so the rows after it are not lost.
    private func resume(after line: Int) throws(ImportError) {
        let fresh = CSVReader(source: try ByteSource(path: path), delimiter: reader.delimiter)
        do {
            try fresh.skip(toLine: line + 1)
        } catch {
            // Skipping reads no quotes, so only reading the file can fail.
            if case let .unreadable(failure) = error { throw failure }
        }
        reader = fresh
    }
}
