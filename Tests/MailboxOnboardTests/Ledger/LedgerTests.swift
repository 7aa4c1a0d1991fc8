import Foundation
import Logging
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

struct LedgerTests {
    let logger = quietLogger

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
    }

    @Test func ledgerAndCompanionsAreOwnerOnly() async throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv([apiRow()]))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
        let ledger = try Ledger(path: scratch.ledger)
        _ = try await ledger.outstanding()
        for path in [scratch.ledger, scratch.ledger + "-wal", scratch.ledger + "-shm"] {
            #expect(FileManager.default.fileExists(atPath: path), "\(path)")
            #expect(try mode(path) == 0o600, "\(path)")
        }
    }

    @Test func aFileThatIsNotALedgerIsRefusedUntouched() throws {
        let scratch = try Scratch()
        let path = try scratch.write("notes.db", "name,email\nAnn,ann@x.com\n")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: LedgerError.notALedger(path: path, why: "not a SQLite database")) { try LedgerStore(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func anotherProgramsDatabaseIsRefusedUntouched() throws {
        let scratch = try Scratch()
        let path = scratch.path("other.db")
        do {
            let other = try SQLiteConnection(path: path)
            try other.execute("CREATE TABLE t (x); INSERT INTO t VALUES (1)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: LedgerError.notALedger(path: path, why: "a SQLite database of another program")) { try LedgerStore(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aLedgerFromANewerVersionIsRefused() throws {
        let scratch = try Scratch()
        do {
            let store = try LedgerStore(path: scratch.ledger)
            try store.db.execute("PRAGMA user_version = 99")
        }
        #expect(throws: LedgerError.newerSchema(path: scratch.ledger, found: 99, supported: Schema.currentVersion)) {
            try LedgerStore(path: scratch.ledger)
        }
    }

    @Test func reopeningKeepsJobsAndSchema() throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv([apiRow("a@acme-mail.com"), apiRow("b@acme-mail.com")]))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
        let store = try LedgerStore(path: scratch.ledger)
        #expect(try store.scalar("PRAGMA user_version") == Schema.currentVersion)
        #expect(try store.scalar("SELECT count(*) FROM jobs WHERE state = 'pending'") == 2)
    }

    @Test func passwordsAreErasedOnEveryTerminalStateAndLeaveNoTraceInTheFiles() async throws {
        let scratch = try Scratch()
        let rows = (0..<4).map { apiRow("u\($0)@acme-mail.com", ["smtp_password": "PLANTED-SMTP-\($0)-zq", "imap_password": "PLANTED-IMAP-\($0)-zq"]) }
        let file = try scratch.write("in.csv", csv(rows + [apiRow("bad@acme-mail.com", ["smtp_port": "0", "smtp_password": "PLANTED-SMTP-bad-zq"])]))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
        let ledger = try Ledger(path: scratch.ledger)
        let results: [AttemptResult] = [.connected(accountId: "umx_1"), .alreadyConnected(note: nil), .failed(reason: "HTTP 400", message: "HTTP 400"),
                                        .retry(at: 0, reason: "retrying", message: "HTTP 503", throttled: false)]
        for (job, result) in zip(try await ledger.outstanding(), results) {
            let attempt = try #require(try await ledger.beginAttempt(job.id))
            #expect(attempt.credential.smtpPassword.revealed.hasPrefix("PLANTED"))
            try await ledger.finish(attempt, result)
        }
        // The retrying job still needs its passwords; finish it too, then nothing may remain anywhere.
        let last = try #require(try await ledger.beginAttempt(try await ledger.outstanding()[0].id))
        try await ledger.finish(last, .connected(accountId: nil))
        await ledger.settle()
        for path in [scratch.ledger, scratch.ledger + "-wal", scratch.ledger + "-shm"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
            #expect(bytes.range(of: Data("PLANTED".utf8)) == nil, "\(path)")
        }
    }

    /// Imports one mailbox from `in.csv` and ends its first attempt with `result`.
    func importAndFinish(_ scratch: Scratch, _ result: AttemptResult) async throws -> (file: String, ledger: Ledger) {
        let file = try scratch.write("in.csv", csv([apiRow("a@acme-mail.com")]))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
        let ledger = try Ledger(path: scratch.ledger)
        let attempt = try #require(try await ledger.beginAttempt(try await ledger.outstanding()[0].id))
        try await ledger.finish(attempt, result)
        return (file, ledger)
    }

    @Test func aConnectedMailboxIsLeftAloneOnReimport() async throws {
        let scratch = try Scratch()
        let (file, ledger) = try await importAndFinish(scratch, .connected(accountId: "umx_9"))
        try scratch.write("in.csv", csv([apiRow("a@acme-mail.com", ["smtp_port": "465"])]))
        let again = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
        #expect(again.counts.alreadyConnected == 1 && again.counts.updated == 0)
        #expect(try await ledger.summary().count(.connected) == 1)
    }

    @Test func aFailedMailboxIsQueuedAgainWhenItsRowIsImportedAgain() async throws {
        let scratch = try Scratch()
        let (file, ledger) = try await importAndFinish(scratch, .failed(reason: "HTTP 400: Invalid host", message: "HTTP 400: Invalid host"))
        let again = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
        #expect(again.counts.rearmed == 1)
        #expect(try await ledger.summary().count(.pending) == 1)
    }
}
