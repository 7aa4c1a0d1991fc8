import OnboardInput

/// What the local login check found for one job, as the ledger keeps it.
public struct CheckVerdict: Sendable, Equatable {
    public var passed: Bool
    /// The failing protocol's reply or error (nil when that protocol passed or was not reached).
    public var smtp: String?
    public var imap: String?
    /// What the person should do about it.
    public var hint: String?
    /// The DNS verdict of the mailbox's domain, when one is recorded.
    public var dns: DomainVerdict?

    public init(passed: Bool, smtp: String? = nil, imap: String? = nil, hint: String? = nil, dns: DomainVerdict? = nil) {
        self.passed = passed
        self.smtp = smtp
        self.imap = imap
        self.hint = hint
        self.dns = dns
    }

    /// The login verdict with its domain's: a failing domain holds the job, and its hint follows the login's.
    public func with(domain: DomainVerdict?) -> CheckVerdict {
        var combined = self
        combined.dns = domain
        guard let domain, domain.passed == false, let hint = domain.hint else { return combined }
        combined.passed = false
        combined.hint = [self.hint, Self.dnsHint(hint)].compactMap { $0 }.joined(separator: "; ")
        return combined
    }

    /// How a domain's hint reads in its jobs' verdicts; `LedgerStore.recordDomain` knows a job held by its domain
    /// alone by it.
    static func dnsHint(_ hint: String) -> String { "DNS: \(hint)" }
}

/// An outstanding job as the check reads it. The credential holds the passwords: never log it.
public struct CheckableJob: Sendable {
    public var id: Int
    public var senderEmail: String
    public var state: JobState
    public var credential: MailboxCredential
    /// The credential as stored, so a verdict is recorded only for the credential it tested.
    var stored: Secret
}

extension LedgerStore {
    /// Pending and retrying jobs that have not passed a check (with `again`: all of them), in ledger order.
    func checkableJobs(again: Bool) throws -> [CheckableJob] {
        let statement = try db.statement("""
            SELECT id, sender_email, body, state FROM jobs WHERE state IN \(JobState.sqlList([.pending, .retrying])) AND body IS NOT NULL
            AND (? OR check_passed IS NULL OR check_passed = 0) ORDER BY id
            """).bind(again ? 1 : 0)
        var jobs: [CheckableJob] = []
        while try statement.step() {
            jobs.append(try checkableJob(statement.int(0), senderEmail: statement.text(1), stored: statement.text(2), state: statement.text(3)))
        }
        return jobs
    }

    private func checkableJob(_ id: Int, senderEmail: String?, stored: String?, state: String?) throws -> CheckableJob {
        let stored = stored ?? ""
        guard let credential = MailboxCredential(json: stored) else { throw LedgerError.unreadableCredential(path: path, job: id) }
        return CheckableJob(id: id, senderEmail: senderEmail ?? "", state: try JobState.stored(state, job: id, path: path),
                            credential: credential, stored: Secret(stored))
    }

    /// One outstanding job, for a check just before it is sent. Nil if it is no longer outstanding.
    func checkableJob(_ id: Int) throws -> CheckableJob? {
        let statement = try db.statement("""
            SELECT sender_email, body, state FROM jobs WHERE id = ? AND state IN \(JobState.sqlList(JobState.outstanding)) AND body IS NOT NULL
            """).bind(id)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return try checkableJob(id, senderEmail: statement.text(0), stored: statement.text(1), state: statement.text(2))
    }

    /// Records a check, durably, for the credentials it tested. Only an outstanding job takes it: one sent meanwhile
    /// keeps its state, and one whose row was imported anew during the check keeps no verdict, since the verdict
    /// was about the old credentials.
    func recordCheck(_ job: CheckableJob, _ verdict: CheckVerdict) throws {
        try db.statement("""
            UPDATE jobs SET check_passed = ?, check_smtp = ?, check_imap = ?, check_hint = ?, checked_at = ?, updated_at = ?
            WHERE id = ? AND body IS ? AND state IN \(JobState.sqlList(JobState.outstanding))
            """).bind(verdict.passed ? 1 : 0, verdict.smtp, verdict.imap, verdict.hint, Self.now(), Self.now(), job.id, job.stored.revealed).run()
    }

    /// Outstanding jobs whose last check passed, failed, and (of those failed) still waiting to be sent: held.
    func checkCounts() throws -> Summary.CheckCounts {
        Summary.CheckCounts(
            passed: try scalar("SELECT count(*) FROM jobs WHERE check_passed = 1"),
            failed: try scalar("SELECT count(*) FROM jobs WHERE check_passed = 0"),
            held: try scalar("SELECT count(*) FROM jobs WHERE \(JobLifecycle.heldSQL)"))
    }
}
