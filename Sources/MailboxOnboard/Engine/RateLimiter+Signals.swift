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

    /// Counts the starts a dead or earlier run noted in the ledger's `.rate` log within the last window, so this run
    /// continues that window instead of opening with a burst on top of it. `now` is the date in seconds.
    func continueWindow(from log: RequestStartLog?, clock: C, now: Double) {
        guard let log else { return }
        let started = clock.now
        seed(log.recent(window: window.inSeconds, now: now).map { started.advanced(by: .milliseconds(Int64(($0 - now) * 1000))) })
    }
}
