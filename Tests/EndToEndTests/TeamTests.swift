import Foundation
import LemlistEmulator
import MailboxOnboard
import OnboardInput
import Testing
import TestSupport

extension EndToEnd {
    /// Several lemlist teams in one run, each with its own key, through the built binary and the emulator.
    @Suite struct Teams {
        static let keys = ["Acme": "key-acme-7Q2", "Globex": "key-globex-9W4", "Initech": "key-initech-3E8"]

        /// `perTeam` mailboxes for each team, under a `Client` column, in one file, teams interleaved.
        func agencyFile(perTeam: Int, in scratch: Scratch) throws -> String {
            var text = "Client,Email,SMTP Host,SMTP Port,SMTP Username,SMTP Password,IMAP Host,IMAP Port,IMAP Username,IMAP Password,First Name\n"
            for index in 0..<perTeam {
                for team in Self.keys.keys.sorted() {
                    let email = "\(team.lowercased())\(index)@acme-mail.com"
                    text += "\(index % 2 == 0 ? team : " \(team.uppercased()) "),\(email),smtp.acme-mail.com,587,\(email),PLANTED-\(index)-qx,"
                        + "imap.acme-mail.com,993,\(email),PLANTED-\(index)-qx,Box\n"
                }
            }
            return try scratch.write("agency.csv", text)
        }

        func keyFile(_ keys: [String: String], in scratch: Scratch) throws -> String {
            let file = try scratch.write("teams.txt", "# one line per client\n" + keys.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "\n") + "\n")
            chmod(file, 0o600)
            return file
        }

        @Test func threeTeamsRunSideBySideEachWithinItsOwnKeysLimit() async throws {
            let scratch = try Scratch()
            let file = try agencyFile(perTeam: 150, in: scratch)
            try await withEmulator(EmulatorConfiguration(apiKeys: Set(Self.keys.values))) { emulator in
                let run = try await Child.run(["run", file, "--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--quiet",
                                               "--team-keys", try keyFile(Self.keys, in: scratch)], in: scratch)
                #expect(run.status == 0, "\(run.err)")
                let stats = emulator.statistics
                #expect(stats.created.count == 450 && stats.created.values.allSatisfy { $0 == 1 })
                for (team, key) in Self.keys {
                    let mine = stats.createdBy.filter { $0.key.hasPrefix(team.lowercased()) }
                    #expect(mine.count == 150 && mine.values.allSatisfy { $0 == key }, "\(team) rows were not all created under its key")
                    #expect(stats.maxInWindow(key: key, window: 2) <= 20, "\(team)")
                }
                // Side by side, not one after another: every key's requests span nearly the same stretch of time.
                let spans = Self.keys.values.map { key in (stats.arrivals[key]!.min()!, stats.arrivals[key]!.max()!) }
                let overlap = spans.map(\.1).min()! - spans.map(\.0).max()!
                let longest = spans.map { $0.1 - $0.0 }.max()!
                #expect(overlap > 0.8 * longest, "the teams' requests did not overlap: \(spans)")
                for name in try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) {
                    #expect(!Self.keys.values.contains { name.contains($0) }, "a file is named by a key: \(name)")
                }
                #expect(!run.out.contains("key-") && !run.err.contains("key-"))
                for team in Self.keys.keys {
                    // Each key's own pre-flight: its plan, its members, and the one member's mailboxes.
                    #expect(run.out.contains("Team \(team): Pre-flight (3 requests)"), "\(run.out)")
                }

                let json = try await Child.run(["summary", "--json", "--rows", "--ledger", scratch.ledger], in: scratch)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
                let byTeam = try #require(object["by_team"] as? [String: [String: Int]])
                #expect(Set(byTeam.keys) == ["Acme", "Globex", "Initech"] && byTeam.values.allSatisfy { $0["connected"] == 150 }, "\(byTeam)")
                let rows = try #require(object["rows"] as? [[String: Any]])
                #expect(rows.filter { ($0["team"] as? String)?.lowercased() == "globex" }.count == 150)
                let table = try await Child.run(["summary", "--ledger", scratch.ledger], in: scratch)
                #expect(table.out.contains("Initech"), "\(table.out)")
            }
        }

        @Test func aTeamMissingFromTheKeyFileStopsEverythingBeforeARequest() async throws {
            let scratch = try Scratch()
            let file = try agencyFile(perTeam: 5, in: scratch)
            try await withEmulator(EmulatorConfiguration(apiKeys: Set(Self.keys.values))) { emulator in
                var partial = Self.keys
                partial["Globex"] = nil
                let run = try await Child.run(["run", file, "--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--quiet",
                                               "--team-keys", try keyFile(partial, in: scratch)], environment: ["LEMLIST_API_KEY": "key-default"], in: scratch)
                #expect(run.status == ExitStatus.usage.rawValue, "\(run.err)")
                #expect(run.err.contains("has no key for Globex (5 rows)"), "\(run.err)")
                #expect(emulator.statistics.received == 0)
            }
        }

        @Test func aRefusedKeyLeavesItsTeamPendingWhileTheOthersFinish() async throws {
            let scratch = try Scratch()
            let file = try agencyFile(perTeam: 20, in: scratch)
            var accepted = Set(Self.keys.values)
            accepted.remove(Self.keys["Globex"]!)
            try await withEmulator(EmulatorConfiguration(apiKeys: accepted)) { emulator in
                let keyFile = try keyFile(Self.keys, in: scratch)
                chmod(keyFile, 0o644)
                let run = try await Child.run(["run", file, "--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--quiet",
                                               "--team-keys", keyFile], in: scratch)
                #expect(run.status == ExitStatus.unauthorized.rawValue, "\(run.err)")
                #expect(run.err.contains("team Globex") && run.err.contains("can be read by other users"), "\(run.err)")
                #expect(!run.err.contains(Self.keys["Globex"]!))
                let summary = try ledgerSummary(scratch.ledger)
                let globex = try #require(summary.byTeam.first { $0.team.lowercased() == "globex" })
                #expect(globex.count(.pending) == 20 && globex.count(.connected) == 0)
                #expect(summary.count(.connected) == 40)
            }
        }
    }
}
