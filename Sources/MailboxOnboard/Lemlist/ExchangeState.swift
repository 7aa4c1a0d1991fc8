/// Where one request that is retried in place stands (a pre-flight GET, an account test), and what to do after each
/// answer. A value with `mutating` transitions and no I/O, so its rules are tested alone; `Lane.fetch` drives it.
///
/// | the route's answer | attempts | next |
/// | --- | --- | --- |
/// | value | | settle with it |
/// | refused, stop | | settle with it |
/// | transient | one spent | `retry(after:)` the policy's backoff; `gaveUp` once `maxAttempts` are spent |
/// | throttled (429) | none spent | `again`: the limiter, paused by the answer, holds the next try; `gaveUp` after `maxThrottled` |
///
/// The connect route is not retried in place: each attempt is recorded in the ledger (see `AttemptDecision`).
public struct ExchangeState: Sendable, Equatable {
    public let policy: RetryPolicy
    public private(set) var attempts = 0
    public private(set) var throttled = 0

    public init(policy: RetryPolicy) {
        self.policy = policy
    }

    /// Why a request was given up.
    public enum GiveUp: Sendable, Equatable {
        /// Every attempt failed transiently; the last failure's words.
        case failed(attempts: Int, last: String)
        /// Rate limited this many times.
        case throttled(times: Int)

        public var words: String {
            switch self {
            case let .failed(attempts, last): "failed \(attempts) times (last: \(last))"
            case let .throttled(times): "was rate limited \(times) times"
            }
        }
    }

    public enum Action<Value: Sendable>: Sendable {
        case settle(Value)
        case refused(String)
        case stop(RunStop)
        /// Send again once the limiter allows.
        case again
        /// Send again after this delay, then once the limiter allows.
        case retry(after: Duration)
        case gaveUp(GiveUp)
    }

    /// What to do after `answer`; `unit` is a uniform draw in `0..<1` for the backoff's jitter.
    public mutating func next<Value>(after answer: RouteAnswer<Value>, unit: Double) -> Action<Value> {
        switch answer {
        case let .value(value): return .settle(value)
        case let .refused(reason): return .refused(reason)
        case let .stop(stop): return .stop(stop)
        case .throttled:
            throttled += 1
            return throttled < policy.maxThrottled ? .again : .gaveUp(.throttled(times: throttled))
        case let .transient(reason):
            attempts += 1
            guard attempts < policy.maxAttempts else { return .gaveUp(.failed(attempts: attempts, last: reason)) }
            return .retry(after: policy.delay(afterAttempt: attempts, unit: unit))
        }
    }
}
