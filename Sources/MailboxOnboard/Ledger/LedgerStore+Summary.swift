import OnboardInput

/// The summary queries: counts by state, failures by reason, and rows streamed in ledger order.
extension LedgerStore {
    func summary(failedRowLimit: Int) throws -> Summary {
        var byState = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
        let states = try db.statement("SELECT state, count(*), min(id) FROM jobs GROUP BY state")
        while try states.step() {
            byState[try JobState.stored(states.text(0), job: states.int(2), path: path)] = states.int(1)
        }
        var failures: [Summary.Failure] = []
        let reasons = try db.statement("""
            SELECT reason, count(*) AS n FROM jobs WHERE state IN \(JobState.sqlList(JobState.needsFixing))
            GROUP BY reason ORDER BY n DESC, reason LIMIT 50
            """)
        while try reasons.step() {
            failures.append(Summary.Failure(reason: reasons.text(0) ?? "unknown", count: reasons.int(1)))
        }
        var rows: [Summary.Row] = []
        try forEachRow(onlyFailed: true, limit: failedRowLimit) { rows.append($0) }
        let tests = try verificationCounts()
        return Summary(total: byState.values.reduce(0, +), byState: byState, failures: failures, failedRows: rows,
                       verification: Summary.VerificationCounts(passed: tests.passed, failed: tests.failed), checks: try checkCounts(),
                       byTeam: try statesByTeam(), settings: try settingsCounts(), lemlistStatus: try lemlistStatuses(),
                       keptOutOfWarmup: try scalar("SELECT count(*) FROM jobs WHERE lemlist_status IS NOT NULL AND warmup_error IS NOT NULL"),
                       dns: try dnsCounts(), failingDomains: try failingDomains(limit: 50))
    }

    /// Known mailboxes by the lemlist status `status` last saw (those removed since left out).
    func lemlistStatuses() throws -> [String: Int] {
        let statement = try db.statement("""
            SELECT lemlist_status, count(*) FROM jobs WHERE lemlist_status IS NOT NULL AND state != \(JobState.disconnected.sql)
            GROUP BY lemlist_status
            """)
        var counts: [String: Int] = [:]
        while try statement.step() { counts[statement.text(0) ?? ""] = statement.int(1) }
        return counts
    }

    /// Jobs by team (names compared without case) and state; empty when no job names a team.
    func statesByTeam() throws -> [Summary.TeamStates] {
        guard try scalar("SELECT count(*) FROM jobs WHERE team IS NOT NULL") > 0 else { return [] }
        let statement = try db.statement("""
            SELECT lower(team), (SELECT team FROM jobs AS first WHERE lower(first.team) = lower(jobs.team) ORDER BY id LIMIT 1),
            state, count(*), min(id) FROM jobs GROUP BY lower(team), state ORDER BY lower(team)
            """)
        var teams: [Summary.TeamStates] = []
        while try statement.step() {
            let name = statement.text(1) ?? ""
            if teams.last?.team != name || teams.isEmpty {
                teams.append(Summary.TeamStates(team: name, byState: Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })))
            }
            teams[teams.count - 1].byState[try JobState.stored(statement.text(2), job: statement.int(4), path: path)] = statement.int(3)
        }
        return teams
    }

    /// Streams jobs in ledger order, so a report of a million rows never holds them all.
    func forEachRow(onlyFailed: Bool, limit: Int = -1, _ body: (Summary.Row) throws -> Void) throws {
        let filter = onlyFailed
            ? """
              WHERE state IN \(JobState.sqlList(JobState.needsFixing)) OR verification IN ('failed', 'not_found')
              OR \(JobLifecycle.heldSQL) OR settings_state = \(SettingsState.failed.sql)
              """ : ""
        let statement = try db.statement("""
            SELECT source, line, sender_email, state, attempts, account_id, last_error, reason, id,
            verification, smtp_error, imap_error, check_passed, check_smtp, check_imap, check_hint, team,
            daily_limit, warmup, warmup_max, warmup_rampup, settings_state, settings_error, \(Self.domainColumns)
            FROM jobs LEFT JOIN domains ON domains.domain = \(Self.jobDomainSQL) \(filter) ORDER BY id LIMIT ?
            """).bind(limit)
        defer { statement.reset() }
        while try statement.step() {
            try body(Summary.Row(
                source: statement.text(0) ?? "", line: statement.int(1), senderEmail: statement.text(2) ?? "",
                state: try JobState.stored(statement.text(3), job: statement.int(8), path: path), attempts: statement.int(4),
                accountId: statement.text(5), error: statement.text(6), reason: statement.text(7),
                verification: Self.verification(statement.text(9), smtp: statement.text(10), imap: statement.text(11)),
                check: statement.optionalInt(12).map {
                    CheckVerdict(passed: $0 == 1, smtp: statement.text(13), imap: statement.text(14), hint: statement.text(15),
                                 dns: statement.text(23) == nil ? nil : Self.domainVerdict(statement, from: 23))
                }, team: statement.text(16),
                settings: statement.text(21).flatMap(SettingsState.init(rawValue:)).map {
                    SettingsRecord(settings: Self.settings(statement, from: 17), state: $0, error: statement.text(22))
                }))
        }
    }

    /// A recorded verdict as the ledger stores it: its word and each protocol's error text.
    static func verification(_ stored: String?, smtp: String?, imap: String?) -> Verification? {
        switch stored {
        case "passed", "failed": .tested(smtpError: smtp, imapError: imap)
        case "not_found": .notFound
        default: nil
        }
    }
}
