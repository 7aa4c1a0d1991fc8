/// Each sending domain's DNS verdict, and what it does to the jobs on that domain: a failing domain holds them.
extension LedgerStore {
    /// A job's sending domain, as `DomainVerdict.domain(of:)` computes it.
    static let jobDomainSQL = "lower(substr(sender_email, instr(sender_email, '@') + 1))"

    /// Records a domain's verdict, durably, and holds every outstanding job on a failing domain that was not held
    /// already (a job held by its login keeps that verdict; its next check adds the domain's). A domain that passes
    /// now releases the jobs that only it held: their verdict is cleared, so their logins are checked again before
    /// they are sent (`run --check`) or by the next `check`.
    func recordDomain(_ verdict: DomainVerdict) throws {
        let now = Self.now()
        try db.transaction {
            try db.statement("""
                INSERT OR REPLACE INTO domains (domain, passed, mx_status, mx, spf_status, spf, dmarc_status, dmarc, dkim_status, dkim, hint, checked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).bindAll([verdict.domain, verdict.passed.map { $0 ? 1 : 0 }, verdict.mx.status.rawValue, verdict.mx.detail,
                              verdict.spf.status.rawValue, verdict.spf.detail, verdict.dmarc.status.rawValue, verdict.dmarc.detail,
                              verdict.dkim.status.rawValue, verdict.dkim.detail, verdict.hint, now]).run()
            if verdict.passed == true {
                // Held by the domain alone: no login reply recorded, and the hint is the domain's.
                try db.statement("""
                    UPDATE jobs SET check_passed = NULL, check_hint = NULL, checked_at = NULL, updated_at = ?
                    WHERE state IN \(JobState.sqlList(JobState.outstanding)) AND check_passed = 0 AND check_smtp IS NULL
                    AND check_imap IS NULL AND substr(check_hint, 1, length(?2)) = ?2 AND \(Self.jobDomainSQL) = ?3
                    """).bind(now, CheckVerdict.dnsHint(""), verdict.domain).run()
            }
            guard verdict.passed == false else { return }
            try holdOnFailingDomains(only: verdict.domain, unlessChecked: false, at: now)
        }
    }

    /// Holds the outstanding jobs on failing domains (only `domain`'s, when given) that are not held already; with
    /// `unlessChecked`, only those without a verdict (new rows, new credentials: what an import leaves), so one a
    /// `--no-dns` check passed stays passed. The import calls it as it commits. One pass over the jobs for every
    /// failing domain at once, each job taking its domain's hint.
    func holdOnFailingDomains(only domain: String? = nil, unlessChecked: Bool = true, at now: Int) throws {
        // Without a failing domain there is nothing to hold, and the table is not read (an import's usual case).
        guard try scalar("SELECT count(*) FROM domains WHERE passed = 0") > 0 else { return }
        try db.statement("""
            UPDATE jobs SET check_passed = 0, check_smtp = NULL, check_imap = NULL,
            check_hint = ? || (SELECT hint FROM domains WHERE domains.domain = \(Self.jobDomainSQL)), checked_at = ?, updated_at = ?
            WHERE state IN \(JobState.sqlList(JobState.outstanding)) AND \(unlessChecked ? "check_passed IS NULL" : "check_passed IS NOT 0")
            AND \(Self.jobDomainSQL) IN (SELECT domain FROM domains WHERE passed = 0 AND hint IS NOT NULL AND (? IS NULL OR domain = ?))
            """).bindAll([CheckVerdict.dnsHint(""), now, now, domain, domain]).run()
    }

    /// The recorded verdict of a domain, if one was.
    func domainVerdict(_ domain: String) throws -> DomainVerdict? {
        let statement = try db.statement("SELECT \(Self.domainColumns) FROM domains WHERE domain = ?").bind(domain.lowercased())
        defer { statement.reset() }
        return try statement.step() ? Self.domainVerdict(statement, from: 0) : nil
    }

    /// Domains whose last check could not finish: the next check looks at them again.
    func uncheckedDomains() throws -> [String] {
        let statement = try db.statement("SELECT domain FROM domains WHERE passed IS NULL ORDER BY domain")
        var domains: [String] = []
        while try statement.step() { domains.append(statement.text(0) ?? "") }
        return domains
    }

    /// The distinct sending domains of outstanding jobs, held ones included (a fixed domain releases its jobs).
    func outstandingDomains() throws -> [String] {
        let statement = try db.statement("""
            SELECT DISTINCT \(Self.jobDomainSQL) FROM jobs WHERE state IN \(JobState.sqlList(JobState.outstanding)) ORDER BY 1
            """)
        var domains: [String] = []
        while try statement.step() { domains.append(statement.text(0) ?? "") }
        return domains
    }

    /// Domains checked, and of those failing.
    func dnsCounts() throws -> Summary.DNSCounts {
        Summary.DNSCounts(domains: try scalar("SELECT count(*) FROM domains"), failed: try scalar("SELECT count(*) FROM domains WHERE passed = 0"))
    }

    /// Failing domains, in name order, with how many outstanding jobs each holds: the held jobs are counted by domain
    /// in one pass over the `jobs_checked` index, not one scan of the table per domain.
    func failingDomains(limit: Int) throws -> [Summary.FailingDomain] {
        let statement = try db.statement("""
            SELECT \(Self.domainColumns) FROM domains WHERE passed = 0 ORDER BY domain LIMIT ?
            """).bind(limit)
        var verdicts: [DomainVerdict] = []
        while try statement.step() { verdicts.append(Self.domainVerdict(statement, from: 0)) }
        statement.reset()
        guard !verdicts.isEmpty else { return [] }
        let counts = try db.statement("SELECT \(Self.jobDomainSQL), count(*) FROM jobs WHERE \(JobLifecycle.heldSQL) GROUP BY 1")
        var held: [String: Int] = [:]
        while try counts.step() { held[counts.text(0) ?? ""] = counts.int(1) }
        counts.reset()
        return verdicts.map { Summary.FailingDomain(verdict: $0, held: held[$0.domain] ?? 0) }
    }

    /// The verdict's columns, in the order `domainVerdict(_:from:)` reads them.
    static let domainColumns = "domain, mx_status, mx, spf_status, spf, dmarc_status, dmarc, dkim_status, dkim"

    static func domainVerdict(_ statement: SQLiteStatement, from first: Int32) -> DomainVerdict {
        func part(_ column: Int32) -> DomainVerdict.Part {
            DomainVerdict.Part(DomainVerdict.Status(rawValue: statement.text(first + column) ?? "") ?? .unchecked, statement.text(first + column + 1) ?? "")
        }
        return DomainVerdict(domain: statement.text(first) ?? "", mx: part(1), spf: part(3), dmarc: part(5), dkim: part(7))
    }
}
