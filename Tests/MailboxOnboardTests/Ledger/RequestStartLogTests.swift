import Foundation
import PropertyBased
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

struct RequestStartLogTests {
    @Test func aNewRunSeesTheStartsOfTheOneBefore() throws {
        let scratch = try Scratch()
        do {
            let log = try RequestStartLog(ledgerPath: scratch.ledger)
            for second in [100.0, 101.0, 102.5] { log.record(second) }
        }
        let reopened = try RequestStartLog(ledgerPath: scratch.ledger)
        #expect(reopened.recent(window: 2, now: 102.5) == [101.0, 102.5])
        reopened.record(103)
        #expect(reopened.recent(window: 1000, now: 103) == [100, 101, 102.5, 103])
        // After the clock is set back, starts that now lie in the future are not counted.
        #expect(reopened.recent(window: 2, now: 101.5) == [100.0, 101.0])
        let mode = (try FileManager.default.attributesOfItem(atPath: scratch.ledger + ".rate")[.posixPermissions] as! NSNumber).intValue
        #expect(mode == 0o600)
    }

    @Test func seededStartsHoldBackTheFirstRequestsOfTheNextRun() async throws {
        let clock = JumpClock()
        clock.advance(by: .seconds(10))
        let limiter = RateLimiter(limit: 3, window: .seconds(2), clock: clock)
        let now = clock.now
        await limiter.seed([now.advanced(by: .milliseconds(-500)), now.advanced(by: .milliseconds(-400)), now.advanced(by: .milliseconds(-300))])
        try await limiter.acquire()
        #expect(clock.now == now.advanced(by: .milliseconds(1500)))
    }
}
