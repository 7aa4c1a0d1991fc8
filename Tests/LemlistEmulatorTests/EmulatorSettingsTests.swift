import Foundation
@testable import LemlistEmulator
import MailboxOnboard
import OnboardInput
import Testing
import TestSupport

/// The settings routes, as strict as the reference: `usm_` ids only, 100 accounts a request, whole limits of at least
/// 1, the key and the limit on every route, and listings that show what was set.
extension EmulatorTests {
    /// Connects `email` and returns its account id and its listing's id.
    func connect(_ client: HTTPTransport, _ email: String) async throws -> (account: String, listing: String) {
        let created = try #require(answer(await client.send(LemlistRequest(.connect, body: Self.body(email)))))
        let account = try #require((try JSONSerialization.jsonObject(with: Data(created.1.utf8)) as? [String: Any])?["id"] as? String)
        let user = try #require(answer(await client.send(LemlistRequest(.user(id: "usr_A1B2C3D4E5F6G7H8I9")))))
        let listing = try TeamAnswers.listing(user.1, userId: "usr_A1B2C3D4E5F6G7H8I9") { $0 }.first { $0.email == email }?.id
        return (account, try #require(listing))
    }

    func limits(_ accounts: [(String, Any)]) -> Secret {
        let list = accounts.map { ["id": $0.0, "dailyEmailLimit": $0.1] }
        return Secret(String(decoding: try! JSONSerialization.data(withJSONObject: ["emailAccounts": list]), as: UTF8.self))
    }

    @Test func limitsAndWarmupTakeTheListingsIdAndShowInTheListing() async throws {
        try await withEmulator { client, emulator in
            let ids = try await connect(client, "ann@acme-mail.com")
            #expect(ids.account.hasPrefix("umx_") && ids.listing.hasPrefix("usm_"))
            let patched = try #require(answer(await client.send(LemlistRequest(.sendingSettings, body: limits([(ids.listing, 35), (ids.account, 35)])))))
            #expect(patched.0 == 200)
            let read = try SendingSettingsAnswer.read(patched.1) { $0 }
            #expect(read.updated == [ids.listing] && read.reasons == [ids.account: "Mailbox not found"])
            #expect(answer(await client.send(LemlistRequest(.warmupSwitch(mailboxId: ids.account, on: true))))?.0 == 404)
            #expect(answer(await client.send(LemlistRequest(.warmupSettings(mailboxId: ids.listing), body: Secret(#"{"warmEmailMax":12}"#))))?.0 == 200)
            #expect(answer(await client.send(LemlistRequest(.warmupSwitch(mailboxId: ids.listing, on: true))))?.0 == 200)
            let user = try #require(answer(await client.send(LemlistRequest(.user(id: "usr_A1B2C3D4E5F6G7H8I9")))))
            let mailbox = try #require(((try JSONSerialization.jsonObject(with: Data(user.1.utf8)) as? [String: Any])?["mailboxes"] as? [[String: Any]])?.first)
            #expect((mailbox["lemlist"] as? [String: Any])?["emailLimit"] as? Int == 35 && (mailbox["lemwarm"] as? [String: Any])?["active"] as? Bool == true)
            #expect(emulator.statistics.settings["ann@acme-mail.com"] == MailboxSettings(dailyLimit: 35, warmup: true, warmupMax: 12))
            #expect(emulator.statistics.settingsByAccountId == 2)
        }
    }

    @Test(arguments: [0, 1, 2, 3])
    func aBadLimitRequestIs400AndChangesNothing(_ index: Int) async throws {
        try await withEmulator { client, emulator in
            let ids = try await connect(client, "ann@acme-mail.com")
            let bodies: [Secret] = [
                limits(Array(repeating: (ids.listing, 30), count: 101)), limits([(ids.listing, 0)]), limits([(ids.listing, 12.5)]),
                limits([(ids.listing, true)]),
            ]
            let reply = try #require(answer(await client.send(LemlistRequest(.sendingSettings, body: bodies[index]))))
            #expect(reply.0 == 400 && reply.1.hasPrefix("Bad params"), "\(reply)")
            #expect(emulator.statistics.settings.isEmpty)
        }
    }

    @Test func everySettingsRouteWantsTheKeyAndCountsAgainstTheLimit() async throws {
        try await withEmulator(key: "wrong") { client, _ in
            for endpoint in [LemlistEndpoint.sendingSettings, .warmupSettings(mailboxId: "usm_1"), .warmupSwitch(mailboxId: "usm_1", on: false)] {
                #expect(answer(await client.send(LemlistRequest(endpoint, body: Secret("{}"))))?.0 == 401, "\(endpoint)")
            }
        }
        try await withEmulator(EmulatorConfiguration(rateLimit: 2)) { client, _ in
            let statuses = await [0, 1, 2].asyncMap { _ in answer(await client.send(LemlistRequest(.warmupSwitch(mailboxId: "usm_1", on: true))))?.0 }
            #expect(statuses == [404, 404, 429])
        }
    }

    @Test func bothWarmupFamiliesAreServedAndOnlyTheOlderHasPause() {
        #expect(EmulatorCore.Route(path: "/api/lemwarm/usm_1/pause") == .warmup(id: "usm_1", action: "pause"))
        #expect(EmulatorCore.Route(path: "/api/warmup/usm_1/start") == .warmup(id: "usm_1", action: "start"))
        #expect(EmulatorCore.Route(path: "/api/warmup/usm_1/settings") == .warmup(id: "usm_1", action: "settings"))
        #expect(EmulatorCore.Route(path: "/api/warmup/usm_1/pause") == nil)
        #expect(EmulatorCore.Route(path: "/api/user/sending-settings?scope=team") == .sendingSettings)
    }
}

extension Array {
    /// `transform` on each element in order, one after another.
    func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var results: [T] = []
        for element in self { results.append(await transform(element)) }
        return results
    }
}
