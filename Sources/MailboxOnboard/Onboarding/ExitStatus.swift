import OnboardInput

/// The process exit codes, documented in README.md. Scripts branch on these.
public enum ExitStatus: Int32, Sendable, CaseIterable {
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
    /// Some mailboxes failed the local SMTP/IMAP login check: `check` found them, or `run` left them held back.
    /// `summary` lists them with a hint.
    case checkFailed = 10
    /// Some connected mailbox did not pass lemlist's account test (or its account is gone, or the test could not be
    /// completed); `summary` lists them.
    case verificationFailed = 11
    /// `status`: some mailbox is not `CONNECTED` in lemlist, or lemlist keeps it out of warm-up.
    case unhealthy = 12
    /// Some connected mailbox's daily limit or warm-up was refused by lemlist; `summary` lists them with the reason.
    case settingsFailed = 13
    /// Bad command-line usage: an unknown or out-of-range option, no API key, a key file that is not one key, plain
    /// http to another machine. Nothing was sent. (sysexits' EX_USAGE, which the argument parser also uses.)
    case usage = 64
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
        self = Self.first(of: report.statuses)
    }

    /// The codes a stop from lemlist can give.
    public static let stops: [ExitStatus] = [.unauthorized, .paymentRequired, .wrongEndpoint]
}

extension ExitStatus {
    /// What the code means, in a few words: the one table every help text is made from.
    public var meaning: String {
        switch self {
        case .success: "done"
        case .invalidRows: "some rows invalid"
        case .unreadableInput: "an input file could not be read"
        case .ledgerProblem: "the ledger cannot be used"
        case .failedJobs: "some jobs failed"
        case .unauthorized: "API key refused"
        case .paymentRequired: "the plan lacks the route"
        case .wrongEndpoint: "wrong base URL"
        case .checkFailed: "some mailboxes failed the login or domain check (held back)"
        case .verificationFailed: "some mailboxes failed the account test"
        case .settingsFailed: "some mailbox settings were refused"
        case .unhealthy: "some mailbox is not healthy in lemlist"
        case .usage: "bad usage"
        case .cannotWriteExport: "the export could not be written"
        case .interrupted: "interrupted, run again to resume"
        }
    }

    /// The codes each command can end with: success, what its outcome can report (each outcome type lists what it
    /// can return, next to the code that returns it), and what every command that opens the ledger or reads options
    /// can meet (5, 64).
    public static let forImport = command(ImportReport.possibleStatuses)
    public static let forRun = command(OnboardingOutcome.possibleStatuses)
    public static let forCheck = command(CheckOutcome.possibleStatuses)
    public static let forVerify = command(VerifyOutcome.possibleStatuses)
    public static let forConfigure = command(ConfigureOutcome.possibleStatuses)
    public static let forStatus = command(StatusOutcome.possibleStatuses)
    public static let forDisconnect = command(DisconnectOutcome.possibleStatuses)
    public static let forSummary = command([.cannotWriteExport])

    /// Each command's codes, by the command's name: what README's exit table lists, row by row.
    public static let byCommand: [(command: String, codes: [ExitStatus])] = [
        ("import", forImport), ("run", forRun), ("check", forCheck), ("verify", forVerify), ("configure", forConfigure),
        ("status", forStatus), ("disconnect", forDisconnect), ("summary", forSummary),
    ]

    private static func command(_ outcomes: [ExitStatus]) -> [ExitStatus] {
        let codes = Set(outcomes + [.success, .ledgerProblem, .usage])
        return allCases.filter(codes.contains)
    }

    /// `Exit status: 0 done, 3 some rows invalid, ...` for a help text.
    public static func help(_ codes: [ExitStatus] = allCases) -> String {
        "Exit status: " + codes.map { "\($0.rawValue) \($0.meaning)" }.joined(separator: ", ") + "."
    }
}

extension ImportReport {
    /// What the import found, as exit codes.
    public var statuses: [ExitStatus] {
        (unreadable.isEmpty ? [] : [.unreadableInput]) + (hasInvalidRows ? [.invalidRows] : [])
    }

    public static let possibleStatuses: [ExitStatus] = [.invalidRows, .unreadableInput]
}

extension ExitStatus {
    /// Which code a command that found several things to report exits with: usage and the stops (64, 7, 8, 9) first,
    /// then an interruption (130), failed jobs (6), failed login checks (10), failed account tests (11), unhealthy
    /// mailboxes (12), refused settings (13), an unreadable file (4, which stops a command before it sends or checks anything), invalid rows
    /// (3), then the rest.
    static let precedence: [ExitStatus] = [.usage, .unauthorized, .paymentRequired, .wrongEndpoint, .interrupted, .failedJobs,
                                           .checkFailed, .verificationFailed, .unhealthy, .settingsFailed, .unreadableInput, .invalidRows, .ledgerProblem, .cannotWriteExport]

    /// The code that wins among `statuses`; success when there is none.
    public static func first(of statuses: [ExitStatus]) -> ExitStatus {
        precedence.first { statuses.contains($0) } ?? .success
    }
}
