import Foundation
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// The settings step on the scripted transport and a virtual clock: what each answer does to each mailbox's parts.
struct SettingsStepTests {
    static let configuration = RunConfiguration(baseURL: "https://api.lemlist.com/api", apiKey: Secret("key"), concurrency: 1,
                                                retry: RetryPolicy(base: .seconds(1), cap: .seconds(60), maxAttempts: 4, maxThrottled: 50))

    /// `user`'s listing, each mailbox `box<i>@acme-mail.com` as `usm_<i>`.
    static func listing(_ boxes: [Int]) -> LemlistReply {
        LemlistReply.json(#"{"_id":"usr_1","mailboxes":["# + boxes.map { #"{"_id":"usm_\#($0)","email":"Box\#($0)@acme-mail.com"}"# }.joined(separator: ",") + "]}")
    }

    /// A ledger of `count` connected mailboxes of user `usr_1`, each row with `settings`.
    func connected(_ count: Int, settings: [String: String], in scratch: Scratch) async throws -> Ledger {
        let columns = ["sender_name", "sender_email", "smtp_host", "smtp_port", "smtp_login", "smtp_password", "imap_host", "imap_port",
                       "imap_login", "imap_password", "userId"] + settings.keys.sorted()
        let rows = (0..<count).map { index -> String in
            let row = apiRow("box\(index)@acme-mail.com", ["userId": "usr_1"].merging(settings) { $1 })
            return columns.map { row[$0] ?? "" }.joined(separator: ",")
        }
        let file = try scratch.write("in.csv", ([columns.joined(separator: ",")] + rows).joined(separator: "\n") + "\n")
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
        let ledger = try Ledger(path: scratch.ledger)
        for (index, job) in try await ledger.outstanding().enumerated() {
            try await ledger.finish(try #require(try await ledger.beginAttempt(job.id)), .connected(accountId: "umx_\(index)"))
        }
        return ledger
    }

    func step(_ ledger: Ledger, _ script: [LemlistReply]) -> (SettingsStep<JumpClock>, ScriptedTransport<JumpClock>) {
        let clock = JumpClock()
        let transport = ScriptedTransport(clock: clock, script: script, otherwise: .text(500, "script spent"))
        let lane = Lane(transport: transport, configuration: Self.configuration, clock: clock, random: { 0.5 }, logger: quietLogger)
        return (SettingsStep(ledger: ledger, lane: lane), transport)
    }

    func rows(_ scratch: Scratch) throws -> [Summary.Row] {
        var rows: [Summary.Row] = []
        try LedgerStore(path: scratch.ledger).forEachRow(onlyFailed: false) { rows.append($0) }
        return rows
    }

    @Test func anAccountTheAnswerDoesNotReportAsUpdatedFailsWithLemlistsReason() async throws {
        let scratch = try Scratch()
        let ledger = try await connected(3, settings: ["daily_limit": "40"], in: scratch)
        let (step, transport) = step(ledger, [
            Self.listing([0, 1, 2]), LemlistReply.json(#"{"updated":["usm_0"],"notUpdated":[{"id":"usm_1","reason":"Limit above the plan's"}]}"#),
        ])
        let report = try await step.run()
        #expect(report.applied == 1 && report.failed == 2 && report.requests == 2 && report.left == 0)
        #expect(transport.sent.map(\.request.endpoint) == [.user(id: "usr_1"), .sendingSettings])
        let body = try #require(transport.sent[1].request.body?.revealed)
        #expect(body == #"{"emailAccounts":[{"dailyEmailLimit":40,"id":"usm_0"},{"dailyEmailLimit":40,"id":"usm_1"},{"dailyEmailLimit":40,"id":"usm_2"}]}"#)
        let errors = try rows(scratch).map { $0.settings?.error }
        #expect(errors == [nil, "daily limit: Limit above the plan's", "daily limit: lemlist did not report it as updated"])
        #expect(try await ledger.summary().settings == Summary.SettingsCounts(applied: 1, failed: 2, pending: 0))
    }

    @Test func limitsGoAHundredToARequest() async throws {
        let scratch = try Scratch()
        let ledger = try await connected(250, settings: ["daily_limit": "30"], in: scratch)
        let updated = { (range: Range<Int>) in LemlistReply.json(#"{"updated":["# + range.map { #""usm_\#($0)""# }.joined(separator: ",") + "]}") }
        let (step, transport) = step(ledger, [Self.listing(Array(0..<250)), updated(0..<100), updated(100..<200), updated(200..<250)])
        let report = try await step.run()
        #expect(report.applied == 250 && report.requests == 4)
        let sizes = try transport.sent.dropFirst().map { request in
            let object = try JSONSerialization.jsonObject(with: Data(try #require(request.request.body?.revealed).utf8)) as? [String: Any]
            return (object?["emailAccounts"] as? [Any])?.count ?? 0
        }
        #expect(sizes == [100, 100, 50])
    }

    @Test func aMailboxNotFoundFailsItsOwnWarmupOnlyAndNeverStops() async throws {
        let scratch = try Scratch()
        let ledger = try await connected(2, settings: ["warmup": "yes", "warmup_max": "25"], in: scratch)
        let (step, transport) = step(ledger, [Self.listing([0, 1]), .text(404, "Mailbox not found"), LemlistReply.json(#"{"ok":true}"#), LemlistReply.json(#"{"ok":true}"#)])
        let report = try await step.run()
        #expect(report.stop == nil && report.applied == 1 && report.failed == 1 && report.requests == 4)
        #expect(transport.sent.map(\.request.endpoint) == [.user(id: "usr_1"), .warmupSettings(mailboxId: "usm_0"),
                                                           .warmupSettings(mailboxId: "usm_1"), .warmupSwitch(mailboxId: "usm_1", on: true)])
        #expect(transport.sent[1].request.body?.revealed == #"{"warmEmailMax":25}"#)
        #expect(try rows(scratch)[0].settings?.error == "warm-up settings: HTTP 404: Mailbox not found; warm-up start: HTTP 404: Mailbox not found")
    }

    @Test func throttlingAndServerErrorsAreRetriedOnTheVirtualClock() async throws {
        let scratch = try Scratch()
        let ledger = try await connected(1, settings: ["daily_limit": "20"], in: scratch)
        let (step, transport) = step(ledger, [
            Self.listing([0]), .text(429, "Too many requests", RateLimitSignals(retryAfter: .seconds(4))), .text(503, "busy"),
            LemlistReply.json(#"{"updated":["usm_0"]}"#),
        ])
        let report = try await step.run()
        #expect(report.applied == 1 && report.requests == 4)
        let times = transport.sent.map { transport.sent[1].at.duration(to: $0.at) }
        #expect(times[2] >= .seconds(4), "\(times)")
        #expect(times[3] - times[2] == .milliseconds(500), "\(times)")
    }

    @Test(arguments: [(401, "unauthorized"), (402, "paymentRequired")])
    func aRefusedKeyOrPlanStopsAndLeavesEverySettingDue(_ status: Int, _ kind: String) async throws {
        let scratch = try Scratch()
        let ledger = try await connected(2, settings: ["daily_limit": "20", "warmup": "true"], in: scratch)
        let (step, transport) = step(ledger, [Self.listing([0, 1]), .text(status, "no")])
        let report = try await step.run()
        let stopped: String? = switch report.stop {
        case .unauthorized?: "unauthorized"
        case .paymentRequired?: "paymentRequired"
        default: nil
        }
        #expect(stopped == kind)
        #expect(transport.sent.count == 2 && report.applied + report.failed == 0 && report.left == 2)
        #expect(try await ledger.summary().settings == Summary.SettingsCounts(pending: 2))
    }

    @Test func aMailboxItsOwnersListingDoesNotShowFailsWithoutARequest() async throws {
        let scratch = try Scratch()
        let ledger = try await connected(2, settings: ["daily_limit": "20"], in: scratch)
        let (step, transport) = step(ledger, [Self.listing([1]), LemlistReply.json(#"{"updated":["usm_1"]}"#)])
        let report = try await step.run()
        #expect(report.applied == 1 && report.failed == 1)
        #expect(try rows(scratch)[0].settings?.error == "lemlist's listing of user usr_1 does not show this mailbox, so its settings cannot be applied")
        let body = try #require(transport.sent.last?.request.body?.revealed)
        #expect(!body.contains("usm_0") && body.contains("usm_1"))
    }

    @Test func warmupIsNotStartedForAMailboxWhoseAccountTestFailed() async throws {
        let scratch = try Scratch()
        let ledger = try await connected(1, settings: ["warmup": "1"], in: scratch)
        let id = try #require(try await ledger.settingsDue().first?.id)
        try await ledger.recordVerification(id, .tested(smtpError: "535 bad", imapError: nil))
        let (step, transport) = step(ledger, [Self.listing([0])])
        let report = try await step.run()
        #expect(report.failed == 1 && transport.sent.count == 1)
        #expect(try rows(scratch)[0].settings?.error?.hasPrefix("warm-up not started: lemlist's account test did not pass") == true)
    }

    @Test func aRecordedPartIsNotSentAgainAndTheUsmIdIsKept() async throws {
        let scratch = try Scratch()
        let ledger = try await connected(1, settings: ["daily_limit": "20", "warmup": "false"], in: scratch)
        let (first, _) = step(ledger, [Self.listing([0]), LemlistReply.json(#"{"updated":["usm_0"]}"#), .text(500, "down"), .text(500, "down"),
                                       .text(500, "down"), .text(500, "down")])
        let report = try await first.run()
        #expect(report.left == 1 && report.applied == 0)
        // The next pass knows the id and sends only the pause.
        let (second, transport) = step(ledger, [LemlistReply.json(#"{"ok":true}"#)])
        #expect(try await second.run().applied == 1)
        #expect(transport.sent.map(\.request.endpoint) == [.warmupSwitch(mailboxId: "usm_0", on: false)])
    }
}
