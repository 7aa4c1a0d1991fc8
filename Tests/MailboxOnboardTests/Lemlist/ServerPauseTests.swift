import Foundation
import PropertyBased
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// What the answer's rate-limit headers make every worker wait for.
struct ServerPauseTests {
    let window = Duration.milliseconds(2050)

    @Test func a429WaitsItsRetryAfterOrOneWindow() {
        #expect(RateLimitSignals(retryAfter: .seconds(3)).pause(status: 429, window: window, now: 0) == .seconds(3))
        #expect(RateLimitSignals().pause(status: 429, window: window, now: 0) == window)
    }

    @Test func remainingZeroWaitsForTheResetOrOneWindowWhenItCannotBeRead() {
        #expect(RateLimitSignals(remaining: 0, resetAt: 101.5).pause(status: 201, window: window, now: 100) == .milliseconds(1500))
        #expect(RateLimitSignals(remaining: 0, resetAt: nil).pause(status: 201, window: window, now: 100) == window)
        #expect(RateLimitSignals(remaining: 0, resetAt: 10_000).pause(status: 201, window: window, now: 100) == .seconds(60))
        #expect(RateLimitSignals(remaining: 3, resetAt: nil).pause(status: 201, window: window, now: 100) == nil)
    }
}
