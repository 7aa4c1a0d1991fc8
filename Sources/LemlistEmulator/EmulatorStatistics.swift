import OnboardInput

/// What the emulator has seen, for tests and benchmarks to check exactly-once and the rate limit.
public struct EmulatorStatistics: Sendable {
    /// Every request received, any path.
    public var received = 0
    /// Answers sent, by status (a dropped or hung request has none).
    public var byStatus: [Int: Int] = [:]
    /// Mailboxes created by this emulator, with the number of creations of each (never more than one).
    public var created: [String: Int] = [:]
    /// The API key (the team) each mailbox was created under.
    public var createdBy: [String: String] = [:]
    /// Valid requests for a mailbox that already existed, by mailbox.
    public var repeated: [String: Int] = [:]

    /// Valid requests for a mailbox that already existed.
    public var duplicateAttempts: Int { repeated.values.reduce(0, +) }
    /// Arrival times of authenticated requests per key, in seconds on a monotonic clock.
    public var arrivals: [String: [Double]] = [:]
    /// When each 429 was answered and the Retry-After it gave, in seconds.
    public var throttles: [(at: Double, retryAfter: Double)] = []
    /// Faults injected, by kind.
    public var faults: [String: Int] = [:]
    /// Authenticated requests by route (`POST /user/email-accounts`, `GET /team`, ...).
    public var byRoute: [String: Int] = [:]
    /// Account tests answered, by mailbox (lower-cased email).
    public var tests: [String: Int] = [:]
    /// Each mailbox's daily limit and warm-up as the settings routes left them, by lower-cased email.
    public var settings: [String: MailboxSettings] = [:]
    /// Settings sent, by mailbox (lower-cased email) and part: `limit`, `warmup settings`, `warmup start`, `warmup pause`.
    public var settingsSent: [String: [String: Int]] = [:]
    /// The number of accounts in each `PATCH /user/sending-settings`, in arrival order.
    public var limitBatches: [Int] = []
    /// Settings requests that named a mailbox by its `umx_` account id rather than its `usm_` id.
    public var settingsByAccountId = 0

    /// DELETEs that removed a mailbox, by mailbox (lower-cased email): never more than one each.
    public var deleted: [String: Int] = [:]

    /// Requests received and not yet answered, now and at the most, over every key: what a client had in flight.
    public var inFlight = 0
    public var maxInFlight = 0

    /// The most requests one key sent in any rolling `window`, counted at arrival.
    public func maxInWindow(key: String, window: Double) -> Int {
        let times = (arrivals[key] ?? []).sorted()
        var best = 0, start = 0
        for end in times.indices {
            while times[end] - times[start] >= window { start += 1 }
            best = max(best, end - start + 1)
        }
        return best
    }
}
