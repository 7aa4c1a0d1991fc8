import Foundation
#if canImport(Glibc)
import Glibc
import OnboardInput
#endif

/// Makes sure only one run uses a ledger at a time, with an OS file lock on `<ledger>.lock`. The kernel drops the
/// lock when the process dies, however it dies, so a killed run never blocks the next one.
public final class RunLock: Sendable {
    private let fd: Int32
    public let path: String

    /// Takes the lock or throws `LedgerError.locked` naming the process that holds it.
    public init(ledgerPath: String) throws(LedgerError) {
        path = LedgerFiles(ledger: ledgerPath).lock
        fd = try LedgerFiles.openOwn(path, flags: O_RDWR)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = read(fd, &buffer, buffer.count)
            close(fd)
            let pid = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).trimmingSpaces
            throw .locked(path: ledgerPath, holder: pid.isEmpty ? "another process" : "process \(pid)")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.utf8.count, 0)
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
