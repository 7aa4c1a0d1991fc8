import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
import OnboardInput
#endif

/// When the latest requests started, kept in `<ledger>.rate`, so a run that follows a crash or Ctrl-C continues the
/// same rolling window instead of opening with a fresh burst on top of the dead run's requests.
///
/// Each start is one 8-byte write into a ring of slots, made before the request leaves. It is not fsynced: a killed
/// process's writes survive in the page cache, and after a power loss the window has long passed.
public final class RequestStartLog: Sendable {
    static let slots = 1024
    private let fd: Int32
    private let nextSlot: Mutex<Int>

    /// The log of the default key, or with `keyHash` of another key (see `LedgerFiles.rate(keyHash:)`).
    public init(ledgerPath: String, keyHash: String? = nil) throws(LedgerError) {
        fd = try LedgerFiles.openOwn(LedgerFiles(ledger: ledgerPath).rate(keyHash: keyHash), flags: O_RDWR)
        let times = Self.read(fd)
        let newest = times.indices.max { times[$0] < times[$1] } ?? -1
        nextSlot = Mutex((newest + 1) % Self.slots)
    }

    deinit { close(fd) }

    /// Start times (seconds since 1970) within the `window` seconds before `now`, oldest first. Times after `now`
    /// are dropped: after the system clock is set back they would otherwise hold the next run for as long.
    public func recent(window: Double, now: Double) -> [Double] {
        Self.read(fd).filter { $0 > now - window && $0 <= now }.sorted()
    }

    /// Notes a request start at `time` (seconds since 1970).
    public func record(_ time: Double) {
        let slot = nextSlot.withLock { slot in
            defer { slot = (slot + 1) % Self.slots }
            return slot
        }
        var value = time
        _ = withUnsafeBytes(of: &value) { pwrite(fd, $0.baseAddress, 8, off_t(slot * 8)) }
    }

    private static func read(_ fd: Int32) -> [Double] {
        var times = [Double](repeating: 0, count: slots)
        let count = times.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        let valid = max(count, 0) / 8
        return Array(times.prefix(valid)).map { $0.isFinite ? $0 : 0 }
    }
}
