import Foundation
import LemlistEmulator
import MailboxOnboard
import Testing
import OnboardInput
import TestSupport

/// The emulator answers like lemlist's endpoint is described, over real HTTP on loopback.
struct EmulatorTests {
    static func body(_ email: String = "ann@acme-mail.com", _ changes: [String: Any] = [:], drop: [String] = []) -> Secret {
        var object: [String: Any] = [
            "sender_name": "Ann", "sender_email": email, "smtp_host": "smtp.acme-mail.com", "smtp_port": 587,
            "smtp_login": email, "smtp_password": "pw", "imap_host": "imap.acme-mail.com", "imap_port": 993,
            "imap_login": email, "imap_password": "pw",
        ]
        for (key, value) in changes { object[key] = value }
        for key in drop { object[key] = nil }
        return Secret(String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }

    func withEmulator(_ configuration: EmulatorConfiguration = EmulatorConfiguration(), key: String = "emulator-key",
                      path: String = "/api", _ body: (HTTPTransport, LemlistEmulator) async throws -> Void) async throws {
        let emulator = try await LemlistEmulator.start(configuration: configuration)
        let client = HTTPTransport(baseURL: "http://127.0.0.1:\(emulator.port)\(path)", apiKey: Secret(key), concurrency: 4, timeout: .seconds(10))
        do {
            try await body(client, emulator)
        } catch {
            await client.shutdown()
            await emulator.stop()
            throw error
        }
        await client.shutdown()
        await emulator.stop()
    }

    func answer(_ reply: LemlistReply) -> (Int, String, RateLimitSignals)? {
        if case let .answer(status, _, body, signals) = reply { return (status, body, signals) }
        return nil
    }

    @Test func createsOnceThenSaysItAlreadyExists() async throws {
        try await withEmulator { client, emulator in
            let created = try #require(answer(await client.send(LemlistRequest(.connect, body: Self.body()))))
            #expect(created.0 == 201)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(created.1.utf8)) as? [String: String])
            #expect(object["id"]?.hasPrefix("umx_") == true && object["provider"] == "custom" && object["email"] == "ann@acme-mail.com")
            let again = try #require(answer(await client.send(LemlistRequest(.connect, body: Self.body("ANN@acme-mail.com")))))
            #expect(again.0 == 400 && again.1 == "This SMTP mailbox already exists")
            #expect(emulator.statistics.created == ["ann@acme-mail.com": 1])
            #expect(emulator.statistics.duplicateAttempts == 1)
        }
    }

    @Test func aWrongKeyIs401() async throws {
        try await withEmulator(key: "wrong") { client, _ in
            let reply = try #require(answer(await client.send(LemlistRequest(.connect, body: Self.body()))))
            #expect(reply.0 == 401 && reply.1 == "The authentication you supplied is incorrect")
        }
    }

    @Test(arguments: 0..<4)
    func missingOrMistypedFieldsAre400(_ index: Int) async throws {
        let cases: [([String: Any], [String])] = [
            (["smtp_port": "587"], []), ([:], ["imap_password"]), (["sender_name": ""], []), (["smtp_secure": "yes"], []),
        ]
        let (changes, drop) = cases[index]
        try await withEmulator { client, emulator in
            let reply = try #require(answer(await client.send(LemlistRequest(.connect, body: Self.body("a@acme-mail.com", changes, drop: drop)))))
            #expect(reply.0 == 400 && reply.1 == "Missing required fields")
            #expect(emulator.statistics.created.isEmpty)
        }
    }

    @Test(arguments: ["smtp.gmail.com", "127.0.0.1", "10.0.0.8", "localhost", "mail.banned.example"])
    func refusedHostsAreInvalidHost(_ host: String) async throws {
        try await withEmulator(EmulatorConfiguration(bannedHosts: ["mail.banned.example"])) { client, _ in
            let reply = try #require(answer(await client.send(LemlistRequest(.connect, body: Self.body("a@acme-mail.com", ["smtp_host": host])))))
            #expect(reply.0 == 400 && reply.1 == "Invalid host")
        }
    }

    @Test func aUserOutsideTheTeamIs403() async throws {
        try await withEmulator { client, _ in
            let outside = try #require(answer(await client.send(LemlistRequest(.connect, body: Self.body("a@acme-mail.com", ["userId": "usr_NOTINTEAM"])))))
            #expect(outside.0 == 403 && outside.1 == "User is not a member of this team")
            let inside = try #require(answer(await client.send(LemlistRequest(.connect, body: Self.body("b@acme-mail.com", ["userId": "usr_A1B2C3D4E5F6G7H8I9"])))))
            #expect(inside.0 == 201)
        }
    }

    @Test func theTwentyFirstRequestInTwoSecondsIs429WithLemlistsHeaders() async throws {
        try await withEmulator { client, emulator in
            for index in 0..<20 {
                let reply = try #require(answer(await client.send(LemlistRequest(.connect, body: Self.body("u\(index)@acme-mail.com")))))
                #expect(reply.0 == 201)
                #expect(reply.2.limit == 20 && reply.2.remaining == 19 - index)
                #expect(reply.2.resetAt != nil)
            }
            let limited = try #require(answer(await client.send(LemlistRequest(.connect, body: Self.body("late@acme-mail.com")))))
            #expect(limited.0 == 429)
            let retryAfter = try #require(limited.2.retryAfter)
            #expect(retryAfter >= .seconds(1) && retryAfter <= .seconds(2))
            #expect(emulator.statistics.created["late@acme-mail.com"] == nil)
        }
    }

    @Test func unknownPathsGetTheWebAppsHTMLAndOtherMethods405() async throws {
        try await withEmulator(path: "/v2") { client, _ in
            let reply = try #require(answer(await client.send(LemlistRequest(.connect, body: Self.body()))))
            #expect(reply.0 == 200 && reply.1.hasPrefix("<!DOCTYPE html>"))
        }
    }

    @Test func faultPlanParsesAndRejectsNonsense() {
        #expect(FaultPlan.parse("500=0.1,reset=0.05")?.probabilities == [.error500: 0.1, .reset: 0.05])
        #expect(FaultPlan.parse("500=2") == nil)
        #expect(FaultPlan.parse("teapot=0.1") == nil)
        #expect(FaultPlan.parse("500=0.6,503=0.6") == nil)
        #expect(EmulatorConfiguration.parseLatency("50ms..2s") == .milliseconds(50) ... .seconds(2))
    }
}
