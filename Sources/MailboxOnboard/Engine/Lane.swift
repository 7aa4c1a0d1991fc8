import Logging
import OnboardInput
import Synchronization

/// One API key's way to lemlist: its transport, its limiter (lemlist counts per key), the clocks, the random source
/// for backoff, the start log and the logger. Every request of every route goes through `exchange`, the one place
/// that waits for the limiter's word, notes the start, sends, follows the rate signals and cleans what comes back.
/// Made and ended by `withLane`, which always shuts the transport down.
public struct Lane<C: Clock>: Sendable where C.Duration == Duration {
    public let transport: any LemlistTransport
    public let configuration: RunConfiguration
    public let clock: C
    public let wallClock: WallClock
    /// A uniform draw in `0..<1` for the backoff's jitter.
    public let random: @Sendable () -> Double
    public let logger: Logger
    /// Where request starts are noted for the next run; nil to keep them in memory only.
    public let startLog: RequestStartLog?
    let limiter: RateLimiter<C>
    /// The limiter's window: the configured one and a margin for clocks that disagree.
    let window: Duration

    public init(transport: any LemlistTransport, configuration: RunConfiguration, clock: C, wallClock: WallClock = .system,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, logger: Logger, startLog: RequestStartLog? = nil) {
        self.transport = transport
        self.configuration = configuration
        self.clock = clock
        self.wallClock = wallClock
        self.random = random
        self.logger = logger
        self.startLog = startLog
        window = configuration.rateWindow + configuration.safetyMargin
        limiter = RateLimiter(limit: configuration.rateLimit, window: window, clock: clock)
    }

    /// Counts the starts an earlier run of the same ledger noted within the window, so this one continues it.
    func continueWindow() async {
        await limiter.continueWindow(from: startLog, clock: clock, now: wallClock.seconds)
    }

    /// Why requests are waiting, if they are, for the progress line.
    public func waitReason() async -> WaitReason? { await limiter.waitingFor }

    /// Waits until the limiter lets one more request start. Throws `CancellationError` when the caller is cancelled.
    func admit() async throws {
        try await limiter.acquire()
    }

    /// Sends `request`, admitted by `admit`, and reads the answer with `route`'s table. Nil when `halt` is set: after
    /// a fatal answer nothing new leaves, even from a worker already past the limiter. `secrets` are the request's
    /// own (a row's passwords); the key is always removed. `sent` is called as the request leaves.
    func exchange<Value>(_ request: LemlistRequest, on route: LemlistRoute<Value>, secrets: [String] = [], halt: Halt? = nil,
                         sent: () -> Void = {}) async -> RouteAnswer<Value>? {
        if halt?.isSet == true { return nil }
        // Noted as close to the wire as it can be: a dead run's request may reach lemlist well after the limiter let
        // it go, and the next run must count it from when it left, not from when it was allowed to.
        startLog?.record(wallClock.seconds)
        sent()
        let reply = await transport.send(request)
        if case let .answer(status, _, _, signals) = reply {
            let wait = await limiter.follow(signals, status: status, window: window, clock: clock, now: wallClock.seconds)
            if status == 429, let wait { logger.notice("rate limited by the server; pausing", metadata: ["seconds": "\(wait)"]) }
        }
        let secrets = secrets + [configuration.apiKey.revealed]
        let answer = route.answer(reply) { ServerText.clean($0, removing: secrets) }
        if case .stop = answer { halt?.set() }
        return answer
    }

    /// How a request retried in place ended.
    enum Fetched<Value: Sendable>: Sendable {
        case value(Value)
        case refused(String)
        case gaveUp(ExchangeState.GiveUp)
        case stop(RunStop)
        /// Another request's fatal answer came first; this one was not sent again.
        case halted
    }

    /// Sends `request` until it settles: admitted by the limiter each time, retried after transient failures with
    /// the configured backoff (see `ExchangeState`). Throws `CancellationError` when cancelled between tries.
    func fetch<Value>(_ request: LemlistRequest, on route: LemlistRoute<Value>, halt: Halt? = nil,
                      sent: () -> Void = {}) async throws -> Fetched<Value> {
        var state = ExchangeState(policy: configuration.retry)
        while true {
            try await admit()
            guard let answer = await exchange(request, on: route, halt: halt, sent: sent) else { return .halted }
            switch state.next(after: answer, unit: random()) {
            case let .settle(value): return .value(value)
            case let .refused(reason): return .refused(reason)
            case let .stop(stop): return .stop(stop)
            case let .gaveUp(why): return .gaveUp(why)
            case .again: continue
            case let .retry(after: delay): try await clock.sleep(for: delay)
            }
        }
    }
}

/// Set by the first answer that stops a key's work (a refused key, a plan without the route, a wrong base URL), and
/// read by every worker just before its request would leave. A lock rather than an actor: the check must not wait.
final class Halt: Sendable {
    private let flag = Mutex(false)
    var isSet: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
}
