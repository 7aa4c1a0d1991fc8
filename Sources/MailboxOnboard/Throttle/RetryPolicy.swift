import OnboardInput

/// How long to wait before sending a job again after a transient failure.
///
/// Exponential backoff with full jitter: after the n-th failed attempt (n = 1, 2, ...) the delay is drawn uniformly
/// from `0 ... min(cap, base × 2^(n-1))`. With the defaults (base 1 s, cap 60 s) the ceilings are
/// 1 s, 2 s, 4 s, 8 s, 16 s, 32 s, then 60 s for every later attempt. Full jitter spreads the retries of many jobs
/// that failed together, so they do not come back as one burst.
public struct RetryPolicy: Sendable, Equatable {
    public var base: Duration
    public var cap: Duration
    /// Answered attempts after which a job that keeps failing transiently is marked `failed`.
    public var maxAttempts: Int
    /// 429 answers after which a job is marked `failed`; these do not spend attempts, so this stops an endless loop.
    public var maxThrottled: Int

    public init(base: Duration = .seconds(1), cap: Duration = .seconds(60), maxAttempts: Int = 5, maxThrottled: Int = 50) {
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
        self.maxThrottled = maxThrottled
    }

    /// The ceiling of the delay after failed attempt `attempt` (1-based).
    public func ceiling(afterAttempt attempt: Int) -> Duration {
        let doublings = min(max(attempt - 1, 0), 62)
        return .seconds(min(cap.inSeconds, base.inSeconds * Double(UInt64(1) << UInt64(doublings))))
    }

    /// The delay after failed attempt `attempt`, given `unit`, a random number in `0..<1`.
    public func delay(afterAttempt attempt: Int, unit: Double) -> Duration {
        ceiling(afterAttempt: attempt) * min(max(unit, 0), 1)
    }
}
