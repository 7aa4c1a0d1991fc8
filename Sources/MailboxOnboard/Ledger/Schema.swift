/// The ledger's tables, one migration per schema version. A migration is never edited once released; a change is
/// a new entry, so a ledger of any age can be brought forward.
enum Schema {
    /// Marks the SQLite file as ours ("MBOB"), so another program's database is never mistaken for a ledger.
    static let applicationID: Int32 = 0x4D42_4F42

    static let migrations: [String] = [
        """
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            mailbox TEXT UNIQUE,
            source TEXT NOT NULL,
            line INTEGER NOT NULL,
            sender_email TEXT NOT NULL,
            body TEXT,
            state TEXT NOT NULL CHECK (state IN
                ('invalid','pending','in_flight','retrying','connected','already_connected','failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            throttled INTEGER NOT NULL DEFAULT 0,
            sent INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER,
            reason TEXT,
            last_error TEXT,
            account_id TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX jobs_by_state ON jobs (state, reason);
        """,
    ]

    static var currentVersion: Int { migrations.count }
}
