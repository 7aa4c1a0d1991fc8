import OnboardInput

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
        // A row in `scrub` means a password was erased or replaced since the file was last vacuumed: copies of it may
        // sit in free space until then. Triggers set it, so no code path that erases a body can forget to.
        """
        CREATE TABLE scrub (due INTEGER PRIMARY KEY CHECK (due = 1));
        CREATE TRIGGER jobs_body_replaced AFTER UPDATE OF body ON jobs
            WHEN OLD.body IS NOT NULL AND (NEW.body IS NULL OR NEW.body != OLD.body)
            BEGIN INSERT OR IGNORE INTO scrub VALUES (1); END;
        CREATE TRIGGER jobs_body_deleted AFTER DELETE ON jobs WHEN OLD.body IS NOT NULL
            BEGIN INSERT OR IGNORE INTO scrub VALUES (1); END;
        """,
        // lemlist's account test, per connected job: its verdict, each protocol's error text, and when.
        """
        ALTER TABLE jobs ADD COLUMN verification TEXT CHECK (verification IN ('passed', 'failed', 'not_found'));
        ALTER TABLE jobs ADD COLUMN smtp_error TEXT;
        ALTER TABLE jobs ADD COLUMN imap_error TEXT;
        ALTER TABLE jobs ADD COLUMN verified_at INTEGER;
        """,
        // The local SMTP/IMAP login check, per outstanding job: passed or not, each failing protocol's reply, a hint
        // for the person, and when. A job whose last check failed is held back from runs.
        """
        ALTER TABLE jobs ADD COLUMN check_passed INTEGER CHECK (check_passed IN (0, 1));
        ALTER TABLE jobs ADD COLUMN check_smtp TEXT;
        ALTER TABLE jobs ADD COLUMN check_imap TEXT;
        ALTER TABLE jobs ADD COLUMN check_hint TEXT;
        ALTER TABLE jobs ADD COLUMN checked_at INTEGER;
        """,
        // The lemlist team a row names (as typed, trimmed); NULL for the default key's team. Matched without case.
        """
        ALTER TABLE jobs ADD COLUMN team TEXT;
        """,
        // The lemlist user a row assigns its mailbox to, as a column, so pre-flight never parses a stored credential.
        // Partial indexes for the summary's counts: they hold only the jobs a check, a test or a team touched, so an
        // import of untouched rows does not pay for them, and no count scans the table.
        """
        ALTER TABLE jobs ADD COLUMN user_id TEXT;
        UPDATE jobs SET user_id = json_extract(body, '$.userId') WHERE body IS NOT NULL;
        CREATE INDEX jobs_checked ON jobs (check_passed, state) WHERE check_passed IS NOT NULL;
        CREATE INDEX jobs_verified ON jobs (verification) WHERE verification IS NOT NULL;
        CREATE INDEX jobs_by_team ON jobs (team) WHERE team IS NOT NULL;
        """,
        // What the row asks of the mailbox once it is connected (NULL: leave lemlist's value), which parts are still
        // to send (`SettingsPart` bits), how the last application ended, and the mailbox's `usm_` id once found.
        """
        ALTER TABLE jobs ADD COLUMN daily_limit INTEGER;
        ALTER TABLE jobs ADD COLUMN warmup INTEGER CHECK (warmup IN (0, 1));
        ALTER TABLE jobs ADD COLUMN warmup_max INTEGER;
        ALTER TABLE jobs ADD COLUMN warmup_rampup INTEGER;
        ALTER TABLE jobs ADD COLUMN settings_due INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN settings_state TEXT CHECK (settings_state IN ('pending', 'applied', 'failed'));
        ALTER TABLE jobs ADD COLUMN settings_error TEXT;
        ALTER TABLE jobs ADD COLUMN settings_at INTEGER;
        ALTER TABLE jobs ADD COLUMN mailbox_id TEXT;
        CREATE INDEX jobs_settings ON jobs (settings_state, state) WHERE settings_state IS NOT NULL;
        """,
        // A new state, `disconnected`, which the table's CHECK must take: SQLite cannot change a CHECK in place, so the
        // table is rebuilt (its indexes and triggers with it) and every row copied. And what `status` last saw of
        // each known mailbox in lemlist: its status, the warm-up error keeping it out of warm-up, and when; and when
        // `disconnect` sent its DELETE, so a run killed before the answer knows the request may have gone. The settings
        // columns keep no CHECK here: only `SettingsState` and a Bool write them, and each CHECK cost every imported
        // row its evaluation (a tenth of a 100,000-row import's writing).
        """
        CREATE TABLE jobs_new (
            id INTEGER PRIMARY KEY,
            mailbox TEXT UNIQUE,
            source TEXT NOT NULL,
            line INTEGER NOT NULL,
            sender_email TEXT NOT NULL,
            body TEXT,
            state TEXT NOT NULL CHECK (state IN
                ('invalid','pending','in_flight','retrying','connected','already_connected','failed','disconnected')),
            attempts INTEGER NOT NULL DEFAULT 0,
            throttled INTEGER NOT NULL DEFAULT 0,
            sent INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER,
            reason TEXT,
            last_error TEXT,
            account_id TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            verification TEXT CHECK (verification IN ('passed', 'failed', 'not_found')),
            smtp_error TEXT,
            imap_error TEXT,
            verified_at INTEGER,
            check_passed INTEGER CHECK (check_passed IN (0, 1)),
            check_smtp TEXT,
            check_imap TEXT,
            check_hint TEXT,
            checked_at INTEGER,
            team TEXT,
            user_id TEXT,
            daily_limit INTEGER,
            warmup INTEGER,
            warmup_max INTEGER,
            warmup_rampup INTEGER,
            settings_due INTEGER NOT NULL DEFAULT 0,
            settings_state TEXT,
            settings_error TEXT,
            settings_at INTEGER,
            mailbox_id TEXT,
            lemlist_status TEXT,
            warmup_error TEXT,
            status_at INTEGER,
            disconnect_at INTEGER
        );
        INSERT INTO jobs_new (
        id, mailbox, source, line, sender_email, body, state, attempts, throttled, sent, next_attempt_at, reason,
        last_error, account_id, created_at, updated_at, verification, smtp_error, imap_error, verified_at,
        check_passed, check_smtp, check_imap, check_hint, checked_at, team, user_id, daily_limit, warmup, warmup_max,
        warmup_rampup, settings_due, settings_state, settings_error, settings_at, mailbox_id)
        SELECT
        id, mailbox, source, line, sender_email, body, state, attempts, throttled, sent, next_attempt_at, reason,
        last_error, account_id, created_at, updated_at, verification, smtp_error, imap_error, verified_at,
        check_passed, check_smtp, check_imap, check_hint, checked_at, team, user_id, daily_limit, warmup, warmup_max,
        warmup_rampup, settings_due, settings_state, settings_error, settings_at, mailbox_id
        FROM jobs;
        DROP TABLE jobs;
        ALTER TABLE jobs_new RENAME TO jobs;
        CREATE INDEX jobs_by_state ON jobs (state, reason);
        CREATE INDEX jobs_checked ON jobs (check_passed, state) WHERE check_passed IS NOT NULL;
        CREATE INDEX jobs_verified ON jobs (verification) WHERE verification IS NOT NULL;
        CREATE INDEX jobs_by_team ON jobs (team) WHERE team IS NOT NULL;
        CREATE INDEX jobs_settings ON jobs (settings_state, state) WHERE settings_state IS NOT NULL;
        CREATE INDEX jobs_status ON jobs (lemlist_status) WHERE lemlist_status IS NOT NULL;
        CREATE TRIGGER jobs_body_replaced AFTER UPDATE OF body ON jobs
            WHEN OLD.body IS NOT NULL AND (NEW.body IS NULL OR NEW.body != OLD.body)
            BEGIN INSERT OR IGNORE INTO scrub VALUES (1); END;
        CREATE TRIGGER jobs_body_deleted AFTER DELETE ON jobs WHEN OLD.body IS NOT NULL
            BEGIN INSERT OR IGNORE INTO scrub VALUES (1); END;
        INSERT OR IGNORE INTO scrub SELECT 1 WHERE EXISTS (SELECT 1 FROM jobs WHERE body IS NOT NULL);
        """,
        // 9: the DNS health of each sending domain, recorded once per domain and shown for every job on it.
        // passed is NULL while MX or SPF could not be checked.
        """
        CREATE TABLE domains (
            domain TEXT PRIMARY KEY,
            passed INTEGER CHECK (passed IN (0, 1)),
            mx_status TEXT NOT NULL,
            mx TEXT NOT NULL,
            spf_status TEXT NOT NULL,
            spf TEXT NOT NULL,
            dmarc_status TEXT NOT NULL,
            dmarc TEXT NOT NULL,
            dkim_status TEXT NOT NULL,
            dkim TEXT NOT NULL,
            hint TEXT,
            checked_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    ]

    static var currentVersion: Int { migrations.count }
}
