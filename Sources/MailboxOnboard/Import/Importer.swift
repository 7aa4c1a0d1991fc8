import Foundation
import Logging
import OnboardInput
import OnboardSheets

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
    /// The sheet a workbook's rows are read from; nil for its first.
    public var sheet: String?

    public init(
        format: InputFormat? = nil, overrides: [String: InputField?] = [:], defaultUserId: String? = nil, strict: Bool = false,
        sheet: String? = nil
    ) {
        self.format = format
        self.sheet = sheet
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
///
/// Reading and validating run on a thread of their own and hand rows in batches, through a bounded channel, to
/// the caller's thread, which writes them to SQLite. Both halves take about a second per 100,000 rows, so on two
/// cores they overlap, and the bounded channel keeps memory flat.
public enum Importer {
    public static func run(files: [String], ledgerPath: String, options: ImportOptions, logger: Logger) throws(LedgerError) -> ImportReport {
        // A new ledger is built aside and published whole (see `LedgerDraft`); the usual case of a first import.
        if let draft = try LedgerDraft.begin(path: ledgerPath), let store = draft.store {
            let report = try run(files: files, store: store, options: options, logger: logger, startWriteback: draft.startWriteback)
            if try draft.publish() { return report }
            logger.notice("another command created the ledger during this import; importing into it", metadata: ["ledger": "\(ledgerPath)"])
        }
        let store = try LedgerStore(path: ledgerPath)
        defer { store.settle() }
        return try run(files: files, store: store, options: options, logger: logger)
    }

    /// `startWriteback` is called every 16 batches (about 2.5 MB of ledger pages), so that a draft's commit does not
    /// wait for the disk to take the whole ledger at once.
    static func run(files: [String], store: LedgerStore, options: ImportOptions, logger: Logger, startWriteback: () -> Void = {}) throws(LedgerError) -> ImportReport {
        let channel = ImportChannel(capacity: 8)
        let producer = Thread { RowProducer(files: files, options: options, logger: logger, channel: channel).run() }
        producer.stackSize = 1 << 22
        var counts = ImportCounts()
        var producerReport: ImportReport?
        do throws(LedgerError) {
            try LedgerError.wrapping(store.path) {
                try store.beginImport {
                    logger.notice("another process is writing to the ledger; waiting for it", metadata: ["ledger": "\(store.path)"])
                }
                producer.start()
                do {
                    var file = ""
                    var batches = 0
                    while let message = channel.receive() {
                        switch message {
                        case let .file(next):
                            file = next
                            try store.forgetInvalidRows(of: file)
                        case let .rows(rows):
                            let now = LedgerStore.now()
                            try store.record(rows, from: file, at: now, counts: &counts)
                            batches += 1
                            if batches % 16 == 0 { startWriteback() }
                        case let .done(report): producerReport = report
                        }
                    }
                } catch {
                    channel.cancel()
                    store.abandonImport()
                    throw error
                }
                try store.endImport(keep: !(options.strict && counts.invalid > 0))
            }
        } catch {
            channel.cancel()
            throw error
        }
        var report = producerReport ?? ImportReport()
        report.counts = counts
        report.committed = !(options.strict && counts.invalid > 0)
        report.diagnostics.sort { ($0.severity, $0.file, $0.line ?? 0) < ($1.severity, $1.file, $1.line ?? 0) }
        logger.info("import finished", metadata: [
            "rows": "\(report.rows)", "added": "\(report.counts.added)", "invalid": "\(report.counts.invalid)",
        ])
        return report
    }
}

/// The reading half of an import: files to validated rows, with duplicates within the input marked.
struct RowProducer: Sendable {
    let files: [String]
    let options: ImportOptions
    let logger: Logger
    let channel: ImportChannel
    static let batchSize = 256

    /// A guess at how many rows `file` holds, so the duplicate check's table is sized once instead of rehashing every
    /// mailbox each time it doubles. A row carries an address, two hosts, logins and passwords: 150 bytes or more.
    static func estimatedRows(_ file: String) -> Int {
        var info = stat()
        guard stat(file, &info) == 0 else { return 0 }
        return min(Int(info.st_size) / 150, 1 << 22)
    }

    func run() {
        var report = ImportReport()
        let validator = RowValidator(defaultUserId: options.defaultUserId)
        /// First place each mailbox was seen in this import (an index into `report.files`, and a line), to report
        /// later copies against it.
        var firstSeen: [String: (file: Int, line: Int)] = [:]
        var hosts = HostVerdicts()
        defer { channel.finish(report) }
        for file in files {
            report.files.append(file)
            let reader: any RowReader
            do {
                reader = try RowReaders.open(file, format: options.format, overrides: options.overrides,
                                             workbooks: SheetRowReader.opener(sheet: options.sheet, overrides: options.overrides))
            } catch {
                report.unreadable.append(error)
                logger.error("cannot import file", metadata: ["file": "\(file)", "error": "\(error.localizedDescription)"])
                continue
            }
            guard channel.send(.file(file)) else { return }
            firstSeen.reserveCapacity(firstSeen.count + Self.estimatedRows(file))
            var batch: [ImportedRow] = []
            batch.reserveCapacity(Self.batchSize)
            var rowsOfFile = 0
            do throws(ImportError) {
                while let row = try reader.next() {
                    rowsOfFile += 1
                    guard rowsOfFile <= ImportError.maxRowsPerFile else {
                        throw ImportError.tooManyRows(file: file, limit: ImportError.maxRowsPerFile)
                    }
                    report.rows += 1
                    var validated = validator.validate(row, hosts: &hosts)
                    var duplicate = false
                    let key = validated.credential?.mailboxKey
                    if let key {
                        if let first = firstSeen[key] {
                            duplicate = true
                            validated.credential = nil
                            validated.diagnostics.append(Diagnostic(
                                .error, file: row.file, line: row.line, field: InputField.senderEmail.rawValue,
                                problem: "repeats a mailbox given earlier in the input; only the first is used",
                                detail: "first at \(report.files[first.file]):\(first.line)"))
                        } else {
                            firstSeen[key] = (report.files.count - 1, row.line)
                        }
                    }
                    report.add(validated.diagnostics)
                    batch.append(ImportedRow(validated, mailbox: key, isDuplicate: duplicate))
                    if batch.count == Self.batchSize {
                        guard channel.send(.rows(batch)) else { return }
                        batch.removeAll(keepingCapacity: true)
                    }
                }
            } catch {
                report.unreadable.append(error)
            }
            if !batch.isEmpty, !channel.send(.rows(batch)) { return }
            report.add(reader.diagnostics)
        }
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
