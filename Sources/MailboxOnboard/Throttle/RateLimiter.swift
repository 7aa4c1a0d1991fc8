import OnboardInput

/// Keeps request starts within `limit` in any rolling `window`, for every worker sharing it, and pauses them all
/// when the server says so (a 429's Retry-After, `X-RateLimit-Remaining: 0`).
///
/// It keeps the start times of the last `limit` requests: a new start is allowed once the oldest of them is a full
/// window old. Time comes from `clock`, so tests drive it without sleeping.
public actor RateLimiter<C: Clock> where C.Duration == Duration {
    public nonisolated let clock: C
    public private(set) var limit: Int
    public nonisolated let window: Duration
    private var starts: [C.Instant] = []
    private var pausedUntil: C.Instant?
    /// Why the last caller had to wait, for the progress line.
    public private(set) var waitingFor: WaitReason?

    public init(limit: Int, window: Duration, clock: C) {
        precondition(limit > 0 && window > .zero)
        self.limit = limit
        self.window = window
        self.clock = clock
    }

    /// Waits until a request may start, counts it as started, and returns the instant it was counted at. Throws
    /// `CancellationError` if the task is cancelled while waiting; nothing is counted then.
    @discardableResult
    public func acquire() async throws -> C.Instant {
        while true {
            try Task.checkCancellation()
            let now = clock.now
            let ready = earliestStart(now: now)
            if ready <= now {
                starts.append(now)
                if starts.count > limit { starts.removeFirst(starts.count - limit) }
                waitingFor = nil
                return now
            }
            waitingFor = pausedUntil.map { $0 >= ready } == true ? .serverPause : .window
            try await clock.sleep(until: ready, tolerance: nil)
        }
    }

    /// The first instant at which one more start keeps every window within the limit and respects any pause.
    public func earliestStart(now: C.Instant) -> C.Instant {
        var ready = now
        if starts.count >= limit { ready = max(ready, starts[starts.count - limit].advanced(by: window)) }
        if let pausedUntil, pausedUntil > ready { ready = pausedUntil }
        return ready
    }

    /// Counts starts made before this limiter existed (by an earlier run of the same ledger), so the window they
    /// opened is honoured.
    public func seed(_ earlier: [C.Instant]) {
        starts = Array((starts + earlier).sorted().suffix(limit))
    }

    /// Holds every start until `instant`; a later pause extends an earlier one, never shortens it.
    public func pause(until instant: C.Instant) {
        if pausedUntil.map({ instant > $0 }) ?? true { pausedUntil = instant }
    }

    /// Lowers the limit when the server announces a smaller one; never raises it above what was configured.
    public func lower(to newLimit: Int) {
        guard newLimit > 0, newLimit < limit else { return }
        limit = newLimit
    }
}

/// Why workers are held at the limiter.
public enum WaitReason: Sendable, Equatable {
    /// The rolling window is full.
    case window
    /// The server asked for a pause (a 429's Retry-After, or `X-RateLimit-Remaining: 0`).
    case serverPause
}
