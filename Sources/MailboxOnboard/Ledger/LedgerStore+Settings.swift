import OnboardInput

/// A connected job with settings still to apply.
public struct SettingsJob: Sendable, Equatable {
    public var id: Int
    public var senderEmail: String
    /// The lemlist user the row assigned the mailbox to; nil for the key's own user.
    public var userId: String?
    /// The mailbox's `usm_` id, once a listing showed it.
    public var mailboxId: String?
    public var settings: MailboxSettings
    public var due: SettingsPart
    /// lemlist's account test did not pass for this mailbox (or its account is gone): warm-up is not started.
    public var failedAccountTest: Bool
}

/// One part's answer for one job: nil error for applied.
public struct SettingsOutcome: Sendable, Equatable {
    public var job: Int
    public var part: SettingsPart
    public var error: String?

    public init(job: Int, part: SettingsPart, error: String? = nil) {
        self.job = job
        self.part = part
        self.error = error
    }
}

extension JobState {
    /// States of a mailbox lemlist has: the ones whose settings can be applied.
    public static let onboarded: [JobState] = [.connected, .alreadyConnected]
}

extension LedgerStore {
    /// Connected jobs with some part of their settings due, in ledger order.
    func settingsDue(scope: TeamScope = .all) throws -> [SettingsJob] {
        let statement = try db.statement("""
            SELECT id, sender_email, user_id, mailbox_id, settings_due, verification IN ('failed', 'not_found'),
            daily_limit, warmup, warmup_max, warmup_rampup FROM jobs
            WHERE settings_state = \(SettingsState.pending.sql) AND settings_due != 0 AND state IN \(JobState.sqlList(JobState.onboarded))
            AND \(scope.sql) ORDER BY id
            """)
        var jobs: [SettingsJob] = []
        while try statement.step() {
            jobs.append(SettingsJob(id: statement.int(0), senderEmail: statement.text(1) ?? "", userId: statement.text(2), mailboxId: statement.text(3),
                                    settings: Self.settings(statement, from: 6), due: SettingsPart(rawValue: statement.int(4)),
                                    failedAccountTest: statement.int(5) == 1))
        }
        return jobs
    }

    /// Keeps each mailbox's `usm_` id, found in its owner's listing, so a later pass need not list again.
    func recordMailboxIds(_ ids: [(job: Int, mailboxId: String)]) throws {
        guard !ids.isEmpty else { return }
        try db.transaction {
            let update = try db.statement("UPDATE jobs SET mailbox_id = ? WHERE id = ?")
            for (job, mailboxId) in ids { try update.bind(mailboxId, job).run() }
        }
    }

    /// Records answers, durably and in one transaction: each part is cleared from its job's due parts (an error
    /// joins the job's settings error), then the job's settings state follows. A part no longer due (recorded by an
    /// earlier answer) is left as it is. Returns the jobs whose settings are now all sent, with their state.
    func recordSettings(_ outcomes: [SettingsOutcome]) throws -> [Int: SettingsState] {
        guard !outcomes.isEmpty else { return [:] }
        let now = Self.now()
        var finished: [Int: SettingsState] = [:]
        try db.transaction {
            let clear = try db.statement("""
                UPDATE jobs SET settings_due = settings_due & ~?1,
                settings_error = CASE WHEN ?2 IS NULL THEN settings_error ELSE coalesce(settings_error || '; ', '') || ?2 END,
                settings_at = ?3, updated_at = ?3 WHERE id = ?4 AND settings_due & ?1 != 0
                """)
            let settle = try db.statement("UPDATE jobs SET settings_state = \(SettingsState.sqlAfter) WHERE id = ?")
            let read = try db.statement("SELECT settings_state FROM jobs WHERE id = ?")
            for outcome in outcomes {
                try clear.bind(outcome.part.rawValue, outcome.error, now, outcome.job).run()
                try settle.bind(outcome.job).run()
                try read.bind(outcome.job)
                if try read.step(), let state = read.text(0).flatMap(SettingsState.init(rawValue:)), state != .pending {
                    finished[outcome.job] = state
                }
                read.reset()
            }
        }
        return finished
    }

    /// Jobs whose settings were all applied, some failed, or some are still to send (a failed job's are not: they
    /// wait for its row to be imported again).
    func settingsCounts() throws -> Summary.SettingsCounts {
        Summary.SettingsCounts(
            applied: try scalar("SELECT count(*) FROM jobs WHERE settings_state = \(SettingsState.applied.sql)"),
            failed: try scalar("SELECT count(*) FROM jobs WHERE settings_state = \(SettingsState.failed.sql)"),
            pending: try scalar("""
                SELECT count(*) FROM jobs WHERE settings_state = \(SettingsState.pending.sql) AND state NOT IN \(JobState.sqlList(JobState.needsFixing))
                """))
    }
}

extension SettingsState {
    var sql: String { "'\(rawValue)'" }
}
