/// What lemlist's account test said of one connected mailbox.
public enum Verification: Sendable, Equatable {
    /// Both tests ran; nil texts mean that protocol passed.
    case tested(smtpError: String?, imapError: String?)
    /// lemlist no longer has the account (404 "Email account not found").
    case notFound

    public var passed: Bool { self == .tested(smtpError: nil, imapError: nil) }

    /// The word the ledger stores.
    var stored: String {
        switch self {
        case .tested: passed ? "passed" : "failed"
        case .notFound: "not_found"
        }
    }
}

/// A connected job waiting for its account test.
public struct UnverifiedJob: Sendable, Equatable {
    public var id: Int
    public var senderEmail: String
    public var accountId: String
}

extension LedgerStore {
    /// Connected jobs with an account id and no recorded test (with `again`, every one of them), in ledger order.
    func unverifiedJobs(again: Bool, scope: TeamScope = .all) throws -> [UnverifiedJob] {
        let statement = try db.statement("""
            SELECT id, sender_email, account_id FROM jobs
            WHERE state IN \(JobState.sqlList([.connected, .alreadyConnected])) AND account_id IS NOT NULL AND \(scope.sql)
            AND (? OR verification IS NULL) ORDER BY id
            """).bind(again ? 1 : 0)
        var jobs: [UnverifiedJob] = []
        while try statement.step() {
            jobs.append(UnverifiedJob(id: statement.int(0), senderEmail: statement.text(1) ?? "", accountId: statement.text(2) ?? ""))
        }
        return jobs
    }

    /// Records a test's verdict, durably, before the next test is counted as done.
    func recordVerification(_ id: Int, _ verification: Verification) throws {
        let (smtp, imap): (String?, String?) = switch verification {
        case let .tested(smtpError, imapError): (smtpError, imapError)
        case .notFound: ("Email account not found", "Email account not found")
        }
        try db.statement("""
            UPDATE jobs SET verification = ?, smtp_error = ?, imap_error = ?, verified_at = ?, updated_at = ? WHERE id = ?
            """).bind(verification.stored, smtp, imap, Self.now(), Self.now(), id).run()
    }

    /// How many recorded tests passed and how many did not (failed or not found).
    func verificationCounts() throws -> (passed: Int, failed: Int) {
        (try scalar("SELECT count(*) FROM jobs WHERE verification = 'passed'"),
         try scalar("SELECT count(*) FROM jobs WHERE verification IN ('failed', 'not_found')"))
    }
}
