import Foundation

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

    public init() {}
}

extension LedgerStore {
    /// Drops the invalid rows an earlier import of `source` recorded; importing it again records them anew.
    func forgetInvalidRows(of source: String) throws {
        try db.statement("DELETE FROM jobs WHERE source = ? AND state = 'invalid'").bind(source).run()
    }

    /// Records one validated row and says what became of it. Runs inside the import's transaction.
    func record(_ row: PreparedRow, from file: String, at now: Int, counts: inout ImportCounts) throws {
        switch row.job {
        case let .invalid(reason, message, isDuplicate):
            counts.invalid += 1
            let key = row.senderEmail.lowercased()
            // A row now invalid overrides what an earlier import queued for the same mailbox, so an old password is
            // never sent after the person has changed the row.
            if !isDuplicate, !key.isEmpty, let existing = try lookup(mailbox: key),
               [.pending, .retrying, .failed, .invalid].contains(existing.state) {
                try db.statement("""
                    UPDATE jobs SET state = 'invalid', body = NULL, source = ?, line = ?, sender_email = ?,
                    reason = ?, last_error = ?, updated_at = ? WHERE id = ?
                    """).bind(file, row.line, row.senderEmail, reason, message, now, existing.id).run()
                return
            }
            try db.statement("""
                INSERT INTO jobs (mailbox, source, line, sender_email, state, reason, last_error, created_at, updated_at)
                VALUES (NULL, ?, ?, ?, 'invalid', ?, ?, ?, ?)
                """).bind(file, row.line, row.senderEmail, reason, message, now, now).run()
        case let .send(mailbox, body):
            try record(row, from: file, mailbox: mailbox, body: body, at: now, counts: &counts)
        }
    }

    private func record(_ row: PreparedRow, from file: String, mailbox: String, body: [UInt8], at now: Int, counts: inout ImportCounts) throws {
        // Insert first and look up only on a conflict: a fresh import is almost all inserts.
        let insert = try db.statement(Self.insertPending)
        try body.withUnsafeBufferPointer { body in
            try mailbox.withUTF8Bytes { mailbox in
                try file.withUTF8Bytes { file in
                    try row.senderEmail.withUTF8Bytes { email in
                        try insert.bind(BorrowedText(bytes: mailbox), BorrowedText(bytes: file), row.line,
                                        BorrowedText(bytes: email), BorrowedText(bytes: body), now, now).run()
                    }
                }
            }
        }
        if db.changes == 1 {
            counts.added += 1
            return
        }
        guard let existing = try lookup(mailbox: mailbox) else { return }
        switch existing.state {
        case .connected, .alreadyConnected:
            counts.alreadyConnected += 1
        case .inFlight:
            counts.inFlight += 1
        case .pending, .retrying, .failed, .invalid:
            let isPending = existing.state == .pending || existing.state == .retrying
            if isPending, existing.body.map(\.utf8).map(Array.init) == body, existing.source == file, existing.line == row.line {
                counts.unchanged += 1
                return
            }
            if existing.state == .failed { counts.rearmed += 1 } else { counts.updated += 1 }
            try db.statement("""
                UPDATE jobs SET state = 'pending', body = ?, source = ?, line = ?, sender_email = ?, attempts = 0,
                throttled = 0, next_attempt_at = NULL, reason = NULL, last_error = NULL, updated_at = ? WHERE id = ?
                """).bind(body, file, row.line, row.senderEmail, now, existing.id).run()
        }
    }

    private static let insertPending = """
        INSERT INTO jobs (mailbox, source, line, sender_email, body, state, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (mailbox) DO NOTHING
        """

    private struct Existing {
        var id: Int, state: JobState, body: String?, source: String, line: Int
    }

    private func lookup(mailbox: String) throws -> Existing? {
        let statement = try db.statement("SELECT id, state, body, source, line FROM jobs WHERE mailbox = ?").bind(mailbox)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return Existing(id: statement.int(0), state: JobState(rawValue: statement.text(1) ?? "") ?? .pending,
                        body: statement.text(2), source: statement.text(3) ?? "", line: statement.int(4))
    }
}
