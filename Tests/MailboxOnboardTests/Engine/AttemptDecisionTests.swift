import Testing
import TestSupport
@testable import MailboxOnboard
@testable import OnboardInput

/// The decision for each outcome, with the date and the jitter draw given.
struct AttemptDecisionTests {
    func attempt(attempts: Int = 0, throttled: Int = 0, sentBefore: Bool = false) -> Attempt {
        Attempt(id: 1, senderEmail: "a@x.com", credential: sampleCredential(), previousState: .pending, attempts: attempts, throttled: throttled, sentBefore: sentBefore)
    }

    func decide(_ outcome: Outcome, _ attempt: Attempt, unit: Double = 0.25) -> (AttemptResult, Duration?) {
        AttemptDecision.decide(outcome, for: attempt, policy: RetryPolicy(), now: 1_000_000, unit: unit)
    }

    @Test func aTransientFailureIsStampedWithItsRetryDate() {
        let (result, delay) = decide(.transient(reason: "HTTP 503"), attempt(attempts: 2), unit: 0.25)
        // After the third attempt the ceiling is 4 s; a quarter of it is 1 s.
        #expect(delay == .seconds(1))
        #expect(result == .retry(at: 1_001_000, reason: "retrying", message: "HTTP 503", throttled: false))
    }

    @Test func theLastAttemptFails() {
        let (result, delay) = decide(.transient(reason: "HTTP 503"), attempt(attempts: 4))
        #expect(delay == nil && result == .failed(reason: "gave up after 5 attempts", message: "gave up after 5 attempts; last: HTTP 503"))
    }

    @Test func a429GoesBackAtOnceWithoutSpendingAnAttemptUntilItsOwnLimit() {
        #expect(decide(.throttled, attempt(throttled: 3)) == (.retry(at: 1_000_000, reason: "retrying", message: "HTTP 429 rate limited", throttled: true), .zero))
        #expect(decide(.throttled, attempt(throttled: 49)).0 == .failed(reason: "rate limited 50 times", message: "rate limited 50 times (HTTP 429); run again later"))
    }

    @Test func alreadyExistsSaysWhetherAnEarlierAnswerWasLost() {
        #expect(decide(.alreadyConnected, attempt()).0 == .alreadyConnected(note: "lemlist already had this mailbox"))
        #expect(decide(.alreadyConnected, attempt(sentBefore: true)).0 == .alreadyConnected(note: "created by an earlier attempt whose answer was lost"))
    }

    @Test func aStopLeavesTheJobAsItWasAndOutOfTheQueue() {
        #expect(decide(.stop(.unauthorized("no")), attempt()) == (.untouched, nil))
    }
}
