import OnboardInput

/// The ledger in numbers: jobs by state, failures by reason, and the first failed rows.
public struct Summary: Sendable, Equatable {
    public var total: Int
    /// Every state, zero included.
    public var byState: [JobState: Int]
    /// Invalid and failed jobs grouped by reason, most common first.
    public var failures: [Failure]
    /// The first invalid or failed rows, in ledger order.
    public var failedRows: [Row]

    public struct Failure: Sendable, Equatable {
        public var reason: String
        public var count: Int
    }

    /// One job as reports show it. Holds no secret.
    public struct Row: Sendable, Equatable {
        public var source: String
        public var line: Int
        public var senderEmail: String
        public var state: JobState
        public var attempts: Int
        public var accountId: String?
        public var error: String?
        public var reason: String?
    }

    public func count(_ state: JobState) -> Int { byState[state] ?? 0 }

    /// Jobs that ended well: connected now or before.
    public var done: Int { count(.connected) + count(.alreadyConnected) }
    /// Jobs a run still has to send.
    public var outstanding: Int { JobState.outstanding.reduce(0) { $0 + count($1) } }
}
