import Foundation
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// The worker pool against scripted answers on a virtual clock: every status lemlist can give, what it leaves in the
/// ledger, and how long the next request waits. No socket, no real time.
struct SubmitterTests {
    struct Ran {
        var report: RunReport
        var rows: [Summary.Row]
        /// When each request left, from the first, on the virtual clock.
        var times: [Duration]
        var gaps: [Duration] { zip(times.dropFirst(), times).map { $0 - $1 } }
    }

    /// Imports `jobs` mailboxes and sends them one worker at a time through `script`.
    func run(_ script: [LemlistReply], jobs: Int = 1) async throws -> Ran {
        let scratch = try Scratch()
        _ = try Importer.run(files: [try scratch.mailboxes(jobs)], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
        let clock = JumpClock()
        let transport = ScriptedTransport(clock: clock, script: script)
        let configuration = RunConfiguration(baseURL: "https://api.lemlist.com/api", apiKey: Secret("key"), concurrency: 1)
        let report = try await Submitter(ledger: try Ledger(path: scratch.ledger), transport: transport, configuration: configuration,
                                         clock: clock, wallClock: WallClock { 1_800_000_000_000 }, random: { 0.5 }, logger: quietLogger).run()
        var rows: [Summary.Row] = []
        try LedgerStore(path: scratch.ledger).forEachRow(onlyFailed: false) { rows.append($0) }
        let sent = transport.sent
        #expect(sent.allSatisfy { $0.request.endpoint == .connect && $0.request.body != nil })
        return Ran(report: report, rows: rows, times: sent.map { sent[0].at.duration(to: $0.at) })
    }

    // A settled job frees its worker at once: the next job's request follows without a wait.

    @Test func a201ConnectsWithTheAccountId() async throws {
        let ran = try await run([.created(id: "umx_Z9"), .created(id: "umx_Y8")], jobs: 2)
        #expect(ran.rows.map(\.state) == [.connected, .connected] && ran.rows.map(\.accountId) == ["umx_Z9", "umx_Y8"])
        #expect(ran.gaps == [.zero] && ran.report.stop == nil)
    }

    @Test func alreadyExistsIsAlreadyConnected() async throws {
        let ran = try await run([.text(400, "This SMTP mailbox already exists"), .created()], jobs: 2)
        #expect(ran.rows.map(\.state) == [.alreadyConnected, .connected] && ran.rows[0].error == "lemlist already had this mailbox")
        #expect(ran.gaps == [.zero])
    }

    @Test(arguments: [(400, "Invalid host"), (403, "User is not a member of this team"), (400, "Missing required fields")])
    func anotherRefusalFailsWithLemlistsWords(_ status: Int, _ text: String) async throws {
        let ran = try await run([.text(status, text), .created()], jobs: 2)
        #expect(ran.rows.map(\.state) == [.failed, .connected] && ran.rows[0].error == "HTTP \(status): \(text)")
        #expect(ran.gaps == [.zero])
    }

    @Test(arguments: [401, 402, 404, 405])
    func aFatalStatusStopsTheRunAndLeavesTheJobPending(_ status: Int) async throws {
        let ran = try await run([.text(status, "no")], jobs: 3)
        let stop = try #require(ran.report.stop)
        switch (status, stop) {
        case (401, .unauthorized), (402, .paymentRequired), (404, .wrongEndpoint), (405, .wrongEndpoint): break
        default: Issue.record("\(status) stopped as \(stop)")
        }
        #expect(ran.times.count == 1)
        #expect(ran.rows.map(\.state) == [.pending, .pending, .pending] && ran.rows.allSatisfy { $0.attempts == 0 })
    }

    @Test func a429WaitsItsRetryAfterAndSpendsNoAttempt() async throws {
        let ran = try await run([.text(429, "Too many requests", RateLimitSignals(retryAfter: .seconds(7))), .created()])
        #expect(ran.gaps == [.seconds(7)])
        #expect(ran.rows.map(\.state) == [.connected] && ran.rows[0].attempts == 1)
    }

    @Test func a429WithoutRetryAfterWaitsOneWindow() async throws {
        let ran = try await run([.text(429, "Too many requests"), .created()])
        #expect(ran.gaps == [.milliseconds(2050)])
        #expect(ran.rows.map(\.state) == [.connected])
    }

    @Test(arguments: [
        LemlistReply.text(503, "Service Unavailable"), .text(500, "Internal Server Error"), .text(408, ""),
        .transportError("no complete answer within 120 s"), .transportError("connection error: connection reset by peer"),
    ])
    func aTransientFailureIsRetriedAfterTheBackoff(_ failure: LemlistReply) async throws {
        let ran = try await run([failure, .created()])
        // The first ceiling is 1 s; the jitter draw is fixed at 0.5.
        #expect(ran.gaps == [.milliseconds(500)])
        #expect(ran.rows.map(\.state) == [.connected] && ran.rows[0].attempts == 2)
    }

    @Test func aJobThatKeepsFailingGivesUpAfterItsAttempts() async throws {
        let ran = try await run(Array(repeating: .text(503, "Service Unavailable"), count: 5))
        #expect(ran.gaps == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4)])
        #expect(ran.rows.map(\.state) == [.failed])
        #expect(ran.rows[0].error == "gave up after 5 attempts; last: HTTP 503: Service Unavailable")
    }

    @Test func remainingZeroHoldsTheNextRequestUntilTheReset() async throws {
        let reset = 1_800_000_000.0 + 3
        let ran = try await run([.answer(status: 201, contentType: "application/json", body: "{}", signals: RateLimitSignals(remaining: 0, resetAt: reset)),
                                 .created()], jobs: 2)
        #expect(ran.gaps == [.seconds(3)])
        #expect(ran.rows.map(\.state) == [.connected, .connected] && ran.rows[0].accountId == nil)
    }

    @Test func withVerifyEachMailboxIsTestedRightAfterItsOwn201() async throws {
        let scratch = try Scratch()
        _ = try Importer.run(files: [try scratch.mailboxes(2)], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
        let clock = JumpClock()
        let pass = LemlistReply.answer(status: 200, contentType: "application/json", body: #"{"smtp":{"success":true},"imap":{"success":true}}"#,
                                       signals: RateLimitSignals())
        let fail = LemlistReply.answer(status: 200, contentType: "application/json",
                                       body: #"{"smtp":{"success":false,"error":"Invalid credentials"},"imap":{"success":true}}"#, signals: RateLimitSignals())
        let transport = ScriptedTransport(clock: clock, script: [.created(id: "umx_A"), pass, .created(id: "umx_B"), fail])
        var configuration = RunConfiguration(baseURL: "https://api.lemlist.com/api", apiKey: Secret("key"), concurrency: 1)
        configuration.verify = true
        let report = try await Submitter(ledger: try Ledger(path: scratch.ledger), transport: transport, configuration: configuration,
                                         clock: clock, random: { 0.5 }, logger: quietLogger).run()
        #expect(transport.sent.map(\.request.endpoint) == [.connect, .test(accountId: "umx_A"), .connect, .test(accountId: "umx_B")])
        let tests = try #require(report.verification)
        #expect(tests.passed == 1 && tests.failed == 1)
        #expect(tests.failures == [.init(senderEmail: "box1@acme-mail.com", verification: .tested(smtpError: "Invalid credentials", imapError: nil))])
        #expect(try Reports.summary(ledgerPath: scratch.ledger).verification == Summary.VerificationCounts(passed: 1, failed: 1))
    }
}
