import OnboardInput

/// The process exit codes, documented in README.md. Scripts branch on these.
public enum ExitStatus: Int32, Sendable {
    /// Everything asked for is done.
    case success = 0
    /// Some rows are invalid; the valid ones were recorded (unless --strict).
    case invalidRows = 3
    /// An input file could not be read at all.
    case unreadableInput = 4
    /// The ledger cannot be used: not a ledger, newer schema, read-only, disk full, or locked by another run.
    case ledgerProblem = 5
    /// The run ended with some jobs `failed`.
    case failedJobs = 6
    /// lemlist refused the API key (401); nothing more was sent.
    case unauthorized = 7
    /// The key's plan does not include this route (402).
    case paymentRequired = 8
    /// The base URL does not answer like lemlist's API.
    case wrongEndpoint = 9
    /// A report's export file could not be written (sysexits' EX_CANTCREAT); an earlier export there is unchanged.
    case cannotWriteExport = 73
    /// Stopped by Ctrl-C or SIGTERM; run again to resume.
    case interrupted = 130

    public init(_ stop: RunStop) {
        switch stop {
        case .unauthorized: self = .unauthorized
        case .paymentRequired: self = .paymentRequired
        case .wrongEndpoint: self = .wrongEndpoint
        }
    }

    /// The exit status of an import on its own.
    public init(_ report: ImportReport) {
        self = !report.unreadable.isEmpty ? .unreadableInput : report.hasInvalidRows ? .invalidRows : .success
    }
}
