import OnboardInput

/// Where a job stands. The raw values are the ledger's and the JSON report's vocabulary.
public enum JobState: String, Sendable, CaseIterable {
    /// The row failed validation; nothing will be sent for it.
    case invalid
    /// Valid and waiting for its first request.
    case pending
    /// Its request may be on the wire; a run that finds it so after a crash sends it again.
    case inFlight = "in_flight"
    /// A transient failure; it will be sent again at its next-attempt time.
    case retrying
    /// lemlist created the account.
    case connected
    /// lemlist already had this mailbox.
    case alreadyConnected = "already_connected"
    /// lemlist refused it, or it ran out of attempts.
    case failed
    /// Removed from lemlist by `disconnect` (or found gone when it asked). Never sent again unless its row is
    /// imported again, as a new mailbox.
    case disconnected

    /// States after which nothing more is sent and the passwords are erased.
    public var isTerminal: Bool {
        switch self {
        case .invalid, .connected, .alreadyConnected, .failed, .disconnected: true
        case .pending, .inFlight, .retrying: false
        }
    }

    /// States a run still has to work on.
    public static let outstanding: [JobState] = [.pending, .inFlight, .retrying]
}
