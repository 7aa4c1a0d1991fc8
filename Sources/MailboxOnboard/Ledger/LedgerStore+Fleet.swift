import OnboardInput

/// A mailbox as the ledger knows it, for `status` and `disconnect`.
public struct KnownMailbox: Sendable, Equatable {
    public var state: JobState
    public var accountId: String?
    /// `disconnect` sent a DELETE for it and has no answer on file.
    public var disconnectSent: Bool
}

/// What a DELETE came to for one mailbox.
public enum DisconnectResult: Sendable, Equatable {
    /// 200, or 404 (lemlist no longer had it).
    case disconnected
    /// 403 or another 4xx, with lemlist's text.
    case refused(String)
}

extension LedgerStore {
    /// Every mailbox the ledger has a job for, by its key (the sender address, case-folded).
    func knownMailboxes(_ keys: some Sequence<String>) throws -> [String: KnownMailbox] {
        let statement = try db.statement("SELECT state, account_id, disconnect_at, id FROM jobs WHERE mailbox = ?")
        var known: [String: KnownMailbox] = [:]
        for key in Set(keys) {
            try statement.bind(key, at: 1)
            if try statement.step() {
                known[key] = KnownMailbox(state: try JobState.stored(statement.text(0), job: statement.int(3), path: path),
                                          accountId: statement.text(1), disconnectSent: statement.optionalInt(2) != nil)
            }
            statement.reset()
        }
        return known
    }

    /// Mailboxes of `scope` whose DELETE left and has no answer on file (a run died with it on the wire).
    func unansweredDisconnects(scope: TeamScope) throws -> [String] {
        let statement = try db.statement("""
            SELECT mailbox FROM jobs WHERE disconnect_at IS NOT NULL AND state != \(JobState.disconnected.sql) AND mailbox IS NOT NULL
            AND \(scope.sql)
            """)
        var mailboxes: [String] = []
        while try statement.step() { mailboxes.append(statement.text(0) ?? "") }
        return mailboxes
    }

    /// Keeps what `status` saw of each known mailbox: lemlist's status and the warm-up error's title, if any.
    func recordStatuses(_ statuses: [(mailbox: String, status: String, warmupError: String?)]) throws {
        guard !statuses.isEmpty else { return }
        let now = Self.now()
        try db.transaction {
            let update = try db.statement("UPDATE jobs SET lemlist_status = ?, warmup_error = ?, status_at = ? WHERE mailbox = ?")
            for entry in statuses { try update.bind(entry.status, entry.warmupError, now, entry.mailbox).run() }
        }
    }

    /// Connected mailboxes whose lemlist account test did not pass (or whose account is gone).
    func failedVerificationMailboxes() throws -> [String] {
        let statement = try db.statement("""
            SELECT mailbox FROM jobs WHERE verification IN ('failed', 'not_found') AND state IN \(JobState.sqlList(JobState.onboarded))
            ORDER BY id
            """)
        var mailboxes: [String] = []
        while try statement.step() { mailboxes.append(statement.text(0) ?? "") }
        return mailboxes
    }

    /// Notes, durably, that a DELETE is about to leave for `email`; a mailbox the ledger does not know gets a record
    /// first (as lemlist has it: already connected), so the removal is on file.
    func beginDisconnect(email: String, team: String?, accountId: String) throws {
        let now = Self.now()
        let mailbox = MailboxCredential.mailboxKey(for: email)
        try db.transaction {
            try db.statement("""
                INSERT INTO jobs (mailbox, source, line, sender_email, state, account_id, created_at, updated_at, team)
                VALUES (?, '(disconnect)', 0, ?, \(JobState.alreadyConnected.sql), ?, ?, ?, ?) ON CONFLICT (mailbox) DO NOTHING
                """).bind(mailbox, email, accountId, now, now, team).run()
            try db.statement("UPDATE jobs SET disconnect_at = ?, updated_at = ? WHERE mailbox = ?").bind(now, now, mailbox).run()
        }
    }

    /// Records a DELETE's answer: `disconnected` (passwords long gone; settings and checks no longer due), or
    /// `failed` with lemlist's text.
    func finishDisconnect(email: String, _ result: DisconnectResult) throws {
        let mailbox = MailboxCredential.mailboxKey(for: email)
        switch result {
        case .disconnected:
            try db.statement("""
                UPDATE jobs SET state = \(JobState.disconnected.sql), body = NULL, settings_state = NULL, settings_due = 0, disconnect_at = NULL,
                reason = NULL, last_error = NULL, updated_at = ? WHERE mailbox = ?
                """).bind(Self.now(), mailbox).run()
        case let .refused(text):
            try db.statement("""
                UPDATE jobs SET state = \(JobState.failed.sql), body = NULL, disconnect_at = NULL, reason = 'disconnect refused',
                last_error = ?, updated_at = ? WHERE mailbox = ?
                """).bind(text, Self.now(), mailbox).run()
        }
    }
}
