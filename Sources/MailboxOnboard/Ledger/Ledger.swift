import OnboardInput

/// The job ledger as the submission engine sees it: one actor owning the SQLite connection, so every worker's
/// change is a serial, durable transaction.
public actor Ledger {
    public static let defaultPath = "onboarding.db"

    public nonisolated let path: String
    private let store: LedgerStore

    /// Opens the ledger at `path`, creating it unless `create` is false (then a missing one is refused).
    public init(path: String, create: Bool = true) throws(LedgerError) {
        self.path = path
        store = try LedgerStore(path: path, create: create)
    }

    /// Every job a run has to send: pending, due or not-yet-due retrying, and in flight when a run died. Jobs
    /// whose last login check failed are held back unless `includeHeld`.
    public func outstanding(includeHeld: Bool = false, scope: TeamScope = .all) throws(LedgerError) -> [QueuedJob] {
        try LedgerError.wrapping(path) { try store.outstanding(includeHeld: includeHeld, scope: scope) }
    }

    /// Outstanding jobs by team, for matching teams to keys before anything is sent.
    public func outstandingByTeam() throws(LedgerError) -> [TeamCount] {
        try LedgerError.wrapping(path) { try store.jobsByTeam(in: JobState.outstanding) }
    }

    /// Connected jobs by team, for matching teams to keys before account tests.
    public func connectedByTeam() throws(LedgerError) -> [TeamCount] {
        try LedgerError.wrapping(path) { try store.jobsByTeam(in: JobState.onboarded) }
    }

    /// Jobs with settings still to apply, by team, for matching teams to keys before `configure`.
    public func settingsDueByTeam() throws(LedgerError) -> [TeamCount] {
        try LedgerError.wrapping(path) { try store.settingsDueByTeam() }
    }

    /// What a run works on, by team: outstanding jobs, and connected ones with settings to apply.
    public func workByTeam() throws(LedgerError) -> [TeamCount] {
        try LedgerError.wrapping(path) {
            var counts: [String?: TeamCount] = [:]
            for count in try store.jobsByTeam(in: JobState.outstanding) + store.settingsDueByTeam() {
                let key = count.team?.lowercased()
                counts[key, default: TeamCount(team: count.team, outstanding: 0)].outstanding += count.outstanding
            }
            return counts.values.sorted { ($0.team?.lowercased() ?? "") < ($1.team?.lowercased() ?? "") }
        }
    }

    /// Those of `keys` (mailbox keys) the ledger has a job for: each looked up by its index, never the whole table.
    public func knownMailboxes(_ keys: some Sequence<String>) throws(LedgerError) -> [String: KnownMailbox] {
        try LedgerError.wrapping(path) { try store.knownMailboxes(keys) }
    }

    /// Mailboxes of the teams `scope` covers whose DELETE left and has no answer on file.
    public func unansweredDisconnects(scope: TeamScope) throws(LedgerError) -> [String] {
        try LedgerError.wrapping(path) { try store.unansweredDisconnects(scope: scope) }
    }

    public func recordStatuses(_ statuses: [(mailbox: String, status: String, warmupError: String?)]) throws(LedgerError) {
        try LedgerError.wrapping(path) { try store.recordStatuses(statuses) }
    }

    public func failedVerificationMailboxes() throws(LedgerError) -> [String] {
        try LedgerError.wrapping(path) { try store.failedVerificationMailboxes() }
    }

    public func beginDisconnect(email: String, team: String?, accountId: String) throws(LedgerError) {
        try LedgerError.wrapping(path) { try store.beginDisconnect(email: email, team: team, accountId: accountId) }
    }

    public func finishDisconnect(email: String, _ result: DisconnectResult) throws(LedgerError) {
        try LedgerError.wrapping(path) { try store.finishDisconnect(email: email, result) }
    }

    /// Connected jobs with settings still to apply (see `SettingsPart`).
    public func settingsDue(scope: TeamScope = .all) throws(LedgerError) -> [SettingsJob] {
        try LedgerError.wrapping(path) { try store.settingsDue(scope: scope) }
    }

    public func recordMailboxIds(_ ids: [(job: Int, mailboxId: String)]) throws(LedgerError) {
        try LedgerError.wrapping(path) { try store.recordMailboxIds(ids) }
    }

    /// Records answers for settings parts; returns the jobs whose settings are now all sent, with their state.
    @discardableResult
    public func recordSettings(_ outcomes: [SettingsOutcome]) throws(LedgerError) -> [Int: SettingsState] {
        try LedgerError.wrapping(path) { try store.recordSettings(outcomes) }
    }

    public func beginAttempt(_ id: Int) throws(LedgerError) -> Attempt? {
        try LedgerError.wrapping(path) { try store.beginAttempt(id) }
    }

    public func finish(_ attempt: Attempt, _ result: AttemptResult) throws(LedgerError) {
        try LedgerError.wrapping(path) { try store.finish(attempt, result) }
    }

    /// Outstanding jobs with their mailbox and userId, for pre-flight.
    public func unsentJobs(scope: TeamScope = .all) throws(LedgerError) -> [UnsentJob] {
        try LedgerError.wrapping(path) { try store.unsentJobs(scope: scope) }
    }

    /// Settles outstanding jobs that pre-flight decided without a request.
    public func settleUnsent(_ settlements: [(id: Int, result: AttemptResult)]) throws(LedgerError) {
        try LedgerError.wrapping(path) { try store.settleUnsent(settlements) }
    }

    /// Connected jobs with an account id still to be tested (all of them with `again`).
    public func unverifiedJobs(again: Bool, scope: TeamScope = .all) throws(LedgerError) -> [UnverifiedJob] {
        try LedgerError.wrapping(path) { try store.unverifiedJobs(again: again, scope: scope) }
    }

    public func recordVerification(_ id: Int, _ verification: Verification) throws(LedgerError) {
        try LedgerError.wrapping(path) { try store.recordVerification(id, verification) }
    }

    /// Outstanding jobs for a login check: not yet passed one (all with `again`).
    public func checkableJobs(again: Bool) throws(LedgerError) -> [CheckableJob] {
        try LedgerError.wrapping(path) { try store.checkableJobs(again: again) }
    }

    public func checkableJob(_ id: Int) throws(LedgerError) -> CheckableJob? {
        try LedgerError.wrapping(path) { try store.checkableJob(id) }
    }

    /// Records a verdict for the credentials `job` holds; a job whose row changed meanwhile keeps none.
    public func recordCheck(_ job: CheckableJob, _ verdict: CheckVerdict) throws(LedgerError) {
        try LedgerError.wrapping(path) { try store.recordCheck(job, verdict) }
    }

    /// Records a domain's DNS verdict; a failing one holds the outstanding jobs on it.
    public func recordDomain(_ verdict: DomainVerdict) throws(LedgerError) {
        try LedgerError.wrapping(path) { try store.recordDomain(verdict) }
    }

    public func domainVerdict(_ domain: String) throws(LedgerError) -> DomainVerdict? {
        try LedgerError.wrapping(path) { try store.domainVerdict(domain) }
    }

    /// Domains to look at again: their last check could not finish.
    public func uncheckedDomains() throws(LedgerError) -> [String] {
        try LedgerError.wrapping(path) { try store.uncheckedDomains() }
    }

    /// The sending domains of outstanding jobs, held ones included.
    public func outstandingDomains() throws(LedgerError) -> [String] {
        try LedgerError.wrapping(path) { try store.outstandingDomains() }
    }

    public func summary(rowLimit: Int = 10) throws(LedgerError) -> Summary {
        try LedgerError.wrapping(path) { try store.summary(failedRowLimit: rowLimit) }
    }

    /// Leaves no erased password in the ledger's files (see `LedgerStore.settle`); called when a run ends.
    public func settle() {
        store.settle()
    }
}
