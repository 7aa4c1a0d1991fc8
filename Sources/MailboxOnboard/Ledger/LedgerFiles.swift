#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
import OnboardInput
#endif

/// Every file that belongs to a ledger, named in one place.
public struct LedgerFiles: Sendable, Equatable {
    /// The SQLite file itself.
    public let ledger: String

    public init(ledger: String) {
        self.ledger = ledger
    }

    /// SQLite's write-ahead log and its index.
    public var wal: String { ledger + "-wal" }
    public var shm: String { ledger + "-shm" }
    /// The OS file lock that keeps a second run away (`RunLock`).
    public var lock: String { ledger + ".lock" }
    /// When the latest requests started (`RequestStartLog`), for every API key the ledger's runs used.
    public var rate: String { ledger + ".rate" }
    /// A first import's ledger while it is built (`LedgerDraft`), and its rollback journal.
    public var draft: String { ledger + ".new" }
    public var draftJournal: String { draft + "-journal" }

    /// Opens (creating it 0600 if needed) a file of the ledger's own without following a symbolic link, so a link
    /// planted in its place cannot turn one of our writes onto another file.
    static func openOwn(_ path: String, flags: Int32) throws(LedgerError) -> Int32 {
        let fd = open(path, flags | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd < 0 else { return fd }
        let failure = errno
        var info = stat()
        if failure == ELOOP || (lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK) { throw .symbolicLink(path: path) }
        throw .unusable(path: path, why: String(cString: strerror(failure)))
    }
}
