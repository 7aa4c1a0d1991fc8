import Foundation
import PropertyBased
import Testing
@testable import MailboxOnboard
@testable import OnboardInput

struct RateLimiterTests {
    /// The most starts inside any half-open window of length `window`.
    static func busiestWindow(_ starts: [Duration], window: Duration) -> Int {
        let sorted = starts.sorted()
        var best = 0, first = 0
        for last in sorted.indices {
            while sorted[last] - sorted[first] >= window { first += 1 }
            best = max(best, last - first + 1)
        }
        return best
    }

    @Test func neverMoreThanTheLimitInAnyWindowWhateverTheWorkersAndJitter() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...40), Gen.int(in: 1...25), Gen.int(in: 0...300)) { workers, limit, jitterMs in
            let clock = JumpClock(jitter: .milliseconds(jitterMs), seed: UInt64(workers * 1000 + limit))
            let limiter = RateLimiter(limit: limit, window: .seconds(2), clock: clock)
            let starts = await withTaskGroup(of: [Duration].self) { group in
                for _ in 0..<workers {
                    group.addTask {
                        var mine: [Duration] = []
                        for _ in 0..<6 {
                            // The instant the limiter counted: reading the shared clock afterwards could see time
                            // another worker's sleep has since moved on.
                            if let started = try? await limiter.acquire() { mine.append(started.offset) }
                        }
                        return mine
                    }
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
            #expect(starts.count == workers * 6)
            #expect(Self.busiestWindow(starts, window: .seconds(2)) <= limit)
        }
    }

    @Test func aBurstTakesTheWholeLimitAtOnceThenWaitsAWindow() async throws {
        let clock = JumpClock()
        let limiter = RateLimiter(limit: 20, window: .seconds(2), clock: clock)
        for _ in 0..<20 { try await limiter.acquire() }
        #expect(clock.now.offset == .zero)
        try await limiter.acquire()
        #expect(clock.now.offset == .seconds(2))
    }

    @Test func aPauseHoldsEveryStartUntilItEnds() async throws {
        let clock = JumpClock()
        let limiter = RateLimiter(limit: 20, window: .seconds(2), clock: clock)
        try await limiter.acquire()
        await limiter.pause(until: clock.now.advanced(by: .seconds(7)))
        await limiter.pause(until: clock.now.advanced(by: .seconds(3)))
        try await limiter.acquire()
        #expect(clock.now.offset == .seconds(7))
        #expect(await limiter.waitingFor == nil)
    }

    @Test func aLowerAnnouncedLimitIsFollowedAndAHigherOneIgnored() async throws {
        let limiter = RateLimiter(limit: 20, window: .seconds(2), clock: JumpClock())
        await limiter.lower(to: 30)
        #expect(await limiter.limit == 20)
        await limiter.lower(to: 5)
        #expect(await limiter.limit == 5)
    }

    @Test func cancellationWhileWaitingThrowsAndCountsNothing() async throws {
        let clock = ContinuousClock()
        let limiter = RateLimiter(limit: 1, window: .seconds(3600), clock: clock)
        try await limiter.acquire()
        let waiter = Task { try await limiter.acquire() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }
}

struct RetryPolicyTests {
    @Test func ceilingsDoubleFromOneSecondUpToTheCap() {
        let policy = RetryPolicy()
        #expect((1...8).map { policy.ceiling(afterAttempt: $0) } == [1, 2, 4, 8, 16, 32, 60, 60].map { Duration.seconds($0) })
    }

    @Test func delaysStayWithinZeroAndTheCeilingAndCeilingsNeverShrink() async {
        await propertyCheck(input: Gen.int(in: 1...200), Gen.double(in: 0..<1)) { attempt, unit in
            let policy = RetryPolicy()
            let delay = policy.delay(afterAttempt: attempt, unit: unit)
            #expect(delay >= .zero && delay <= policy.ceiling(afterAttempt: attempt))
            #expect(policy.ceiling(afterAttempt: attempt + 1) >= policy.ceiling(afterAttempt: attempt))
            #expect(policy.ceiling(afterAttempt: attempt) <= .seconds(60))
        }
    }
}

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
