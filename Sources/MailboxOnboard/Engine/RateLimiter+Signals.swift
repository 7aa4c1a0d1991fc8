import Logging

extension RateLimiter {
    /// Follows what an answer says about the limit: a 429 or `Remaining: 0` pauses every caller, and a lower announced
    /// limit lowers ours. `now` is the date in seconds, for the reset header's date. Returns the pause, if any.
    @discardableResult
    func follow(_ signals: RateLimitSignals, status: Int, window: Duration, clock: C, now: Double) -> Duration? {
        if let announced = signals.limit { lower(to: announced) }
        guard let wait = signals.pause(status: status, window: window, now: now) else { return nil }
        pause(until: clock.now.advanced(by: wait))
        return wait
    }
}
