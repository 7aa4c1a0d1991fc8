import Foundation
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// The account-test pass on a virtual clock: throttling waits as told, each answer is recorded per job, a 401 stops it.
struct VerifierTests {
    static let configuration = RunConfiguration(baseURL: "https://api.lemlist.com/api", apiKey: Secret("key"), concurrency: 1)
    static let passed = LemlistReply.answer(status: 200, contentType: "application/json",
                                            body: #"{"smtp":{"success":true},"imap":{"success":true}}"#, signals: RateLimitSignals())

    /// A ledger whose `count` jobs are connected, with account ids `umx_0`...
    func connected(_ count: Int, in scratch: Scratch) async throws -> Ledger {
        _ = try Importer.run(files: [try scratch.mailboxes(count)], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
        let ledger = try Ledger(path: scratch.ledger)
        for (index, job) in try await ledger.outstanding().enumerated() {
            try await ledger.finish(try #require(try await ledger.beginAttempt(job.id)), .connected(accountId: "umx_\(index)"))
        }
        return ledger
    }

    func verifier(_ ledger: Ledger, _ transport: ScriptedTransport<JumpClock>, _ clock: JumpClock) -> Verifier<JumpClock> {
        Verifier(ledger: ledger, transport: transport, configuration: Self.configuration, clock: clock, random: { 0.5 }, logger: quietLogger)
    }

    @Test func aThrottledTestWaitsItsRetryAfterThenEachVerdictIsRecorded() async throws {
        let scratch = try Scratch()
        let ledger = try await connected(3, in: scratch)
        let clock = JumpClock()
        let transport = ScriptedTransport(clock: clock, script: [
            .text(429, "", RateLimitSignals(retryAfter: .seconds(7))), Self.passed, .text(404, #"{"message":"Email account not found"}"#),
            .answer(status: 200, contentType: "application/json", body: #"{"smtp":{"success":false,"error":"535 bad"},"imap":{"success":true}}"#,
                    signals: RateLimitSignals()),
        ])
        let report = try await verifier(ledger, transport, clock).run(again: false)
        #expect(report.passed == 1 && report.notFound == 1 && report.failed == 1 && report.requests == 4)
        #expect(transport.sent.map(\.request.endpoint) == [.test(accountId: "umx_0"), .test(accountId: "umx_0"),
                                                           .test(accountId: "umx_1"), .test(accountId: "umx_2")])
        #expect(transport.sent[0].at.duration(to: transport.sent[1].at) >= .seconds(7))
        // Recorded: a second pass without `again` has nothing left to test.
        let second = ScriptedTransport(clock: clock, script: [])
        #expect(try await verifier(ledger, second, clock).run(again: false).requests == 0 && second.sent.isEmpty)
    }

    @Test func aRefusedKeyStopsThePassAndRecordsNothing() async throws {
        let scratch = try Scratch()
        let ledger = try await connected(3, in: scratch)
        let clock = JumpClock()
        let transport = ScriptedTransport(clock: clock, script: [.text(401, #"{"message":"Unauthorized"}"#)])
        let report = try await verifier(ledger, transport, clock).run(again: false)
        guard case .unauthorized? = report.stop else { Issue.record("\(String(describing: report.stop))"); return }
        #expect(transport.sent.count == 1 && report.passed + report.failed + report.notFound == 0)
        #expect(try await ledger.summary().verification == Summary.VerificationCounts())
    }
}
