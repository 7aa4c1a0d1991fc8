import OnboardInput

/// A job a run still has to send, as the run's queue holds it.
public struct QueuedJob: Sendable, Equatable {
    public var id: Int
    public var state: JobState
    /// Milliseconds since 1970; nil means now.
    public var nextAttemptAt: Int?
}

/// A job taken for one request: what to send and what the ledger knew of it before.
public struct Attempt: Sendable {
    public var id: Int
    public var senderEmail: String
    /// What the connect request sends. Holds passwords: never log it.
    public var credential: MailboxCredential
    public var previousState: JobState
    /// Requests already answered for this job (throttled ones excluded).
    public var attempts: Int
    public var throttled: Int
    /// A request for this job may already have reached lemlist in an earlier run.
    public var sentBefore: Bool
}

/// How a job ends an attempt, as the ledger records it.
public enum AttemptResult: Sendable, Equatable {
    case connected(accountId: String?)
    /// lemlist has the mailbox; its account id when known (pre-flight finds it, an "already exists" answer does not).
    case alreadyConnected(note: String?, accountId: String? = nil)
    case failed(reason: String, message: String)
    /// Back in the queue at `at` (ms since 1970). A throttled retry does not spend one of the job's attempts.
    case retry(at: Int, reason: String, message: String, throttled: Bool)
    /// Not sent after all, or refused for a reason that is not the row's (a bad key): as it was before.
    case untouched
}

extension LedgerStore {
    /// Jobs a run has to send; without `includeHeld`, not those whose last login check failed.
    func outstanding(includeHeld: Bool, scope: TeamScope = .all) throws -> [QueuedJob] {
        let statement = try db.statement("""
            SELECT id, state, next_attempt_at FROM jobs WHERE state IN \(JobState.sqlList(JobState.outstanding))
            AND (? OR \(JobLifecycle.heldSQL) IS NOT 1) AND \(scope.sql) ORDER BY id
            """).bind(includeHeld ? 1 : 0)
        var jobs: [QueuedJob] = []
        while try statement.step() {
            jobs.append(QueuedJob(id: statement.int(0), state: try JobState.stored(statement.text(1), job: statement.int(0), path: path),
                                  nextAttemptAt: statement.optionalInt(2)))
        }
        return jobs
    }

    /// Marks the job `in_flight`, durably, before its request may leave. Nil if it is no longer outstanding.
    func beginAttempt(_ id: Int) throws -> Attempt? {
        try db.transaction {
            let read = try db.statement("""
                SELECT sender_email, body, state, attempts, throttled, sent FROM jobs WHERE id = ? AND body IS NOT NULL
                """).bind(id)
            defer { read.reset() }
            guard try read.step() else { return nil }
            let state = try JobState.stored(read.text(2), job: id, path: path)
            guard JobLifecycle.canBegin(state) else { return nil }
            guard let credential = MailboxCredential(json: read.text(1) ?? "") else { throw LedgerError.unreadableCredential(path: path, job: id) }
            let attempt = Attempt(
                id: id, senderEmail: read.text(0) ?? "", credential: credential, previousState: state,
                attempts: read.int(3), throttled: read.int(4), sentBefore: read.int(5) != 0 || state == .inFlight)
            read.reset()
            try db.statement("UPDATE jobs SET state = \(JobState.inFlight.sql), sent = 1, updated_at = ? WHERE id = ?")
                .bind(Self.now(), id).run()
            return attempt
        }
    }

    /// Records how an attempt ended, in the state `JobLifecycle` gives. Terminal states erase the request body, and
    /// with it the passwords.
    func finish(_ attempt: Attempt, _ result: AttemptResult) throws {
        let now = Self.now()
        let state = JobLifecycle.afterAttempt(result, previous: attempt.previousState).rawValue
        switch result {
        case let .connected(accountId):
            try db.statement("""
                UPDATE jobs SET state = ?, body = NULL, account_id = ?, attempts = attempts + 1,
                next_attempt_at = NULL, reason = NULL, last_error = NULL, updated_at = ? WHERE id = ?
                """).bind(state, accountId, now, attempt.id).run()
        case let .alreadyConnected(note, accountId):
            try db.statement("""
                UPDATE jobs SET state = ?, body = NULL, account_id = coalesce(?, account_id), attempts = attempts + 1,
                next_attempt_at = NULL, reason = NULL, last_error = ?, updated_at = ? WHERE id = ?
                """).bind(state, accountId, note, now, attempt.id).run()
        case let .failed(reason, message):
            try db.statement("""
                UPDATE jobs SET state = ?, body = NULL, attempts = attempts + 1, next_attempt_at = NULL,
                reason = ?, last_error = ?, updated_at = ? WHERE id = ?
                """).bind(state, reason, message, now, attempt.id).run()
        case let .retry(at, reason, message, throttled):
            try db.statement("""
                UPDATE jobs SET state = ?, attempts = attempts + ?, throttled = throttled + ?,
                next_attempt_at = ?, reason = ?, last_error = ?, updated_at = ? WHERE id = ?
                """).bind(state, throttled ? 0 : 1, throttled ? 1 : 0, at, reason, message, now, attempt.id).run()
        case .untouched:
            try db.statement("UPDATE jobs SET state = ?, sent = ?, updated_at = ? WHERE id = ?")
                .bind(state, attempt.sentBefore ? 1 : 0, now, attempt.id).run()
        }
    }

    /// How many jobs a run still has to send.
    func countOutstanding() throws -> Int {
        try scalar("SELECT count(*) FROM jobs WHERE state IN \(JobState.sqlList(JobState.outstanding))")
    }
}

/// An outstanding job as pre-flight checks it: its mailbox, and the lemlist user it is assigned to, if any.
public struct UnsentJob: Sendable, Equatable {
    public var id: Int
    public var mailbox: String
    /// As the row gave it: pre-flight compares it with the team's own way (`TeamSnapshot.matchKey`).
    public var senderEmail: String
    public var userId: String?
}

extension LedgerStore {
    /// Every outstanding job with its mailbox and userId.
    func unsentJobs(scope: TeamScope = .all) throws -> [UnsentJob] {
        let statement = try db.statement("""
            SELECT id, mailbox, sender_email, user_id FROM jobs
            WHERE state IN \(JobState.sqlList(JobState.outstanding)) AND body IS NOT NULL AND \(scope.sql) ORDER BY id
            """)
        var jobs: [UnsentJob] = []
        while try statement.step() {
            jobs.append(UnsentJob(id: statement.int(0), mailbox: statement.text(1) ?? "", senderEmail: statement.text(2) ?? "", userId: statement.text(3)))
        }
        return jobs
    }

    /// Settles outstanding jobs without a request, in one transaction: `already_connected` with the account id pre-flight
    /// found, or `failed`. No attempt is counted; the passwords are erased as for any terminal state.
    func settleUnsent(_ settlements: [(id: Int, result: AttemptResult)]) throws {
        guard !settlements.isEmpty else { return }
        let now = Self.now()
        try db.transaction {
            for (id, result) in settlements {
                let state = JobLifecycle.afterAttempt(result, previous: .pending).rawValue
                switch result {
                case let .alreadyConnected(note, accountId):
                    try db.statement("""
                        UPDATE jobs SET state = ?, body = NULL, account_id = ?, next_attempt_at = NULL, reason = NULL, last_error = ?,
                        updated_at = ? WHERE id = ? AND state IN \(JobState.sqlList(JobState.outstanding))
                        """).bind(state, accountId, note, now, id).run()
                case let .failed(reason, message):
                    try db.statement("""
                        UPDATE jobs SET state = ?, body = NULL, next_attempt_at = NULL, reason = ?, last_error = ?,
                        updated_at = ? WHERE id = ? AND state IN \(JobState.sqlList(JobState.outstanding))
                        """).bind(state, reason, message, now, id).run()
                case .connected, .retry, .untouched:
                    continue
                }
            }
        }
    }
}
