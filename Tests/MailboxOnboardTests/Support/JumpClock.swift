import Synchronization
import OnboardInput

/// A clock whose sleeps return at once after moving virtual time to the deadline (plus optional jitter), so timing
/// logic runs through hours of schedule in milliseconds and no test waits on the wall clock.
final class JumpClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    private let state: Mutex<(now: Instant, random: UInt64)>
    private let jitter: Duration

    init(jitter: Duration = .zero, seed: UInt64 = 1) {
        state = Mutex((Instant(offset: .zero), seed))
        self.jitter = jitter
    }

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .nanoseconds(1) }

    func advance(by duration: Duration) {
        state.withLock { $0.now = $0.now.advanced(by: duration) }
    }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.random = state.random &* 6364136223846793005 &+ 1442695040888963407
            let extra = jitter * (Double(state.random >> 11) / Double(1 << 53))
            let target = deadline.advanced(by: extra)
            if target > state.now { state.now = target }
        }
        await Task.yield()
    }
}
