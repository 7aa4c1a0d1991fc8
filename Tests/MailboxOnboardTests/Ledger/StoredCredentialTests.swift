import Foundation
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// The ledger hands back a typed credential, and a ledger written before the `user_id` column is brought forward.
struct StoredCredentialTests {
    @Test func aLedgerOfTheSchemaBeforeUserIdIsMigratedAndReadsTheSame() async throws {
        let scratch = try Scratch()
        let old = [sampleCredential("ann@acme-mail.com", userId: "usr_ann"), sampleCredential("bob@acme-mail.com")]
        do {
            // The file exactly as the previous schema left it: its migrations, its version, a pending job per mailbox.
            let db = try SQLiteConnection(path: scratch.ledger)
            for migration in Schema.migrations.prefix(5) { try db.execute(migration) }
            try db.execute("PRAGMA application_id = \(Schema.applicationID); PRAGMA user_version = 5")
            for (index, credential) in old.enumerated() {
                try db.statement("""
                    INSERT INTO jobs (mailbox, source, line, sender_email, body, state, created_at, updated_at)
                    VALUES (?, 'in.csv', ?, ?, ?, 'pending', 0, 0)
                    """).bind(credential.mailboxKey, index + 2, credential.senderEmail, credential.json).run()
            }
            try db.execute("INSERT INTO jobs (mailbox, source, line, sender_email, state, created_at, updated_at) VALUES (NULL, 'in.csv', 4, 'x', 'invalid', 0, 0)")
        }
        let ledger = try Ledger(path: scratch.ledger)
        #expect(try LedgerStore(path: scratch.ledger).scalar("PRAGMA user_version") == Schema.currentVersion)
        let unsent = try await ledger.unsentJobs()
        #expect(unsent.map(\.userId) == ["usr_ann", nil])
        let checkable = try await ledger.checkableJobs(again: false)
        #expect(checkable.map(\.credential) == old)
        let attempt = try #require(try await ledger.beginAttempt(unsent[0].id))
        #expect(attempt.credential == old[0])
        #expect(LemlistRequest.connect(attempt.credential).body?.revealed == old[0].json)
    }

    @Test func anImportStoresTheUserIdBesideTheCredential() async throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv([apiRow("ann@acme-mail.com", ["userId": "usr_9"]), apiRow("bob@acme-mail.com")]))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
        #expect(try await Ledger(path: scratch.ledger).unsentJobs().map(\.userId) == ["usr_9", nil])
        // A new row for a known mailbox replaces both.
        _ = try scratch.write("in.csv", csv([apiRow("ann@acme-mail.com"), apiRow("bob@acme-mail.com", ["userId": "usr_7"])]))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
        #expect(try await Ledger(path: scratch.ledger).unsentJobs().map(\.userId) == [nil, "usr_7"])
    }

    @Test func aDamagedCredentialIsAnErrorNamingTheJob() async throws {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv([apiRow("ann@acme-mail.com")]))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
        try LedgerStore(path: scratch.ledger).db.execute("UPDATE jobs SET body = '{\"sender_email\":1}'")
        let ledger = try Ledger(path: scratch.ledger)
        let id = try #require(try await ledger.outstanding().first?.id)
        await #expect(throws: LedgerError.unreadableCredential(path: scratch.ledger, job: id)) { try await ledger.beginAttempt(id) }
        await #expect(throws: LedgerError.unreadableCredential(path: scratch.ledger, job: id)) { try await ledger.checkableJobs(again: false) }
    }
}
