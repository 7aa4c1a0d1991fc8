/// What an answer does to its job, decided without I/O: the ledger's record, and when (if at all) the job goes back
/// in this run's queue.
///
/// | outcome | record | back in the queue |
/// | --- | --- | --- |
/// | connected | `connected` with its id | no |
/// | already exists | `already_connected` (noting a lost earlier answer when one may have been sent) | no |
/// | rejected | `failed` with the reason | no |
/// | transient | `retrying` at `now + delay` (backoff with `unit` as the jitter draw); `failed` on the last attempt | after the delay |
/// | throttled (429) | `retrying` now, no attempt spent; `failed` after `maxThrottled` | at once (the limiter holds it) |
/// | stop | untouched | no: the run ends, the next run sends it |
public enum AttemptDecision {
    /// - Parameters:
    ///   - now: the date in milliseconds since 1970, stamped on a retry.
    ///   - unit: a uniform draw in `0..<1` for the backoff's jitter.
    public static func decide(_ outcome: Outcome, for attempt: Attempt, policy: RetryPolicy, now: Int, unit: Double) -> (AttemptResult, Duration?) {
        switch outcome {
        case let .connected(accountId):
            return (.connected(accountId: accountId), nil)
        case .alreadyConnected:
            let note = attempt.sentBefore ? "created by an earlier attempt whose answer was lost" : "lemlist already had this mailbox"
            return (.alreadyConnected(note: note), nil)
        case let .rejected(reason):
            return (.failed(reason: reason, message: reason), nil)
        case let .transient(reason):
            let attempts = attempt.attempts + 1
            guard attempts < policy.maxAttempts else {
                return (.failed(reason: "gave up after \(attempts) attempts", message: "gave up after \(attempts) attempts; last: \(reason)"), nil)
            }
            let delay = policy.delay(afterAttempt: attempts, unit: unit)
            return (.retry(at: now + Int(delay / .milliseconds(1)), reason: "retrying", message: reason, throttled: false), delay)
        case .throttled:
            guard attempt.throttled + 1 < policy.maxThrottled else {
                let reason = "rate limited \(attempt.throttled + 1) times"
                return (.failed(reason: reason, message: "\(reason) (HTTP 429); run again later"), nil)
            }
            return (.retry(at: now, reason: "retrying", message: "HTTP 429 rate limited", throttled: true), .zero)
        case .stop:
            return (.untouched, nil)
        }
    }
}
