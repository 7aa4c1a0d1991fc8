import Foundation
import PropertyBased
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

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
