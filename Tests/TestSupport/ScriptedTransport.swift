import MailboxOnboard
import OnboardInput
import Synchronization

/// A `LemlistTransport` that answers from a script, in memory, so the engine's logic is tested in milliseconds without
/// a socket. Each request is logged with the instant it left on the test's clock, and answered by the next scripted
/// reply (then by `otherwise` once the script is spent).
public final class ScriptedTransport<C: Clock>: LemlistTransport where C.Duration == Duration {
    public struct Sent: Sendable {
        public var request: LemlistRequest
        public var at: C.Instant
    }

    private let clock: C
    private let otherwise: LemlistReply
    private let state: Mutex<(script: [LemlistReply], sent: [Sent])>

    public init(clock: C, script: [LemlistReply], otherwise: LemlistReply = .created()) {
        self.clock = clock
        self.otherwise = otherwise
        state = Mutex((script, []))
    }

    public func send(_ request: LemlistRequest) async -> LemlistReply {
        let now = clock.now
        return state.withLock { state in
            state.sent.append(Sent(request: request, at: now))
            return state.script.isEmpty ? otherwise : state.script.removeFirst()
        }
    }

    public func shutdown() async {}

    /// Every request so far, in the order they left.
    public var sent: [Sent] { state.withLock { $0.sent } }
}

extension LemlistReply {
    /// A 201 as lemlist gives it, with an account id.
    public static func created(id: String = "umx_A1B2C3D4E5F6G7H8I9") -> LemlistReply {
        .answer(status: 201, contentType: "application/json; charset=utf-8",
                body: #"{"id":"\#(id)","email":"ann@acme-mail.com","provider":"custom"}"#, signals: RateLimitSignals())
    }

    /// A plain-text answer, as lemlist's errors come.
    public static func text(_ status: Int, _ body: String, _ signals: RateLimitSignals = RateLimitSignals()) -> LemlistReply {
        .answer(status: status, contentType: "text/plain; charset=utf-8", body: body, signals: signals)
    }

    /// A 200 with a JSON body.
    public static func json(_ body: String) -> LemlistReply {
        .answer(status: 200, contentType: "application/json", body: body, signals: RateLimitSignals())
    }
}
