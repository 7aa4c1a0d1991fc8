import Logging

/// How to read and record input files.
public struct ImportOptions: Sendable {
    /// Forces a format; nil picks one per file from its extension or content.
    public var format: InputFormat?
    /// Column name (normalised) to field, from `--map`; a nil field drops the column.
    public var overrides: [String: InputField?]
    /// Assigns rows without a userId to this lemlist user.
    public var defaultUserId: String?
    /// Records nothing when any row is invalid.
    public var strict: Bool

    public init(format: InputFormat? = nil, overrides: [String: InputField?] = [:], defaultUserId: String? = nil, strict: Bool = false) {
        self.format = format
        self.overrides = overrides
        self.defaultUserId = defaultUserId
        self.strict = strict
    }
}

/// What an import found and recorded.
public struct ImportReport: Sendable {
    public var files: [String] = []
    public var rows = 0
    public var counts = ImportCounts()
    /// Findings, errors first; row errors past `detailLimit` are counted in `reasonCounts` only.
    public var diagnostics: [Diagnostic] = []
    /// How many rows share each problem, over every row (notes and warnings included).
    public var reasonCounts: [String: Int] = [:]
    /// Files that could not be read at all.
    public var unreadable: [ImportError] = []
    /// False when `--strict` found invalid rows and nothing was recorded.
    public var committed = true

    static let detailLimit = 200

    public var hasInvalidRows: Bool { counts.invalid > 0 }
}

/// Reads input files, validates every row, and records them all in the ledger in one transaction.
public enum Importer {
    public static func run(files: [String], ledgerPath: String, options: ImportOptions, logger: Logger) throws(LedgerError) -> ImportReport {
        let store = try LedgerStore(path: ledgerPath)
        defer { store.checkpoint() }
        return try run(files: files, store: store, options: options, logger: logger)
    }

    static func run(files: [String], store: LedgerStore, options: ImportOptions, logger: Logger) throws(LedgerError) -> ImportReport {
        var report = ImportReport()
        let validator = RowValidator(defaultUserId: options.defaultUserId)
        /// First place each mailbox was seen in this import, to report later copies against it.
        var firstSeen: [String: (file: String, line: Int)] = [:]

        try LedgerError.wrapping(store.path) {
            // A bigger page cache keeps one large import transaction from spilling pages to the WAL as it goes.
            try store.db.execute("PRAGMA cache_size = -24000")
            try store.db.execute("BEGIN IMMEDIATE")
            do {
                    for file in files {
                        report.files.append(file)
                        let reader: any RowReader
                        do {
                            reader = try RowReaders.open(file, format: options.format, overrides: options.overrides)
                        } catch let error as ImportError {
                            report.unreadable.append(error)
                            logger.error("cannot import file", metadata: ["file": "\(file)", "error": "\(error.localizedDescription)"])
                            continue
                        }
                        try store.forgetInvalidRows(of: file)
                        do {
                            while let row = try reader.next() {
                                report.rows += 1
                                var validated = validator.validate(row)
                                var duplicate = false
                                if validated.isValid, let key = validated.credential?.mailboxKey {
                                    if let first = firstSeen[key] {
                                        duplicate = true
                                        validated.credential = nil
                                        validated.diagnostics.append(Diagnostic(
                                            .error, file: row.file, line: row.line, field: InputField.senderEmail.rawValue,
                                            problem: "repeats a mailbox given earlier in the input; only the first is used",
                                            detail: "first at \(first.file):\(first.line)"))
                                    } else {
                                        firstSeen[key] = (row.file, row.line)
                                    }
                                }
                                report.add(validated.diagnostics)
                                try store.record(validated, isDuplicate: duplicate, counts: &report.counts)
                            }
                        } catch let error as ImportError {
                            report.unreadable.append(error)
                        }
                        report.add(reader.diagnostics)
                    }
            } catch {
                try? store.db.execute("ROLLBACK")
                throw error
            }
            if options.strict, report.counts.invalid > 0 {
                try store.db.execute("ROLLBACK")
                report.committed = false
            } else {
                try store.db.execute("COMMIT")
            }
        }
        report.diagnostics.sort { ($0.severity, $0.file, $0.line ?? 0) < ($1.severity, $1.file, $1.line ?? 0) }
        logger.info("import finished", metadata: [
            "rows": "\(report.rows)", "added": "\(report.counts.added)", "invalid": "\(report.counts.invalid)",
        ])
        return report
    }
}

extension ImportReport {
    mutating func add(_ findings: [Diagnostic]) {
        for finding in findings {
            if finding.line != nil { reasonCounts["\(finding.severity.rawValue): \(finding.reason)", default: 0] += 1 }
            if finding.line == nil || (finding.severity != .note && diagnostics.count < Self.detailLimit) {
                diagnostics.append(finding)
            }
        }
    }
}
