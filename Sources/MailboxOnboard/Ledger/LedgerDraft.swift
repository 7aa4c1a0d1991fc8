import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
import OnboardInput
#endif

/// A ledger that does not exist yet, built beside its path (`<path>.new`) and published whole.
///
/// A first import writes every job at once. In WAL mode SQLite writes each page twice, once to the WAL and again
/// when checkpointing; with a rollback journal a new file's pages are written once and need no journal. Nobody can
/// open the draft, so its journal mode is safe to choose, and WAL is switched on before it is published.
/// Publishing is a `link`, which fails rather than replace a ledger created meanwhile: the caller then imports
/// into that one. Until the link, a crash leaves no ledger, only a draft the next import overwrites.
final class LedgerDraft {
    let path: String
    let draftPath: String
    private(set) var store: LedgerStore?
    /// Held open with an exclusive `flock` while building, so two imports never build the same draft.
    private let fd: Int32
    /// Set once the draft is published or dropped; its descriptor is closed then and must not be closed again.
    private var finished = false

    /// Starts a draft for `path`. Nil when a ledger exists there or another import is building it: import into the
    /// ledger as usual then.
    static func begin(path: String) throws(LedgerError) -> LedgerDraft? {
        var info = stat()
        guard lstat(path, &info) != 0, errno == ENOENT else { return nil }
        let draftPath = LedgerFiles(ledger: path).draft
        let fd = open(draftPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        // From here the draft is ours, and dropping it (deinit) removes the file.
        let draft = LedgerDraft(path: path, draftPath: draftPath, fd: fd)
        // What a killed import left is emptied. SQLite never rolls a journal into an empty file: it deletes it.
        guard ftruncate(fd, 0) == 0, fchmod(fd, 0o600) == 0 else { return nil }
        draft.store = try LedgerStore(path: draftPath, draft: true)
        return draft
    }

    /// Removes a draft that a killed import left (it holds every password of the file it was importing), unless an
    /// import is building it now. Called before anything else opens the ledger path, whatever the command.
    static func removeAbandoned(ledgerPath: String) {
        let files = LedgerFiles(ledger: ledgerPath)
        let fd = open(files.draft, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        // An import building the draft holds this lock for as long as it lives; the kernel drops it when it dies.
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return }
        unlink(files.draft)
        unlink(files.draftJournal)
    }

    private init(path: String, draftPath: String, fd: Int32) {
        self.path = path
        self.draftPath = draftPath
        self.fd = fd
    }

    deinit { discard() }

    private func discard() {
        guard !finished else { return }
        finished = true
        store = nil
        unlink(draftPath)
        unlink(LedgerFiles(ledger: path).draftJournal)
        close(fd)
    }

    /// Starts writing to disk what SQLite has handed the kernel so far, without waiting for it, so the commit's
    /// fsync does not find the whole ledger still to write.
    func startWriteback() {
        #if os(Linux)
        _ = sync_file_range(fd, 0, 0, 2)  // SYNC_FILE_RANGE_WRITE
        #endif
        // Elsewhere the commit's fsync writes everything itself: slower, not less safe.
    }

    /// Switches the draft to WAL and gives it its real name. False when a ledger appeared at `path` meanwhile; the
    /// draft is dropped and that ledger is left as it was.
    func publish() throws(LedgerError) -> Bool {
        guard let store else { return false }
        store.settle()
        do {
            try store.db.execute("PRAGMA journal_mode = WAL")
        } catch {
            throw LedgerError(error, path: path)
        }
        self.store = nil
        if link(draftPath, path) != 0 {
            let failure = errno
            discard()
            guard failure == EEXIST else { throw .unusable(path: path, why: String(cString: strerror(failure))) }
            return false
        }
        finished = true
        unlink(draftPath)
        close(fd)
        Self.syncDirectory(of: path)
        return true
    }

    /// Makes the new name durable: a ledger whose commit survived a power cut should still be found by its name.
    private static func syncDirectory(of path: String) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dirFD >= 0 else { return }
        fsync(dirFD)
        close(dirFD)
    }
}
