import Foundation
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// Reading a team and removing mailboxes, on the scripted transport and a virtual clock.
struct FleetPassTests {
    static let configuration = RunConfiguration(baseURL: "https://api.lemlist.com/api", apiKey: Secret("key"), concurrency: 1,
                                                retry: RetryPolicy(base: .seconds(1), cap: .seconds(60), maxAttempts: 3, maxThrottled: 50))

    static let team = LemlistReply.json(#"{"users":[{"userId":"usr_1"},{"userId":"usr_2"},{"userId":"usr_1"}]}"#)
    static func user(_ emails: [String], status: String = "CONNECTED") -> LemlistReply {
        LemlistReply.json(#"{"mailboxes":["# + emails.map { #"{"_id":"usm_\#($0.prefix(3))","email":"\#($0)","status":"\#(status)","lemwarm":{"active":true}}"# }
            .joined(separator: ",") + "]}")
    }

    func lane(_ script: [LemlistReply]) -> (Lane<JumpClock>, ScriptedTransport<JumpClock>) {
        let clock = JumpClock()
        let transport = ScriptedTransport(clock: clock, script: script, otherwise: .text(500, "script spent"))
        return (Lane(transport: transport, configuration: Self.configuration, clock: clock, random: { 0.5 }, logger: quietLogger), transport)
    }

    @Test func aMemberWhoseListingFailsIsAWarningAndTheRestIsRead() async throws {
        let (lane, transport) = lane([Self.team, .text(400, "Endpoint not available"), Self.user(["bob@acme-mail.com"], status: "ERROR"),
                                      LemlistReply.json(#"{"data":{"errors":[]}}"#)])
        let reading = try await TeamReader(lane: lane).read(warmupErrors: true)
        #expect(reading.mailboxes.map(\.email) == ["bob@acme-mail.com"] && reading.mailboxes.first?.status == "ERROR")
        #expect(reading.warnings == ["GET /users/usr_1 answered HTTP 400: Endpoint not available; that member's mailboxes are left out"])
        #expect(!reading.complete && reading.warmupErrors?.isEmpty == true && reading.requests == 4)
        #expect(transport.sent.map(\.request.endpoint) == [.team, .user(id: "usr_1"), .user(id: "usr_2"), .warmupErrors])
    }

    @Test func aThrottledListingWaitsItsRetryAfterAndIsReadWhole() async throws {
        let (lane, transport) = lane([Self.team, Self.user(["ann@acme-mail.com"]), .text(429, "Too many", RateLimitSignals(retryAfter: .seconds(5))),
                                      Self.user(["bob@acme-mail.com"]), .text(404, "Not found")])
        let reading = try await TeamReader(lane: lane).read(warmupErrors: true)
        #expect(reading.mailboxes.map(\.email) == ["ann@acme-mail.com", "bob@acme-mail.com"] && reading.complete)
        #expect(transport.sent[2].at.duration(to: transport.sent[3].at) >= .seconds(5))
        // A key that cannot read warm-up errors: a warning, that part left out.
        #expect(reading.warmupErrors == nil && reading.warnings.first?.hasPrefix("GET /lemwarm/errors answered HTTP 404") == true)
    }

    @Test(arguments: [(200, 1, 0), (404, 1, 0), (403, 0, 1)])
    func eachDeleteAnswerIsRecordedBeforeTheNext(_ status: Int, _ disconnected: Int, _ refused: Int) async throws {
        let scratch = try Scratch()
        let ledger = try Ledger(path: scratch.ledger)
        let reply: LemlistReply = status == 200 ? LemlistReply.json(#"{"ok":true}"#) : .text(status, status == 404 ? "Email account not found" : "Not allowed")
        let (lane, transport) = lane([reply])
        var removal = KeyRemoval(reading: TeamReading())
        try await DisconnectPass(ledger: ledger, lane: lane).run([DisconnectCandidate(email: "Ann@acme-mail.com", team: "", id: "usm_ann", status: "CONNECTED")],
                                                                into: &removal)
        #expect(removal.disconnected == disconnected && removal.refused.count == refused && transport.sent.map(\.request.endpoint) == [.disconnect(accountId: "usm_ann")])
        let known = try await ledger.knownMailboxes(["ann@acme-mail.com"])["ann@acme-mail.com"]
        #expect(known?.state == (refused == 1 ? .failed : .disconnected) && known?.disconnectSent == false)
    }

    @Test func aRefusedKeyStopsTheRemovalsAndLeavesTheRestForTheNextRun() async throws {
        let scratch = try Scratch()
        let ledger = try Ledger(path: scratch.ledger)
        let (lane, transport) = lane([.text(401, "The authentication you supplied is incorrect")])
        var removal = KeyRemoval(reading: TeamReading())
        let candidates = (0..<3).map { DisconnectCandidate(email: "b\($0)@acme-mail.com", team: "", id: "usm_\($0)", status: "CONNECTED") }
        try await DisconnectPass(ledger: ledger, lane: lane).run(candidates, into: &removal)
        guard case .unauthorized? = removal.stop else { Issue.record("\(String(describing: removal.stop))"); return }
        #expect(transport.sent.count == 1 && removal.disconnected == 0)
        // The one sent is on file as sent, so a later run that finds it gone records it without a request.
        #expect(try await ledger.knownMailboxes(["b0@acme-mail.com"])["b0@acme-mail.com"]?.disconnectSent == true)
    }
}
