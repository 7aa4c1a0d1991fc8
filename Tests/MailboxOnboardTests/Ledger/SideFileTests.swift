import Foundation
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// The ledger's side files are opened without following links, and a ledger path that is not a regular file is
/// refused at once with what it is.
struct SideFileTests {
    /// Plants `<ledger><suffix>` as a link to a file holding `keep`, and returns the target's path.
    func plantLink(_ scratch: Scratch, _ suffix: String) throws -> String {
        let target = try scratch.write("target-\(suffix.dropFirst())", "keep")
        try FileManager.default.createSymbolicLink(atPath: scratch.ledger + suffix, withDestinationPath: target)
        return target
    }

    @Test func aLockFileThatIsALinkIsRefusedAndItsTargetKept() throws {
        let scratch = try Scratch()
        let target = try plantLink(scratch, ".lock")
        #expect(throws: LedgerError.symbolicLink(path: scratch.ledger + ".lock")) { try RunLock(ledgerPath: scratch.ledger) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep")
    }

    @Test func aRateFileThatIsALinkIsRefusedAndItsTargetKept() throws {
        let scratch = try Scratch()
        let target = try plantLink(scratch, ".rate")
        #expect(throws: LedgerError.symbolicLink(path: scratch.ledger + ".rate")) { try RequestStartLog(ledgerPath: scratch.ledger) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep")
        #expect(LedgerError.symbolicLink(path: "l.db.rate").localizedDescription.hasPrefix("l.db.rate: is a symbolic link"))
    }

    @Test func aFIFOAsTheLedgerIsRefusedWithoutWaiting() throws {
        let scratch = try Scratch()
        #expect(mkfifo(scratch.ledger, 0o600) == 0)
        #expect(throws: LedgerError.notAFile(path: scratch.ledger, kind: "a FIFO (named pipe)")) { try LedgerStore(path: scratch.ledger) }
    }

    @Test func aDirectoryAsTheLedgerIsSaidToBeOne() throws {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(atPath: scratch.ledger, withIntermediateDirectories: false)
        #expect(throws: LedgerError.notAFile(path: scratch.ledger, kind: "a directory")) { try LedgerStore(path: scratch.ledger) }
        #expect(LedgerError.notAFile(path: "x", kind: "a directory").localizedDescription == "x: is a directory, not a ledger file")
    }

    /// SQLite reports a disk that fills while it grows the -shm file as "disk I/O error" (4874); the message says
    /// which file, and that the disk is full or failing.
    @Test func diskErrorsNameTheFileAndSayWhatIsWrong() {
        let full = SQLiteError(code: 4874, message: "disk I/O error", systemErrno: ENOSPC)
        #expect(LedgerError(full, path: "l.db") == .diskFull(path: "l.db"))
        let failing = SQLiteError(code: 4874, message: "disk I/O error", systemErrno: EIO)
        #expect(LedgerError(failing, path: "l.db").localizedDescription
            == "l.db-shm: cannot write the ledger's shared-memory file: the disk is full or failing (disk I/O error)")
        let write = SQLiteError(code: 778, message: "disk I/O error", systemErrno: EIO)
        #expect(LedgerError(write, path: "l.db").localizedDescription
            == "l.db: cannot write the ledger or its -wal file: the disk is full or failing (disk I/O error)")
    }
}
