import Foundation
import LemlistEmulator
import MailboxOnboard
import OnboardInput
import Testing
import TestSupport

extension EndToEnd {
    /// Each mailbox's daily limit and warm-up, from Instantly's and Smartlead's columns to the emulator's listings.
    @Suite struct Settings {
        static let members = ["usr_MEMBERA00000000001", "usr_MEMBERB00000000002"]
        static let environment = ["LEMLIST_API_KEY": "emulator-key"]

        /// What row `index` asks for: some blank, the rest varied.
        static func settings(_ index: Int) -> MailboxSettings {
            MailboxSettings(dailyLimit: index % 5 == 0 ? nil : 20 + index % 30, warmup: index % 4 == 0 ? nil : index % 3 != 0,
                            warmupMax: index % 2 == 0 ? 10 + index % 20 : nil, warmupRampup: index % 6 == 1 ? 1 + index % 4 : nil)
        }

        static func cell(_ value: Int?) -> String { value.map(String.init) ?? "" }

        /// Rows `range` in Instantly's template, each row's user alternating between the members; `invalid` rows get a
        /// daily limit of 0.
        static func instantly(_ range: Range<Int>, invalid: Set<Int> = [], in scratch: Scratch) throws -> String {
            var text = "Email,First Name,SMTP Host,SMTP Port,SMTP Username,SMTP Password,IMAP Host,IMAP Port,IMAP Username,IMAP Password,"
                + "Daily Limit,Warmup Enabled,Warmup Limit,Warmup Increment,lemlist user id\n"
            for index in range {
                let email = "box\(index)@acme-mail.com", wanted = settings(index)
                text += "\(email),Box,smtp.acme-mail.com,587,\(email),PLANTED-\(index)-qx,imap.acme-mail.com,993,\(email),PLANTED-\(index)-qx,"
                    + "\(invalid.contains(index) ? "0" : cell(wanted.dailyLimit)),\(wanted.warmup.map { $0 ? "TRUE" : "FALSE" } ?? ""),"
                    + "\(cell(wanted.warmupMax)),\(cell(wanted.warmupRampup)),\(members[index % 2])\n"
            }
            return try scratch.write("instantly.csv", text)
        }

        /// Rows `range` in Smartlead's template.
        static func smartlead(_ range: Range<Int>, invalid: Set<Int> = [], in scratch: Scratch) throws -> String {
            var text = "from_name,from_email,user_name,password,smtp_host,smtp_port,imap_host,imap_port,max_email_per_day,warmup_enabled,"
                + "total_warmup_per_day,daily_rampup,userId\n"
            for index in range {
                let email = "box\(index)@acme-mail.com", wanted = settings(index)
                text += "Box,\(email),\(email),PLANTED-\(index)-qx,smtp.acme-mail.com,587,imap.acme-mail.com,993,"
                    + "\(cell(wanted.dailyLimit)),\(invalid.contains(index) ? "sometimes" : wanted.warmup.map { $0 ? "yes" : "no" } ?? ""),"
                    + "\(cell(wanted.warmupMax)),\(cell(wanted.warmupRampup)),\(members[index % 2])\n"
            }
            return try scratch.write("smartlead.csv", text)
        }

        static func configuration(latency: ClosedRange<Duration> = .milliseconds(5) ... .milliseconds(20), rateLimit: Int = 20) -> EmulatorConfiguration {
            EmulatorConfiguration(rateLimit: rateLimit, latency: latency, teamMembers: Set(members), owner: members[0])
        }

        @Test func everyMailboxEndsWithItsRowsLimitAndWarmupAtAHundredLimitsARequest() async throws {
            let scratch = try Scratch()
            let invalid: Set<Int> = [7, 81, 140]
            let files = [try Self.instantly(0..<75, invalid: invalid, in: scratch), try Self.smartlead(75..<150, invalid: invalid, in: scratch)]
            try await withEmulator(Self.configuration()) { emulator in
                let run = try await Child.run(["run"] + files + ["--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--quiet"],
                                              environment: Self.environment, in: scratch)
                #expect(run.status == ExitStatus.invalidRows.rawValue, "\(run.err)")
                let stats = emulator.statistics
                let valid = (0..<150).filter { !invalid.contains($0) }
                #expect(stats.created.count == valid.count)
                for index in valid {
                    let sent = stats.settings["box\(index)@acme-mail.com"] ?? MailboxSettings()
                    #expect(sent == Self.settings(index), "box\(index): \(sent)")
                }
                let limits = valid.filter { Self.settings($0).dailyLimit != nil }.count
                #expect(stats.limitBatches.count == (limits + 99) / 100 && stats.limitBatches.allSatisfy { $0 <= 100 }, "\(stats.limitBatches)")
                #expect(stats.limitBatches.reduce(0, +) == limits)
                #expect(stats.settingsByAccountId == 0)
                #expect(stats.maxInWindow(key: "emulator-key", window: 2) <= 20)
                #expect(stats.settingsSent.values.allSatisfy { $0.values.allSatisfy { $0 == 1 } })
                #expect(run.out.contains("Settings of \(valid.filter { !Self.settings($0).isEmpty }.count) mailboxes"), "\(run.out)")
                let json = try await Child.run(["summary", "--json", "--rows", "--ledger", scratch.ledger], in: scratch)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
                let settings = try #require(object["settings"] as? [String: Int])
                #expect(settings == ["applied": valid.filter { !Self.settings($0).isEmpty }.count, "failed": 0, "pending": 0])
                let rows = try #require(object["rows"] as? [[String: Any]])
                let first = try #require(rows.first { $0["sender_email"] as? String == "box1@acme-mail.com" }?["settings"] as? [String: Any])
                #expect(first["daily_limit"] as? Int == 21 && first["warmup"] as? Bool == true && first["applied"] as? Bool == true)
            }
        }

        /// Killed during the settings step, then run again: every setting applied, none sent twice but one on the wire.
        @Test func aRunKilledDuringTheSettingsStepAppliesTheRestOnce() async throws {
            let scratch = try Scratch()
            let file = try Self.instantly(0..<120, in: scratch)
            try await withEmulator(Self.configuration(latency: .milliseconds(40) ... .milliseconds(80), rateLimit: 1000)) { emulator in
                let base = ["--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--quiet", "--rate", "1000/2s", "--concurrency", "4"]
                let child = try Child(["run", file] + base, environment: Self.environment, in: scratch)
                // 120 connects and 3 pre-flight requests, then the listings and limits, then warm-up under way.
                await emulator.waitForRequests(120 + 3 + 3 + 2 + 20)
                kill(child.process.processIdentifier, SIGKILL)
                #expect(await child.wait() == SIGKILL)
                let before = emulator.statistics.settingsSent.values.map { $0.values.reduce(0, +) }.reduce(0, +)
                #expect(before > 0, "killed before the settings step")
                let again = try await Child.run(["run"] + base, environment: Self.environment, in: scratch)
                #expect(again.status == 0, "\(again.err)")
                let stats = emulator.statistics
                for index in 0..<120 {
                    #expect((stats.settings["box\(index)@acme-mail.com"] ?? MailboxSettings()) == Self.settings(index), "box\(index)")
                }
                // A part is sent again only if it was on the wire at the kill: at most one per worker.
                let repeats = stats.settingsSent.values.flatMap(\.values).map { $0 - 1 }.reduce(0, +)
                #expect(repeats <= 4, "\(stats.settingsSent.filter { $0.value.values.contains { $0 > 1 } })")
                #expect(try ledgerSummary(scratch.ledger).settings.pending == 0)
            }
        }

        @Test func configureSendsOnlyTheFiveChangedLimitsInOnePatch() async throws {
            let scratch = try Scratch()
            let file = try Self.instantly(0..<40, in: scratch)
            try await withEmulator(Self.configuration()) { emulator in
                let base = ["--ledger", scratch.ledger, "--base-url", emulator.baseURL]
                #expect(try await Child.run(["run", file, "--quiet"] + base, environment: Self.environment, in: scratch).status == 0)
                let before = emulator.statistics
                // Five limits change; every other cell stays as it was.
                let changed: Set<Int> = [1, 2, 3, 4, 6]
                var text = try String(contentsOfFile: file, encoding: .utf8)
                for index in changed {
                    let old = "PLANTED-\(index)-qx,\(Self.cell(Self.settings(index).dailyLimit)),"
                    text = text.replacingOccurrences(of: old, with: "PLANTED-\(index)-qx,\(90 + index),")
                }
                try text.write(toFile: file, atomically: true, encoding: .utf8)
                let imported = try await Child.run(["import", file, "--ledger", scratch.ledger], in: scratch)
                #expect(imported.out.contains("5 connected with new settings to apply"), "\(imported.out)")
                let configure = try await Child.run(["configure"] + base, environment: Self.environment, in: scratch)
                #expect(configure.status == 0, "\(configure.err)")
                #expect(configure.out.contains("Settings of 5 mailboxes (1 request): 5 applied, 0 refused."), "\(configure.out)")
                let after = emulator.statistics
                #expect(after.limitBatches.dropFirst(before.limitBatches.count) == [5])
                #expect(after.received - before.received == 1)
                for index in changed { #expect(after.settings["box\(index)@acme-mail.com"]?.dailyLimit == 90 + index) }
            }
        }

        @Test func aRefusedLimitIsReportedListedAndExitsThirteen() async throws {
            let scratch = try Scratch()
            let file = try Self.instantly(0..<6, in: scratch)
            var text = try String(contentsOfFile: file, encoding: .utf8)
            text = text.replacingOccurrences(of: "PLANTED-2-qx,\(Self.cell(Self.settings(2).dailyLimit)),", with: "PLANTED-2-qx,500,")
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            var configuration = Self.configuration()
            configuration.maxDailyLimit = 100
            try await withEmulator(configuration) { emulator in
                let base = ["--ledger", scratch.ledger, "--base-url", emulator.baseURL]
                let run = try await Child.run(["run", file, "--quiet"] + base, environment: Self.environment, in: scratch)
                #expect(run.status == ExitStatus.settingsFailed.rawValue, "\(run.err)")
                #expect(run.out.contains("box2@acme-mail.com: daily limit: dailyEmailLimit above the plan's maximum of 100"), "\(run.out)")
                let csv = scratch.path("failed.csv")
                let summary = try await Child.run(["summary", "--failed-csv", csv, "--ledger", scratch.ledger], in: scratch)
                #expect(summary.out.contains("Settings (daily limit, warm-up): 5 applied, 1 refused, 0 to apply"), "\(summary.out)")
                let exported = try String(contentsOfFile: csv, encoding: .utf8)
                #expect(exported.contains("box2@acme-mail.com,connected,settings refused,daily limit: dailyEmailLimit above the plan's maximum of 100"),
                        "\(exported)")
                // Nothing changed, nothing due: configure sends nothing and still says the refusal stands.
                let configure = try await Child.run(["configure"] + base, environment: Self.environment, in: scratch)
                #expect(configure.status == ExitStatus.settingsFailed.rawValue && emulator.statistics.limitBatches.count == 1)
            }
        }
    }
}
