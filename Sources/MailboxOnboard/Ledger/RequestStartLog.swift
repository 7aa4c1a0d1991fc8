import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
import OnboardInput
#endif

/// When the latest requests started, kept in `<ledger>.rate`, so a run that follows a crash or Ctrl-C continues the
/// same rolling window instead of opening with a fresh burst on top of the dead run's requests.
///
/// One file per ledger holds every key's starts: a header, then a ring of slots, each a key's tag (8 bytes: 0 for
/// the default key, else the head of its keyed hash, never the key) and a start time (8 bytes). Each start is one
/// 16-byte write into the ring, made before the request leaves. It is not fsynced: a killed process's writes
/// survive in the page cache, and after a power loss the window has long passed. The ring is large enough for every
/// key's last window at any rate the run's `--concurrency` allows.
public final class RequestStartLog: Sendable {
    static let slots = 16_384
    static let slotSize = 16
    static let magic = Array("MOBRATE1".utf8) + [UInt8](repeating: 0, count: 8)
    static var headerSize: Int { magic.count }

    private let fd: Int32
    private let tag: UInt64
    private let cursor: SlotCursor

    /// The log of the default key, or with `keyHash` of another key (see `TeamKeys.rateLogHash`).
    public init(ledgerPath: String, keyHash: String? = nil) throws(LedgerError) {
        let path = LedgerFiles(ledger: ledgerPath).rate
        fd = try LedgerFiles.openOwn(path, flags: O_RDWR)
        tag = keyHash.flatMap { UInt64($0.prefix(16), radix: 16) } ?? 0
        cursor = SlotCursor.attach(path: path, fd: fd, ledgerPath: ledgerPath)
    }

    deinit {
        cursor.detach()
        close(fd)
    }

    /// This key's start times (seconds since 1970) within the `window` seconds before `now`, oldest first. Times
    /// after `now` are dropped: after the system clock is set back they would otherwise hold the next run for as long.
    public func recent(window: Double, now: Double) -> [Double] {
        Self.read(fd).filter { $0.tag == tag && $0.time > now - window && $0.time <= now }.map(\.time).sorted()
    }

    /// Notes a request start at `time` (seconds since 1970).
    public func record(_ time: Double) {
        let slot = cursor.take()
        var record = (tag, time)
        _ = withUnsafeBytes(of: &record) { pwrite(fd, $0.baseAddress, Self.slotSize, off_t(Self.headerSize + slot * Self.slotSize)) }
    }

    static func read(_ fd: Int32) -> [(tag: UInt64, time: Double)] {
        var bytes = [UInt8](repeating: 0, count: headerSize + slots * slotSize)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count >= headerSize, Array(bytes.prefix(headerSize)) == magic else { return [] }
        return stride(from: headerSize, to: count - slotSize + 1, by: slotSize).compactMap { offset in
            let (tag, time) = bytes.withUnsafeBytes { ($0.loadUnaligned(fromByteOffset: offset, as: UInt64.self),
                                                       $0.loadUnaligned(fromByteOffset: offset + 8, as: Double.self)) }
            return time.isFinite && time > 0 ? (tag, time) : nil
        }
    }
}

/// The next slot of a ledger's ring, shared by every key's log in this process (a run's lanes write one file; the
/// run lock keeps other processes away). Made when the first log opens the file, dropped with the last.
final class SlotCursor: Sendable {
    private static let open = Mutex<[String: (cursor: SlotCursor, users: Int)]>([:])
    private let path: String
    private let next: Mutex<Int>

    private init(path: String, next: Int) {
        self.path = path
        self.next = Mutex(next)
    }

    /// The cursor for `path`, made from the file when no log has it open: after the newest slot, in a file turned
    /// into this format if it was not (an older version's ring, whose few seconds of history are let go).
    static func attach(path: String, fd: Int32, ledgerPath: String) -> SlotCursor {
        open.withLock { open in
            if let entry = open[path] {
                open[path] = (entry.cursor, entry.users + 1)
                return entry.cursor
            }
            var header = [UInt8](repeating: 0, count: RequestStartLog.headerSize)
            let count = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
            if count != header.count || header != RequestStartLog.magic {
                _ = ftruncate(fd, 0)
                _ = RequestStartLog.magic.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
                removeOlderKeyFiles(ledgerPath: ledgerPath)
            }
            let times = RequestStartLog.read(fd).map(\.time)
            let newest = times.indices.max { times[$0] < times[$1] } ?? -1
            let cursor = SlotCursor(path: path, next: (newest + 1) % RequestStartLog.slots)
            open[path] = (cursor, 1)
            return cursor
        }
    }

    func take() -> Int {
        next.withLock { slot in
            defer { slot = (slot + 1) % RequestStartLog.slots }
            return slot
        }
    }

    func detach() {
        Self.open.withLock { open in
            guard let entry = open[path] else { return }
            open[path] = entry.users > 1 ? (entry.cursor, entry.users - 1) : nil
        }
    }

    /// Earlier versions kept one `<ledger>.rate-<hash>` file per key; their windows are long past.
    private static func removeOlderKeyFiles(ledgerPath: String) {
        let url = URL(fileURLWithPath: ledgerPath)
        let prefix = url.lastPathComponent + ".rate-"
        let directory = url.deletingLastPathComponent().path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(prefix) {
            let suffix = name.dropFirst(prefix.count)
            if suffix.count == 24, suffix.allSatisfy(\.isHexDigit) { unlink(directory + "/" + name) }
        }
    }
}
