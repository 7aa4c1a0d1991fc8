import Foundation
import LemlistEmulator
import MailboxOnboard
import OnboardInput
import Testing
import TestSupport

extension EndToEnd {
    /// After onboarding: `status` across teams and `disconnect`, through the built binary and the emulator.
    @Suite struct Fleet {
        static let keys = ["Acme": "key-acme-7Q2", "Globex": "key-globex-9W4"]

        /// `perTeam` mailboxes of each team, `<team><i>@acme-mail.com`, under a `Client` column.
        func teamsFile(perTeam: Int, in scratch: Scratch) throws -> String {
            var text = "Client,Email,SMTP Host,SMTP Port,SMTP Username,SMTP Password,IMAP Host,IMAP Port,IMAP Username,IMAP Password,First Name\n"
            for team in Self.keys.keys.sorted() {
                for index in 0..<perTeam {
                    let email = "\(team.lowercased())\(index)@acme-mail.com"
                    text += "\(team),\(email),smtp.acme-mail.com,587,\(email),PLANTED-\(index)-qx,imap.acme-mail.com,993,\(email),PLANTED-\(index)-qx,Box\n"
                }
            }
            return try scratch.write("teams.csv", text)
        }

        func keyFile(in scratch: Scratch) throws -> String {
            let file = try scratch.write("keys.txt", Self.keys.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "\n") + "\n")
            chmod(file, 0o600)
            return file
        }

        /// Every listed mailbox of `status --json`, by email.
        func mailboxes(_ json: String) throws -> [String: [String: Any]] {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let teams = try #require(object["teams"] as? [[String: Any]])
            var all: [String: [String: Any]] = [:]
            for team in teams {
                for mailbox in team["mailboxes"] as? [[String: Any]] ?? [] {
                    all["\(team["name"] ?? "")/\(mailbox["email"] ?? "")"] = mailbox
                }
            }
            return all
        }

        @Test func statusListsEveryTeamsMailboxesWithTheirHealthAndExitsTwelve() async throws {
            let scratch = try Scratch()
            let file = try teamsFile(perTeam: 4, in: scratch)
            var configuration = EmulatorConfiguration(apiKeys: Set(Self.keys.values), existingMailboxes: ["legacy@acme-mail.com"])
            configuration.mailboxStatus = ["acme1@acme-mail.com": "ERROR", "globex2@acme-mail.com": "DISCONNECTED", "legacy@acme-mail.com": "ERROR"]
            configuration.warmupErrors = ["acme3@acme-mail.com": "setup", "globex0@acme-mail.com": "reputation"]
            try await withEmulator(configuration) { emulator in
                let base = ["--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--team-keys", try keyFile(in: scratch)]
                #expect(try await Child.run(["run", file, "--quiet"] + base, in: scratch).status == 0)
                let before = emulator.statistics
                let status = try await Child.run(["status", "--json"] + base, in: scratch)
                #expect(status.status == ExitStatus.unhealthy.rawValue, "\(status.err)")
                let listed = try mailboxes(status.out)
                #expect(listed.count == 10, "\(listed.keys.sorted())")
                #expect(listed["Acme/acme1@acme-mail.com"]?["status"] as? String == "ERROR")
                #expect(listed["Globex/globex2@acme-mail.com"]?["status"] as? String == "DISCONNECTED")
                let setup = try #require(listed["Acme/acme3@acme-mail.com"]?["warmup_error"] as? [String: Any])
                #expect(setup["family"] as? String == "setup" && setup["title"] as? String == "DNS records missing")
                #expect((listed["Globex/globex0@acme-mail.com"]?["warmup_error"] as? [String: Any])?["code"] as? String == "BOUNCE_RATE")
                #expect(listed["Acme/legacy@acme-mail.com"]?["in_ledger"] as? Bool == false && listed["Acme/legacy@acme-mail.com"]?["ledger_state"] is NSNull)
                #expect(listed["Acme/acme0@acme-mail.com"]?["in_ledger"] as? Bool == true && listed["Acme/acme0@acme-mail.com"]?["ledger_state"] as? String == "connected")
                #expect(listed["Acme/acme0@acme-mail.com"]?["warmup_error"] is NSNull)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [String: Any])
                #expect(object["unhealthy"] as? Int == 6)
                // Per key: the team, its one member, the warm-up errors.
                let after = emulator.statistics
                #expect(after.received - before.received == 6)
                for key in Self.keys.values { #expect(after.maxInWindow(key: key, window: 2) <= 20) }
                let table = try await Child.run(["status"] + base, in: scratch)
                let acme = try #require(table.out.components(separatedBy: "Team Acme").last)
                #expect(acme.contains("Acme: 5 mailboxes, 2 healthy, 3 unhealthy."), "\(table.out)")
                // Unhealthy first.
                #expect(try #require(acme.range(of: "acme1@acme-mail.com")).lowerBound < (try #require(acme.range(of: "acme0@acme-mail.com"))).lowerBound)
                let summary = try await Child.run(["summary", "--ledger", scratch.ledger], in: scratch)
                #expect(summary.out.contains("In lemlist at the last status: 6 CONNECTED, 1 DISCONNECTED, 1 ERROR; 2 kept out of warm-up"), "\(summary.out)")
            }
        }

        @Test func statusOfHealthyTeamsExitsZero() async throws {
            let scratch = try Scratch()
            let file = try teamsFile(perTeam: 3, in: scratch)
            try await withEmulator(EmulatorConfiguration(apiKeys: Set(Self.keys.values))) { emulator in
                let base = ["--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--team-keys", try keyFile(in: scratch)]
                #expect(try await Child.run(["run", file, "--quiet"] + base, in: scratch).status == 0)
                let status = try await Child.run(["status"] + base, in: scratch)
                #expect(status.status == 0, "\(status.err)")
                #expect(status.out.contains("Acme: 3 mailboxes, 3 healthy, 0 unhealthy.") && status.out.contains("Globex: 3 mailboxes, 3 healthy, 0 unhealthy."))
            }
        }

        /// The emails of `count` mailboxes `box<i>`, in a file with only an email column.
        func listFile(_ count: Int, in scratch: Scratch) throws -> String {
            try scratch.write("list.csv", "Email\n" + (0..<count).map { "box\($0)@acme-mail.com\n" }.joined())
        }

        @Test func disconnectShowsFirstThenRemovesEachOnceEvenWhenKilledMidWay() async throws {
            let scratch = try Scratch()
            let file = try scratch.mailboxes(30)
            var configuration = EmulatorConfiguration(rateLimit: 1000, latency: .milliseconds(40) ... .milliseconds(80))
            configuration.undeletable = ["box29@acme-mail.com"]
            try await withEmulator(configuration) { emulator in
                let environment = ["LEMLIST_API_KEY": "emulator-key"]
                let base = ["--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--rate", "1000/2s", "--concurrency", "4"]
                #expect(try await Child.run(["run", file, "--quiet"] + base, environment: environment, in: scratch).status == 0)
                let list = try listFile(30, in: scratch)
                let look = try await Child.run(["disconnect", list] + base, environment: environment, in: scratch)
                #expect(look.status == 0 && look.out.contains("30 mailboxes selected; nothing was removed."), "\(look.out)\(look.err)")
                #expect(emulator.statistics.byRoute["DELETE /user/email-accounts/{id}"] == nil)
                let before = emulator.statistics.received
                let child = try Child(["disconnect", list, "--yes"] + base, environment: environment, in: scratch)
                await emulator.waitForRequests(before + 2 + 10)
                kill(child.process.processIdentifier, SIGKILL)
                #expect(await child.wait() == SIGKILL)
                let atKill = emulator.statistics.deleted.count
                #expect(atKill > 0 && atKill < 29, "not killed mid-way: \(atKill)")
                let again = try await Child.run(["disconnect", list, "--yes"] + base, environment: environment, in: scratch)
                #expect(again.status == ExitStatus.failedJobs.rawValue, "\(again.out)\(again.err)")
                #expect(again.out.contains("refused: box29@acme-mail.com: HTTP 403: You are not allowed to modify this mailbox"), "\(again.out)")
                let stats = emulator.statistics
                #expect(stats.deleted.count == 29 && stats.deleted.values.allSatisfy { $0 == 1 })
                // A DELETE is sent again only if it was on the wire at the kill: at most one per worker.
                #expect((stats.byRoute["DELETE /user/email-accounts/{id}"] ?? 0) <= 30 + 1 + 4, "\(stats.byRoute)")
                let summary = try ledgerSummary(scratch.ledger)
                #expect(summary.count(.disconnected) == 29 && summary.count(.failed) == 1)
                // Nothing is sent for what is on file; run sends nothing for a disconnected job.
                let third = try await Child.run(["disconnect", list, "--yes"] + base, environment: environment, in: scratch)
                #expect(third.out.contains("1 mailbox selected"), "\(third.out)")
                let run = try await Child.run(["run", "--quiet"] + base, environment: environment, in: scratch)
                #expect(run.status == ExitStatus.failedJobs.rawValue && emulator.statistics.byRoute["POST /user/email-accounts"] == 30)
                // Imported again, a disconnected row is a new mailbox (and the one lemlist kept is already there).
                let imported = try await Child.run(["run", file, "--quiet"] + base, environment: environment, in: scratch)
                #expect(imported.status == 0, "\(imported.err)")
                #expect(emulator.statistics.created.values.filter { $0 == 2 }.count == 29)
                let last = try ledgerSummary(scratch.ledger)
                #expect(last.count(.connected) == 29 && last.count(.alreadyConnected) == 1)
            }
        }

        @Test func disconnectByTeamRemovesThatTeamOnlyAndRecordsMailboxesTheLedgerDidNotKnow() async throws {
            let scratch = try Scratch()
            let file = try teamsFile(perTeam: 3, in: scratch)
            try await withEmulator(EmulatorConfiguration(apiKeys: Set(Self.keys.values), existingMailboxes: ["legacy@acme-mail.com"])) { emulator in
                let base = ["--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--team-keys", try keyFile(in: scratch)]
                #expect(try await Child.run(["run", file, "--quiet"] + base, in: scratch).status == 0)
                let result = try await Child.run(["disconnect", "--team", "acme", "--yes"] + base, in: scratch)
                #expect(result.status == 0, "\(result.out)\(result.err)")
                #expect(Set(emulator.statistics.deleted.keys) == ["acme0@acme-mail.com", "acme1@acme-mail.com", "acme2@acme-mail.com", "legacy@acme-mail.com"])
                let summary = try ledgerSummary(scratch.ledger)
                #expect(summary.count(.disconnected) == 4 && summary.count(.connected) == 3)
                #expect(summary.byTeam.first { $0.team == "Globex" }?.count(.connected) == 3)
                // The mailbox the ledger did not know is on file under the team it was removed from.
                #expect(summary.byTeam.first { $0.team == "Acme" }?.count(.disconnected) == 4)
            }
        }

        @Test func failedVerificationSelectsTheFailedTestsAndAnUnknownAddressIsSkipped() async throws {
            let scratch = try Scratch()
            let file = try scratch.mailboxes(6)
            try await withEmulator(EmulatorConfiguration(testFailures: ["box4@acme-mail.com": ("535 bad", nil)])) { emulator in
                let environment = ["LEMLIST_API_KEY": "emulator-key"]
                let base = ["--ledger", scratch.ledger, "--base-url", emulator.baseURL]
                #expect(try await Child.run(["run", file, "--quiet", "--verify"] + base, environment: environment, in: scratch).status
                        == ExitStatus.verificationFailed.rawValue)
                let look = try await Child.run(["disconnect", "--failed-verification"] + base, environment: environment, in: scratch)
                #expect(look.status == 0 && look.out.contains("box4@acme-mail.com") && look.out.contains("1 mailbox selected; nothing was removed."),
                        "\(look.out)")
                #expect(!look.out.contains("box3@acme-mail.com"))
                let other = try scratch.write("other.json", #"[{"email": "nobody@acme-mail.com", "password": "PLANTED-x-qx"}, {"email": "box1@acme-mail.com"}]"#)
                let mixed = try await Child.run(["disconnect", other] + base, environment: environment, in: scratch)
                #expect(mixed.out.contains("not in the team(s), skipped: nobody@acme-mail.com") && mixed.out.contains("1 mailbox selected"), "\(mixed.out)")
                #expect(!mixed.out.contains("PLANTED") && emulator.statistics.byRoute["DELETE /user/email-accounts/{id}"] == nil)
            }
        }
    }
}
