import CSQLite
import Foundation
#if canImport(Glibc)
import Glibc
import OnboardInput
#endif

/// The ledger file: one SQLite database in WAL mode with `synchronous=FULL`, so a committed change survives a crash
/// or power loss. Created with mode 0600 (its -wal and -shm companions too), since it holds passwords until each
/// job is done. Not thread-safe: used from one place at a time (an import, a report, or the `Ledger` actor).
final class LedgerStore {
    let path: String
    let db: SQLiteConnection

    /// Opens or creates the ledger at `path` (with `create` false, a missing ledger is refused). A file that is not a
    /// ledger, or a ledger from a newer version, is refused before anything is written to it. `draft` opens a ledger
    /// no one else can see yet (`LedgerDraft`) with a rollback journal instead of the WAL.
    init(path: String, draft: Bool = false, create: Bool = true) throws(LedgerError) {
        self.path = path
        if !draft { LedgerDraft.removeAbandoned(ledgerPath: path) }
        if !create { try Self.requireExisting(path) }
        let fresh = try Self.prepareFile(path)
        db = try LedgerError.wrapping(path) { try SQLiteConnection(path: path) }
        // SQLite quietly opens a file it may not write read-only; say so now rather than at the first write.
        guard sqlite3_db_readonly(db.handle, "main") != 1 else { throw .readOnly(path: path) }
        try LedgerError.wrapping(path) {
            try db.execute("PRAGMA busy_timeout = \(Self.busyTimeoutMilliseconds)")
            let appID = try scalar("PRAGMA application_id")
            let version = try scalar("PRAGMA user_version")
            if !fresh {
                guard appID == Int(Schema.applicationID) else {
                    throw LedgerError.notALedger(path: path, why: "a SQLite database of another program")
                }
                guard version <= Schema.currentVersion else {
                    throw LedgerError.newerSchema(path: path, found: version, supported: Schema.currentVersion)
                }
            }
            try db.execute("PRAGMA journal_mode = \(draft ? "DELETE" : "WAL"); PRAGMA synchronous = FULL; PRAGMA secure_delete = ON")
            try migrate(from: fresh ? 0 : version)
        }
        Self.restrictCompanions(path)
    }

    /// How long a statement waits for another process's write before the ledger counts as busy.
    static let busyTimeoutMilliseconds = 10_000

    /// Refuses a ledger path where there is nothing, for the commands that only read or work through a ledger: a
    /// mistyped path must not become an empty ledger that reports nothing to do. A killed import's draft is removed
    /// first.
    static func requireExisting(_ path: String) throws(LedgerError) {
        LedgerDraft.removeAbandoned(ledgerPath: path)
        var info = stat()
        if lstat(path, &info) != 0, errno == ENOENT { throw .missing(path: path) }
    }

    /// Creates a new file with mode 0600, or checks that an existing one starts like a SQLite database.
    /// Returns whether the ledger is new.
    private static func prepareFile(_ path: String) throws(LedgerError) -> Bool {
        // Opening a FIFO to read its header would wait for a writer for ever; a directory would fail as "read-only".
        var info = stat()
        if stat(path, &info) == 0, let kind = nonFileKind(info.st_mode) { throw .notAFile(path: path, kind: kind) }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
            return true
        }
        guard errno == EEXIST else {
            throw .unusable(path: path, why: String(cString: strerror(errno)))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unusable(path: path, why: "cannot read it (\(String(cString: strerror(errno))))")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty { return true }
        guard header == Data("SQLite format 3\0".utf8) else {
            throw .notALedger(path: path, why: "not a SQLite database")
        }
        chmod(path, 0o600)
        return false
    }

    /// What a path is when it is not a regular file, in words; nil for a regular file.
    static func nonFileKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFSOCK: "a socket"
        case S_IFCHR, S_IFBLK: "a device"
        default: "something other than a regular file"
        }
    }

    /// SQLite gives -wal and -shm the database's mode; this makes sure of it for files left by older runs.
    static func restrictCompanions(_ path: String) {
        let files = LedgerFiles(ledger: path)
        for companion in [files.wal, files.shm] { chmod(companion, 0o600) }
    }

    private func migrate(from version: Int) throws {
        guard version < Schema.currentVersion else { return }
        try db.transaction {
            if version == 0 { try db.execute("PRAGMA application_id = \(Schema.applicationID)") }
            for migration in Schema.migrations[version...] { try db.execute(migration) }
            try db.execute("PRAGMA user_version = \(Schema.currentVersion)")
        }
    }

    func scalar(_ sql: String, _ values: (any SQLiteValue)?...) throws(SQLiteError) -> Int {
        let statement = try db.statement(sql).bindAll(values)
        defer { statement.reset() }
        return try statement.step() ? statement.int(0) : 0
    }

    /// Ends a command's use of the ledger so that no erased password is left in its files.
    ///
    /// `secure_delete` zeroes a deleted row, but not the copies SQLite leaves in a page's unallocated gap when it
    /// rebuilds a page around a row that grew. So when `scrub` says a password was erased or replaced, the file is
    /// rewritten without free space (VACUUM) before the flag is cleared; a command killed before this leaves the
    /// flag, and the next command that ends does it. Then every change goes into the main file and the WAL, which
    /// holds the old pages, is emptied.
    func settle() {
        // A failed VACUUM (a full disk: it needs room for a second copy) keeps the flag for the next command.
        if (try? scalar("SELECT count(*) FROM scrub")) ?? 0 > 0 {
            try? db.execute("VACUUM; DELETE FROM scrub")
        }
        try? db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Milliseconds since 1970, the ledger's clock for timestamps.
    static func now() -> Int { Int(Date().timeIntervalSince1970 * 1000) }
}
