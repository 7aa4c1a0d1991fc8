import OnboardInput

/// The ledger in numbers: jobs by state, failures by reason, and the first failed rows.
public struct Summary: Sendable, Equatable {
    public var total: Int
    /// Every state, zero included.
    public var byState: [JobState: Int]
    /// Invalid and failed jobs grouped by reason, most common first.
    public var failures: [Failure]
    /// The first invalid or failed rows, held ones, and connected ones whose account test did not pass, in ledger
    /// order.
    public var failedRows: [Row]
    /// Recorded account tests: how many passed, and how many did not (failed, or the account is gone).
    public var verification = VerificationCounts()
    /// Local login checks: passed, failed, and failed jobs still outstanding (held back from runs).
    public var checks = CheckCounts()
    /// Jobs by team and state, when some job names a team; jobs without one under "". Teams in name order.
    public var byTeam: [TeamStates] = []
    /// Daily limits and warm-up: jobs whose settings were all applied, failed in some part, or are still to send.
    public var settings = SettingsCounts()
    /// What the last `status` saw of the mailboxes the ledger knows: how many in each lemlist status, and how many
    /// kept out of warm-up.
    public var lemlistStatus: [String: Int] = [:]
    public var keptOutOfWarmup = 0
    /// Sending domains whose DNS was checked, and those failing (with the jobs each holds), in name order.
    public var dns = DNSCounts()
    public var failingDomains: [FailingDomain] = []

    public struct DNSCounts: Sendable, Equatable {
        public var domains = 0
        public var failed = 0
        public init(domains: Int = 0, failed: Int = 0) {
            self.domains = domains
            self.failed = failed
        }
    }

    public struct FailingDomain: Sendable, Equatable {
        public var verdict: DomainVerdict
        /// Outstanding jobs on the domain held back from runs.
        public var held: Int
    }

    public struct TeamStates: Sendable, Equatable {
        /// As its first row in the ledger spells it; "" for jobs that name no team.
        public var team: String
        public var byState: [JobState: Int]
        public func count(_ state: JobState) -> Int { byState[state] ?? 0 }
    }

    public struct CheckCounts: Sendable, Equatable {
        public var passed = 0
        public var failed = 0
        public var held = 0
        public init(passed: Int = 0, failed: Int = 0, held: Int = 0) {
            self.passed = passed
            self.failed = failed
            self.held = held
        }
    }

    public struct SettingsCounts: Sendable, Equatable {
        public var applied = 0
        public var failed = 0
        public var pending = 0
        public init(applied: Int = 0, failed: Int = 0, pending: Int = 0) {
            self.applied = applied
            self.failed = failed
            self.pending = pending
        }
    }

    public struct VerificationCounts: Sendable, Equatable {
        public var passed = 0
        public var failed = 0
        public init(passed: Int = 0, failed: Int = 0) {
            self.passed = passed
            self.failed = failed
        }
    }

    public struct Failure: Sendable, Equatable {
        public var reason: String
        public var count: Int
    }

    /// One job as reports show it. Holds no secret.
    public struct Row: Sendable, Equatable {
        public var source: String
        public var line: Int
        public var senderEmail: String
        public var state: JobState
        public var attempts: Int
        public var accountId: String?
        public var error: String?
        public var reason: String?
        /// lemlist's account test, when one was recorded.
        public var verification: Verification? = nil
        /// The local login check, when one was recorded.
        public var check: CheckVerdict? = nil
        /// The lemlist team the row names, if any.
        public var team: String? = nil
        /// The limit and warm-up the row asks for and how applying them stands; nil when it asks for none.
        public var settings: SettingsRecord? = nil

        /// Outstanding, and held back because its login check failed.
        public var isHeld: Bool { JobLifecycle.isHeld(state, checkPassed: check?.passed) }
    }

    public func count(_ state: JobState) -> Int { byState[state] ?? 0 }

    /// Jobs that ended well: connected now or before.
    public var done: Int { count(.connected) + count(.alreadyConnected) }
    /// Rows a person has to look at: invalid, failed, or connected and not passing the account test.
    public var needingAttention: Int { count(.invalid) + count(.failed) + verification.failed + checks.held + settings.failed }
    /// Jobs a run still has to send.
    public var outstanding: Int { JobState.outstanding.reduce(0) { $0 + count($1) } }
}

/// A job's settings as reports show them.
public struct SettingsRecord: Sendable, Equatable {
    public var settings: MailboxSettings
    public var state: SettingsState
    /// lemlist's reasons for the parts that failed.
    public var error: String?
}
