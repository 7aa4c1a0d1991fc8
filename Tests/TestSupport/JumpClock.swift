import Synchronization

/// A clock whose sleeps return at once after moving virtual time to the deadline (plus optional jitter), so timing
/// logic runs through hours of schedule in milliseconds and no test waits on the wall clock.
public final class JumpClock: Clock, Sendable {
    public struct Instant: InstantProtocol {
        public var offset: Duration
        public init(offset: Duration) { self.offset = offset }
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    private let state: Mutex<(now: Instant, random: UInt64)>
    private let jitter: Duration

    public init(jitter: Duration = .zero, seed: UInt64 = 1) {
        state = Mutex((Instant(offset: .zero), seed))
        self.jitter = jitter
    }

    /// How far virtual time has moved since the clock was made.
    public var elapsed: Duration { now.offset }

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .nanoseconds(1) }

    public func advance(by duration: Duration) {
        state.withLock { $0.now = $0.now.advanced(by: duration) }
    }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
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
