import Foundation
import Synchronization
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// The lane: the one request loop, on a virtual clock, and its scope, which shuts the transport down on every path.
struct LaneTests {
    /// A transport that answers from a script and notes whether it was shut down.
    final class Watched: LemlistTransport {
        let scripted: ScriptedTransport<JumpClock>
        private let closed = Mutex(0)
        init(_ script: [LemlistReply] = []) { scripted = ScriptedTransport(clock: JumpClock(), script: script) }
        func send(_ request: LemlistRequest) async -> LemlistReply { await scripted.send(request) }
        func shutdown() async { closed.withLock { $0 += 1 } }
        var shutdowns: Int { closed.withLock { $0 } }
    }

    static let configuration = RunConfiguration(baseURL: "https://api.lemlist.com/api", apiKey: Secret("key"), concurrency: 1,
                                                retry: RetryPolicy(base: .seconds(1), cap: .seconds(60), maxAttempts: 5, maxThrottled: 50))

    struct Thrown: Error {}

    @Test func theTransportIsShutDownWhenTheLaneEnds() async throws {
        let scratch = try Scratch()
        let transport = Watched()
        let value = try await withLane(configuration: Self.configuration, ledgerPath: scratch.ledger, keyHash: nil, logger: quietLogger,
                                       makeTransport: { _ in transport }) { _ in 42 }
        #expect(value == 42 && transport.shutdowns == 1)
    }

    @Test func theTransportIsShutDownWhenTheLaneThrows() async throws {
        let scratch = try Scratch()
        let transport = Watched()
        await #expect(throws: LedgerError.busy(path: "x")) {
            try await withLane(configuration: Self.configuration, ledgerPath: scratch.ledger, keyHash: nil, logger: quietLogger,
                               makeTransport: { _ in transport }) { (_: Lane<ContinuousClock>) async throws(LedgerError) -> Int in throw .busy(path: "x") }
        }
        #expect(transport.shutdowns == 1)
    }

    /// A link planted at `.rate` makes the start log refuse to open, after the transport was made.
    @Test func theTransportIsShutDownWhenTheStartLogCannotOpen() async throws {
        let scratch = try Scratch()
        try FileManager.default.createSymbolicLink(atPath: scratch.ledger + ".rate", withDestinationPath: scratch.path("elsewhere"))
        let transport = Watched()
        await #expect(throws: LedgerError.symbolicLink(path: scratch.ledger + ".rate")) {
            try await withLane(configuration: Self.configuration, ledgerPath: scratch.ledger, keyHash: nil, logger: quietLogger,
                               makeTransport: { _ in transport }) { _ in 0 }
        }
        #expect(transport.shutdowns == 1)
    }

    @Test func aRequestIsRetriedInPlaceAfterTheBackoffAndSettles() async throws {
        let clock = JumpClock()
        let transport = ScriptedTransport(clock: clock, script: [.text(503, ""), .text(429, ""), .text(500, ""),
                                                                 .answer(status: 200, contentType: "application/json", body: #"{"userIds":["usr_1"]}"#,
                                                                         signals: RateLimitSignals())])
        let lane = Lane(transport: transport, configuration: Self.configuration, clock: clock, random: { 0.5 }, logger: quietLogger)
        guard case let .value(ids) = try await lane.fetch(LemlistRequest(.team), on: .members) else { Issue.record("not settled"); return }
        #expect(ids == ["usr_1"])
        let times = transport.sent.map { transport.sent[0].at.duration(to: $0.at) }
        // 0.5 s after the first 503 (ceiling 1 s, draw 0.5); the 429 pauses for one window (2 s + margin), spending no
        // attempt; then 1 s after the second failure (ceiling 2 s).
        #expect(times[1] == .milliseconds(500), "\(times)")
        #expect(times[2] - times[1] == .milliseconds(2050), "\(times)")
        #expect(times[3] - times[2] == .seconds(1), "\(times)")
    }

    @Test func nothingLeavesOnceTheLaneIsHalted() async throws {
        let clock = JumpClock()
        let transport = ScriptedTransport(clock: clock, script: [])
        let lane = Lane(transport: transport, configuration: Self.configuration, clock: clock, logger: quietLogger)
        let halt = Halt()
        halt.set()
        guard case .halted = try await lane.fetch(LemlistRequest(.channels), on: .channels, halt: halt) else { Issue.record("sent"); return }
        #expect(transport.sent.isEmpty)
    }
}
