import Foundation
import OnboardInput

/// What one import did to the ledger.
public struct ImportCounts: Sendable, Equatable {
    /// New valid mailboxes, now `pending`.
    public var added = 0
    /// Mailboxes not sent yet whose row changed.
    public var updated = 0
    /// Rows identical to what the ledger already has.
    public var unchanged = 0
    /// Mailboxes that had failed, set back to `pending` with the row as given now.
    public var rearmed = 0
    /// Rows recorded as `invalid`.
    public var invalid = 0
    /// Rows for mailboxes already connected; left alone.
    public var alreadyConnected = 0
    /// Rows for mailboxes a run has on the wire; left alone.
    public var inFlight = 0
    /// Connected mailboxes whose limit or warm-up changed in the row: those parts are to be applied again.
    public var settingsChanged = 0

    public init() {}
}

extension LedgerStore {
    /// An import is one transaction, taken at once for writing so that a run's writes wait for it rather than fail.
    /// When another process is writing, `onWait` is told before the import waits for it (up to the busy timeout).
    func beginImport(onWait: () -> Void = {}) throws(SQLiteError) {
        try db.execute("PRAGMA busy_timeout = 0")
        do {
            try db.execute("BEGIN IMMEDIATE")
        } catch where error.isBusy {
            onWait()
            try db.execute("PRAGMA busy_timeout = \(Self.busyTimeoutMilliseconds)")
            try db.execute("BEGIN IMMEDIATE")
        }
        try db.execute("PRAGMA busy_timeout = \(Self.busyTimeoutMilliseconds)")
    }

    /// Commits the import, or with `keep` false (`--strict` found invalid rows) records nothing of it.
    func endImport(keep: Bool) throws {
        if keep { try holdOnFailingDomains(at: Self.now()) }
        try db.execute(keep ? "COMMIT" : "ROLLBACK")
    }

    /// Rolls back an import that failed part-way; the ledger is as it was before it.
    func abandonImport() { try? db.execute("ROLLBACK") }

    /// Drops the invalid rows an earlier import of `source` recorded; importing it again records them anew.
    func forgetInvalidRows(of source: String) throws {
        try db.statement("DELETE FROM jobs WHERE source = ? AND state = \(JobState.invalid.sql)").bind(source).run()
    }

    /// Records a batch of rows in input order and says what became of them. Runs inside the import's transaction.
    ///
    /// Valid rows for mailboxes new to the ledger go in `insertChunk` at a time, one INSERT each: SQLite opens the
    /// table and both indexes once a statement, and doing that for every row cost more than storing the row.
    func record(_ rows: [ImportedRow], from file: String, at now: Int, counts: inout ImportCounts) throws {
        var valid: [Int] = []
        valid.reserveCapacity(Self.insertChunk)
        func flush() throws {
            try recordValid(valid, of: rows, from: file, at: now, counts: &counts)
            valid.removeAll(keepingCapacity: true)
        }
        for index in rows.indices {
            switch rows[index].job {
            case .send:
                valid.append(index)
                if valid.count == Self.insertChunk { try flush() }
            case let .invalid(reason, message, isDuplicate):
                // An invalid row overrides a mailbox queued just before it in the input, so those are written first.
                try flush()
                try recordInvalid(rows[index], reason: reason, message: message, isDuplicate: isDuplicate, from: file, at: now)
                counts.invalid += 1
            }
        }
        try flush()
    }

    static let insertChunk = 32

    /// Valid rows, each for a different mailbox (the reader drops repeats within an import).
    private func recordValid(_ indices: [Int], of rows: [ImportedRow], from file: String, at now: Int, counts: inout ImportCounts) throws {
        var fresh: [(row: Int, mailbox: String, body: [UInt8], userId: String?)] = indices.compactMap { index in
            guard case let .send(mailbox, body, userId) = rows[index].job else { return nil }
            return (index, mailbox, body, userId)
        }
        guard !fresh.isEmpty else { return }
        let known = try knownMailboxes(fresh.map(\.mailbox))
        if !known.isEmpty {
            for job in fresh where known.contains(job.mailbox) {
                try recordKnown(rows[job.row], mailbox: job.mailbox, body: job.body, userId: job.userId, from: file, at: now, counts: &counts)
            }
            fresh.removeAll { known.contains($0.mailbox) }
        }
        guard !fresh.isEmpty else { return }
        guard case let .becomes(state) = JobLifecycle.onImport(nil, rowIsValid: true) else { return }
        let tuples = Array(repeating: "(?, ?, ?, ?, ?, \(state.sql), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: fresh.count).joined(separator: ", ")
        let insert = try db.statement("""
            INSERT INTO jobs (mailbox, source, line, sender_email, body, state, created_at, updated_at, team, user_id,
            daily_limit, warmup, warmup_max, warmup_rampup, settings_due, settings_state) VALUES \(tuples)
            """)
        for (offset, job) in fresh.enumerated() {
            let first = Int32(offset * 15)
            try insert.bind(job.mailbox, at: first + 1)
            try insert.bind(file, at: first + 2)
            try insert.bind(rows[job.row].line, at: first + 3)
            try insert.bind(rows[job.row].senderEmail, at: first + 4)
            try insert.bind(job.body, at: first + 5)
            try insert.bind(now, at: first + 6)
            try insert.bind(now, at: first + 7)
            try insert.bind(rows[job.row].team, at: first + 8)
            try insert.bind(job.userId, at: first + 9)
            try bindSettings(rows[job.row].settings, to: insert, at: first + 10)
        }
        try insert.run()
        counts.added += fresh.count
    }

    /// Binds a row's settings, the parts they ask for and the state that follows, to six parameters from `first`.
    private func bindSettings(_ settings: MailboxSettings, to statement: SQLiteStatement, at first: Int32) throws {
        let due = SettingsPart.asked(by: settings)
        try statement.bind(settings.dailyLimit, at: first)
        try statement.bind(settings.warmup.map { $0 ? 1 : 0 }, at: first + 1)
        try statement.bind(settings.warmupMax, at: first + 2)
        try statement.bind(settings.warmupRampup, at: first + 3)
        try statement.bind(due.rawValue, at: first + 4)
        try statement.bind(due.isEmpty ? nil : SettingsState.pending.rawValue, at: first + 5)
    }

    /// Which of `mailboxes` the ledger already has a job for.
    private func knownMailboxes(_ mailboxes: [String]) throws -> Set<String> {
        let placeholders = Array(repeating: "?", count: mailboxes.count).joined(separator: ", ")
        let query = try db.statement("SELECT mailbox FROM jobs WHERE mailbox IN (\(placeholders))")
        for (offset, mailbox) in mailboxes.enumerated() { try query.bind(mailbox, at: Int32(offset + 1)) }
        var known: Set<String> = []
        while try query.step() { known.insert(query.text(0) ?? "") }
        return known
    }

    private func recordInvalid(_ row: ImportedRow, reason: String, message: String, isDuplicate: Bool, from file: String, at now: Int) throws {
        let key = MailboxCredential.mailboxKey(for: row.senderEmail)
        // A row now invalid overrides what an earlier import queued for the same mailbox, so an old password is
        // never sent after the person has changed the row.
        if !isDuplicate, !key.isEmpty, let existing = try lookup(mailbox: key),
           case let .becomes(state) = JobLifecycle.onImport(existing.state, rowIsValid: false) {
            try db.statement("""
                UPDATE jobs SET state = ?, body = NULL, user_id = NULL, source = ?, line = ?, sender_email = ?,
                reason = ?, last_error = ?, updated_at = ?, team = ?, daily_limit = NULL, warmup = NULL, warmup_max = NULL,
                warmup_rampup = NULL, settings_due = 0, settings_state = NULL, settings_error = NULL WHERE id = ?
                """).bind(state.rawValue, file, row.line, row.senderEmail, reason, message, now, row.team, existing.id).run()
            return
        }
        guard case let .becomes(state) = JobLifecycle.onImport(nil, rowIsValid: false) else { return }
        try db.statement("""
            INSERT INTO jobs (mailbox, source, line, sender_email, state, reason, last_error, created_at, updated_at, team)
            VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).bind(file, row.line, row.senderEmail, state.rawValue, reason, message, now, now, row.team).run()
    }

    /// A valid row for a mailbox the ledger has: what a person can still change is updated, the rest left alone.
    /// New credentials clear the login check, so a held job fixed in the spreadsheet is checked (and sent) again.
    private func recordKnown(_ row: ImportedRow, mailbox: String, body: [UInt8], userId: String?, from file: String, at now: Int,
                             counts: inout ImportCounts) throws {
        guard let existing = try lookup(mailbox: mailbox) else { return }
        switch JobLifecycle.onImport(existing.state, rowIsValid: true) {
        case .leftAlone:
            if existing.state == .inFlight { counts.inFlight += 1 } else { counts.alreadyConnected += 1 }
            try recordSettingsChange(existing, to: row.settings, at: now, counts: &counts)
        case let .becomes(state):
            if JobLifecycle.canBegin(existing.state), existing.body.map({ Array($0.utf8) }) == body, existing.source == file, existing.line == row.line,
               existing.team == row.team, existing.settings == row.settings {
                counts.unchanged += 1
                return
            }
            if existing.state == .failed { counts.rearmed += 1 } else { counts.updated += 1 }
            let statement = try db.statement("""
                UPDATE jobs SET state = ?1, body = ?2, source = ?3, line = ?4, sender_email = ?5, attempts = 0,
                throttled = 0, next_attempt_at = NULL, reason = NULL, last_error = NULL, updated_at = ?6,
                check_passed = CASE WHEN body IS ?2 THEN check_passed END,
                check_smtp = CASE WHEN body IS ?2 THEN check_smtp END, check_imap = CASE WHEN body IS ?2 THEN check_imap END,
                check_hint = CASE WHEN body IS ?2 THEN check_hint END, checked_at = CASE WHEN body IS ?2 THEN checked_at END,
                team = ?8, user_id = ?9, account_id = NULL, verification = NULL, smtp_error = NULL, imap_error = NULL, verified_at = NULL,
                mailbox_id = NULL, settings_error = NULL, settings_at = NULL, daily_limit = ?10, warmup = ?11, warmup_max = ?12,
                warmup_rampup = ?13, settings_due = ?14, settings_state = ?15 WHERE id = ?7
                """)
            try statement.bind(state.rawValue, at: 1)
            try statement.bind(body, at: 2)
            try statement.bind(file, at: 3)
            try statement.bind(row.line, at: 4)
            try statement.bind(row.senderEmail, at: 5)
            try statement.bind(now, at: 6)
            try statement.bind(existing.id, at: 7)
            try statement.bind(row.team, at: 8)
            try statement.bind(userId, at: 9)
            try bindSettings(row.settings, to: statement, at: 10)
            try statement.run()
        }
    }

    /// A connected (or sending) mailbox's row with other settings: the new values are kept, and the parts whose
    /// value changed are due again; the rest of the job is left alone.
    private func recordSettingsChange(_ existing: Existing, to settings: MailboxSettings, at now: Int, counts: inout ImportCounts) throws {
        guard settings != existing.settings else { return }
        let changed = SettingsPart.changed(from: existing.settings, to: settings)
        try db.statement("""
            UPDATE jobs SET daily_limit = ?, warmup = ?, warmup_max = ?, warmup_rampup = ?, settings_due = settings_due | ?,
            settings_error = CASE WHEN ? != 0 THEN NULL ELSE settings_error END, updated_at = ? WHERE id = ?
            """).bind(settings.dailyLimit, settings.warmup.map { $0 ? 1 : 0 }, settings.warmupMax, settings.warmupRampup, changed.rawValue,
                      changed.rawValue, now, existing.id).run()
        guard !changed.isEmpty else { return }
        try db.statement("UPDATE jobs SET settings_state = \(SettingsState.sqlAfter) WHERE id = ?").bind(existing.id).run()
        counts.settingsChanged += 1
    }

    private struct Existing {
        var id: Int, state: JobState, body: String?, source: String, line: Int, team: String?, settings: MailboxSettings
    }

    private func lookup(mailbox: String) throws -> Existing? {
        let statement = try db.statement("""
            SELECT id, state, body, source, line, team, daily_limit, warmup, warmup_max, warmup_rampup FROM jobs WHERE mailbox = ?
            """).bind(mailbox)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return Existing(id: statement.int(0), state: try JobState.stored(statement.text(1), job: statement.int(0), path: path),
                        body: statement.text(2), source: statement.text(3) ?? "", line: statement.int(4), team: statement.text(5),
                        settings: Self.settings(statement, from: 6))
    }

    /// The four settings columns read from `first` on.
    static func settings(_ statement: SQLiteStatement, from first: Int32) -> MailboxSettings {
        MailboxSettings(dailyLimit: statement.optionalInt(first), warmup: statement.optionalInt(first + 1).map { $0 != 0 },
                        warmupMax: statement.optionalInt(first + 2), warmupRampup: statement.optionalInt(first + 3))
    }
}
