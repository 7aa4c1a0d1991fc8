import Foundation
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// Pre-flight against scripted answers, odd but legal and plainly wrong, on a virtual clock.
struct PreflightTests {
    static let member = "usr_MEMBER1", other = "usr_MEMBER2", stranger = "usr_STRANGER9"

    struct Ran {
        var report: RunReport
        var rows: [Summary.Row]
        var routes: [String]
    }

    /// Imports three mailboxes (ann, with no userId; bob, assigned to a member; cy, assigned to a stranger), then runs
    /// with pre-flight against `script`; every later request is answered 201.
    func run(_ script: [LemlistReply], rows: [[String: String]]? = nil) async throws -> Ran {
        let scratch = try Scratch()
        let file = try scratch.write("in.csv", csv(rows ?? [apiRow("ann@acme-mail.com"), apiRow("bob@acme-mail.com", ["userId": Self.member]),
                                                             apiRow("cy@acme-mail.com", ["userId": Self.stranger])]))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
        let clock = JumpClock()
        let transport = ScriptedTransport(clock: clock, script: script)
        let configuration = RunConfiguration(baseURL: "https://api.lemlist.com/api", apiKey: Secret("key"), concurrency: 1, preflight: true)
        let report = try await Submitter(ledger: try Ledger(path: scratch.ledger), transport: transport, configuration: configuration,
                                         clock: clock, wallClock: WallClock { 1_800_000_000_000 }, random: { 0.5 }, logger: quietLogger).run()
        var rows: [Summary.Row] = []
        try LedgerStore(path: scratch.ledger).forEachRow(onlyFailed: false) { rows.append($0) }
        return Ran(report: report, rows: rows, routes: transport.sent.map { "\($0.request.endpoint.method) \($0.request.endpoint.path)" })
    }

    static func json(_ text: String) -> LemlistReply {
        .answer(status: 200, contentType: "application/json; charset=utf-8", body: text, signals: RateLimitSignals())
    }

    static let channels = json(#"{"plan":"emailPro","email":{"connected":true,"available":true,"accounts":[]},"linkedin":{},"extra":1}"#)
    static let team = json(#"{"_id":"tea_1","name":"T","userIds":["usr_MEMBER1","usr_MEMBER2"],"hooks":[],"beta":{"x":true},"users":[{"userId":"usr_MEMBER1","name":"M","email":"m@x.com","role":"admin","more":1},{"userId":"usr_MEMBER2"}]}"#)

    @Test func oddButLegalAnswersSettleWhatTheyShow() async throws {
        let ran = try await run([
            Self.channels, Self.team,
            Self.json(#"{"_id":"usr_MEMBER1","email":"m@x.com","linkedIn":{}}"#),
            Self.json(#"{"_id":"usr_MEMBER2","mailboxes":[{"_id":"usm_ANN","email":"ANN@Acme-Mail.com","status":"ERROR"},{"email":"no-id@x.com"}]}"#),
        ])
        #expect(ran.routes == ["GET /user/channels", "GET /team?version=v2", "GET /users/usr_MEMBER1", "GET /users/usr_MEMBER2",
                               "POST /user/email-accounts"])
        #expect(ran.rows.map(\.state) == [.alreadyConnected, .connected, .failed])
        #expect(ran.rows[0].accountId == "usm_ANN" && ran.rows[0].attempts == 0)
        #expect(ran.rows[2].error == "userId usr_STRANGER9 is not a member of this team (found before sending; no request spent)")
        #expect(ran.report.preflight == PreflightReport(members: 2, mailboxesFound: 1, alreadyThere: 1, notMembers: 1, requests: 4))
    }

    @Test func aTeamOfTheFirstVersionAndAnEmptyOneAreRead() async throws {
        let first = try await run([Self.channels, Self.json(#"{"userIds":["usr_MEMBER1"]}"#), Self.json(#"{"mailboxes":[]}"#)])
        #expect(first.rows.map(\.state) == [.connected, .connected, .failed])
        let empty = try await run([Self.channels, Self.json(#"{"users":[]}"#)])
        #expect(empty.report.preflight?.members == 0 && empty.report.preflight?.mailboxesFound == 0)
        #expect(empty.rows.map(\.state) == [.connected, .failed, .failed])
    }

    @Test func aPlanWithoutEmailStopsBeforeAnyPost() async throws {
        let ran = try await run([Self.json(#"{"plan":null,"email":{"connected":false,"available":false}}"#)])
        guard case .paymentRequired = ran.report.stop else { Issue.record("\(String(describing: ran.report.stop))"); return }
        #expect(ran.routes == ["GET /user/channels"])
        #expect(ran.rows.allSatisfy { $0.state == .pending })
    }

    @Test(arguments: [
        (LemlistReply.answer(status: 200, contentType: "text/html; charset=utf-8", body: "<!DOCTYPE html><html></html>", signals: RateLimitSignals()), "text/html"),
        (.answer(status: 200, contentType: "text/plain", body: "OK", signals: RateLimitSignals()), "text/plain"),
    ])
    func anAnswerThatIsNotJSONMeansTheBaseURLIsWrong(_ reply: LemlistReply, _ type: String) async throws {
        let ran = try await run([reply])
        guard case let .wrongEndpoint(detail) = ran.report.stop else { Issue.record("\(String(describing: ran.report.stop))"); return }
        #expect(detail == "GET /user/channels: HTTP 200 with a \(type)\(type == "text/html" ? "; charset=utf-8" : "") body instead of JSON")
        #expect(ran.routes.count == 1 && ran.rows.allSatisfy { $0.state == .pending })
    }

    @Test func aRefusedKeyStopsBeforeAnyPost() async throws {
        let ran = try await run([.text(401, "The authentication you supplied is incorrect")])
        guard case .unauthorized = ran.report.stop else { Issue.record("\(String(describing: ran.report.stop))"); return }
        #expect(ran.routes.count == 1)
    }

    @Test func aTruncatedAnswerIsRetriedThenThatPartIsSkippedWithAWarning() async throws {
        let cut = Self.json(#"{"users":[{"userId":"usr_MEM"#)
        let ran = try await run([Self.channels] + Array(repeating: cut, count: 5))
        let warnings = try #require(ran.report.preflight?.warnings)
        #expect(warnings == ["GET /team failed 5 times (last: GET /team answered with JSON that is cut short or malformed); skipped; "
                             + "members and mailboxes were not checked"])
        #expect(ran.routes.filter { $0 == "GET /team?version=v2" }.count == 5)
        #expect(ran.routes.filter { $0 == "POST /user/email-accounts" }.count == 3)
        #expect(ran.rows.map(\.state) == [.connected, .connected, .connected])
    }

    @Test func aRouteTheKeyCannotUseIsSkippedAndTheRunGoesOn() async throws {
        let ran = try await run([.text(404, "Not Found"), Self.team, .text(400, "Endpoint not available")])
        let warnings = try #require(ran.report.preflight?.warnings)
        #expect(warnings == ["GET /user/channels answered HTTP 404: Not Found; skipped; the plan was not checked",
                             "GET /users/usr_MEMBER1 answered HTTP 400: Endpoint not available; skipped; mailboxes already in the team were not checked"])
        #expect(ran.rows.map(\.state) == [.connected, .connected, .failed])
    }

    /// The Kelvin sign folds to `k` under Unicode case rules: a team mailbox spelled with it is another mailbox.
    @Test func aLookAlikeAddressIsNotTheRowsMailbox() async throws {
        let ran = try await run([
            Self.channels, Self.json(#"{"users":[{"userId":"usr_MEMBER1"}]}"#),
            Self.json(#"{"_id":"usr_MEMBER1","mailboxes":[{"_id":"usm_K","email":"\u212Aate@acme-mail.com"},{"_id":"usm_B","email":"BOB@acme-mail.com"}]}"#),
        ], rows: [apiRow("kate@acme-mail.com"), apiRow("bob@acme-mail.com")])
        #expect(ran.rows.map(\.state) == [.connected, .alreadyConnected])
        #expect(ran.rows[0].accountId != "usm_K" && ran.rows[1].accountId == "usm_B")
    }

    @Test func aMemberListedTwiceIsAskedForOnce() async throws {
        let ran = try await run([
            Self.channels, Self.json(#"{"users":[{"userId":"usr_MEMBER1"},{"userId":"usr_MEMBER1"},{"userId":"usr_MEMBER2"}]}"#),
            Self.json(#"{"mailboxes":[]}"#), Self.json(#"{"mailboxes":[]}"#),
        ])
        #expect(ran.routes.filter { $0.hasPrefix("GET /users/") } == ["GET /users/usr_MEMBER1", "GET /users/usr_MEMBER2"])
        #expect(ran.report.preflight?.requests == 4)
    }

    /// A server that repeats the request's headers shows the key as it was sent: base64 of ":key" after "Basic".
    @Test func aWarningNeverShowsTheKeyAsTheHeaderCarriedIt() async throws {
        let header = "Basic " + Data(":key".utf8).base64EncodedString()
        let ran = try await run([.text(404, "Not Found (Authorization: \(header))"), Self.team, .text(400, "Endpoint not available: key")])
        let warnings = try #require(ran.report.preflight?.warnings)
        #expect(warnings.first == "GET /user/channels answered HTTP 404: Not Found (Authorization: Basic <redacted>); skipped; the plan was not checked")
        #expect(!warnings.joined().contains(Data(":key".utf8).base64EncodedString()))
        #expect(warnings.last?.contains("Endpoint not available: <redacted>") == true)
    }
}
