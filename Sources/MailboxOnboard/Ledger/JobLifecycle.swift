/// The one owner of a job's lifecycle: every change of state the ledger makes is asked of this type first, so the
/// rules live here, tested without I/O, and the SQL only records the answer.
///
///     (new row) ─import─▶ pending ─begin─▶ in_flight ─answer─▶ connected | already_connected | failed | retrying
///     (bad row) ─import─▶ invalid                     retrying ─begin─▶ in_flight
///     pending, retrying, failed, invalid ─import again─▶ pending (or invalid, for a row now bad)
///     connected, already_connected, in_flight ─import again─▶ left alone
///     connected, already_connected (or a mailbox only lemlist knows) ─disconnect─▶ disconnected ─import again─▶ pending
///     in_flight found after a crash ─begin─▶ in_flight (sent again; "already exists" then counts as connected)
public enum JobLifecycle {
    /// What importing a row does to the job for its mailbox.
    public enum ImportDecision: Sendable, Equatable {
        /// The job takes this state, with the row as given now.
        case becomes(JobState)
        /// The job keeps its state and row: it is done, or on the wire.
        case leftAlone
    }

    /// `current` is the state of the mailbox's job, nil when the ledger has none.
    public static func onImport(_ current: JobState?, rowIsValid: Bool) -> ImportDecision {
        switch current {
        case nil, .pending, .retrying, .failed, .invalid, .disconnected: .becomes(rowIsValid ? .pending : .invalid)
        case .connected, .alreadyConnected, .inFlight: .leftAlone
        }
    }

    /// Whether a request may be started for a job in `state`.
    public static func canBegin(_ state: JobState) -> Bool { JobState.outstanding.contains(state) }

    /// Held back from runs: still outstanding, and its last login check failed. `run --include-failed-checks` sends
    /// it all the same; importing new credentials for it clears the verdict.
    public static func isHeld(_ state: JobState, checkPassed: Bool?) -> Bool { canBegin(state) && checkPassed == false }

    /// `isHeld` over the `jobs` table's columns, for queries: NULL, not false, for a job never checked (so
    /// `IS NOT 1` negates it). Written so that the `jobs_checked` index answers it.
    static let heldSQL = "(check_passed = 0 AND state IN \(JobState.sqlList(JobState.outstanding)))"

    /// The state an attempt leaves its job in.
    public static func afterAttempt(_ result: AttemptResult, previous: JobState) -> JobState {
        switch result {
        case .connected: .connected
        case .alreadyConnected: .alreadyConnected
        case .failed: .failed
        case .retry: .retrying
        // Not sent after all, or stopped: as before, except that a job a dead run left in flight is pending again.
        case .untouched: previous == .inFlight ? .pending : previous
        }
    }
}

extension JobState {
    /// States a person has to fix in the sheet.
    public static let needsFixing: [JobState] = [.invalid, .failed]

    /// The state as a SQL string literal; states are plain words, so no quoting is needed beyond the quotes.
    var sql: String { "'\(rawValue)'" }

    /// A SQL list of states for `IN`, built from the enum so no state name is written twice.
    static func sqlList(_ states: [JobState]) -> String { "(" + states.map(\.sql).joined(separator: ", ") + ")" }

    /// Reads a state as stored; one this version does not know is an error naming the job, never a guess.
    static func stored(_ text: String?, job: Int, path: String) throws(LedgerError) -> JobState {
        guard let text, let state = JobState(rawValue: text) else {
            throw .unknownState(path: path, job: job, state: text ?? "NULL")
        }
        return state
    }
}
