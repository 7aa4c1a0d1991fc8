import OnboardInput

/// What a response says about the rate limit, read from `Retry-After` and the `X-RateLimit-*` headers.
public struct RateLimitSignals: Sendable, Equatable {
    public var limit: Int?
    public var remaining: Int?
    /// When the window resets, in seconds since 1970.
    public var resetAt: Double?
    /// How long to wait, from `Retry-After` (delay-seconds, or an HTTP-date turned into a delay).
    public var retryAfter: Duration?

    public init(limit: Int? = nil, remaining: Int? = nil, resetAt: Double? = nil, retryAfter: Duration? = nil) {
        self.limit = limit
        self.remaining = remaining
        self.resetAt = resetAt
        self.retryAfter = retryAfter
    }

    /// Reads the headers; a missing or garbled one is nil, never a guess. `now` is seconds since 1970.
    public init(header: (String) -> String?, now: Double) {
        limit = header("X-RateLimit-Limit").flatMap { Int($0.trimmingSpaces) }.flatMap { $0 > 0 ? $0 : nil }
        remaining = header("X-RateLimit-Remaining").flatMap { Int($0.trimmingSpaces) }.flatMap { $0 >= 0 ? $0 : nil }
        resetAt = header("X-RateLimit-Reset").flatMap(HTTPDate.epochSeconds)
        retryAfter = header("Retry-After").flatMap { Self.retryAfter($0, now: now) }
    }

    /// `Retry-After` as a delay: delay-seconds (whole or decimal), or an HTTP-date minus `now`. Capped at an hour so
    /// a garbled date cannot stall a run for days.
    public static func retryAfter(_ value: String, now: Double) -> Duration? {
        let text = value.trimmingSpaces
        let seconds: Double
        if let delay = Double(text), delay.isFinite {
            guard delay >= 0 else { return nil }
            seconds = delay
        } else if let date = HTTPDate.epochSeconds(text), Double(text) == nil {
            seconds = max(0, date - now)
        } else {
            return nil
        }
        return .milliseconds(Int64(min(seconds, 3600) * 1000))
    }

    /// How long every worker must hold off after an answer with these signals, or nil to go on: a 429 waits its
    /// `Retry-After` (one window without one); `Remaining: 0` waits for the reset (one window when the reset cannot
    /// be read, at most 60 s so a skewed server clock cannot stall the run). `now` is seconds since 1970.
    public func pause(status: Int, window: Duration, now: Double) -> Duration? {
        if status == 429 { return retryAfter ?? window }
        guard remaining == 0 else { return nil }
        guard let resetAt else { return window }
        return .milliseconds(Int64(min(max(resetAt - now, 0), 60) * 1000))
    }
}
