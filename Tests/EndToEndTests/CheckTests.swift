import Foundation
import LemlistEmulator
import MailboxOnboard
import OnboardInput
import Testing
import TestSupport

/// Real SMTP (aiosmtpd) and IMAP (Dovecot) servers knowing box0...box39@acme-mail.com with the planted passwords
/// `Scratch.mailboxes` writes; box4's SMTP password at the server differs from the spreadsheet's.
let checkServers = Result {
    var smtp: [String: String] = [:], imap: [String: String] = [:]
    for index in 0..<40 {
        smtp["box\(index)@acme-mail.com"] = "PLANTED-smtp-\(index)-qx"
        imap["box\(index)@acme-mail.com"] = "PLANTED-imap-\(index)-qx"
    }
    smtp["box4@acme-mail.com"] = "changed at the provider"
    return try MailServers(smtpUsers: smtp, imapUsers: imap)
}

extension EndToEnd {
    /// `check` and `run --check` through the built binary, against real mail servers and the emulator.
    @Suite struct Check {
        let servers: MailServers
        let mailOptions: [String]

        init() throws {
            servers = try checkServers.get()
            // The rows' domain (acme-mail.com) is not one the tests serve: the DNS check has its own tests.
            mailOptions = servers.connectTo.flatMap { ["--connect-to", $0] } + ["--ca-file", servers.caFile, "--no-dns"]
        }

        /// Six mailboxes: box4's SMTP password is out of date, box5's IMAP host has nothing listening.
        func sixMailboxes(in scratch: Scratch) throws -> String {
            let file = try scratch.mailboxes(6)
            let text = try String(contentsOfFile: file, encoding: .utf8)
                .replacingOccurrences(of: "imap.acme-mail.com,993,box5", with: "closed.acme-mail.com,993,box5")
            return try scratch.write("mailboxes.csv", text)
        }

        /// Every password of `count` planted mailboxes in each form a conversation carries it.
        func secrets(_ count: Int) -> [String] {
            (0..<count).flatMap { index -> [String] in
                let login = "box\(index)@acme-mail.com"
                return ["smtp", "imap"].flatMap { proto -> [String] in
                    let password = "PLANTED-\(proto)-\(index)-qx"
                    return [password, Data(password.utf8).base64EncodedString(), Data("\0\(login)\0\(password)".utf8).base64EncodedString()]
                }
            }
        }

        @Test func checkFindsWhichMailboxesWorkAndRunHoldsTheRestBack() async throws {
            let scratch = try Scratch()
            let file = try sixMailboxes(in: scratch)
            let check = try await Child.run(["check", file, "--ledger", scratch.ledger, "--log-level", "trace", "--quiet"] + mailOptions, in: scratch)
            #expect(check.status == ExitStatus.checkFailed.rawValue, "\(check.err)")
            #expect(check.out.contains("Checked 6 mailboxes: 4 passed, 2 failed."), "\(check.out)")
            #expect(check.out.contains("box4@acme-mail.com: SMTP: 535 5.7.8 Authentication credentials invalid · hint: SMTP: the server refused the login"),
                    "\(check.out)")
            #expect(check.out.contains("box5@acme-mail.com: IMAP: connection refused on port 993 · hint: IMAP: nothing accepts connections"), "\(check.out)")
            for secret in secrets(6) {
                #expect(!check.out.contains(secret) && !check.err.contains(secret), "a password or its encoding was printed")
            }

            let json = try await Child.run(["summary", "--json", "--rows", "--ledger", scratch.ledger], in: scratch)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
            #expect((object["checks"] as? [String: Int]) == ["passed": 4, "failed": 2])
            #expect(object["held"] as? Int == 2)
            let rows = try #require(object["rows"] as? [[String: Any]])
            let box4 = try #require(rows.first { $0["sender_email"] as? String == "box4@acme-mail.com" }?["check"] as? [String: Any])
            #expect(box4["passed"] as? Bool == false && box4["imap"] is NSNull)
            #expect((box4["smtp"] as? String)?.hasPrefix("535 5.7.8") == true, "\(box4)")
            let box0 = try #require(rows.first { $0["sender_email"] as? String == "box0@acme-mail.com" }?["check"] as? [String: Any])
            #expect(box0["passed"] as? Bool == true && box0["smtp"] is NSNull && box0["imap"] is NSNull)

            let export = scratch.path("fix.csv")
            _ = try await Child.run(["summary", "--ledger", scratch.ledger, "--failed-csv", export], in: scratch)
            let exported = try String(contentsOfFile: export, encoding: .utf8)
            #expect(exported.split(separator: "\r\n").count == 3, "\(exported)")
            #expect(exported.contains("box4@acme-mail.com,pending,\"SMTP: the server refused the login and password"), "\(exported)")

            // run sends the four that work and holds the two back, keeping their passwords for the next check.
            try await withEmulator { emulator in
                let environment = ["LEMLIST_API_KEY": "emulator-key"]
                let run = try await Child.run(["run", "--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--quiet"],
                                              environment: environment, in: scratch)
                #expect(run.status == ExitStatus.checkFailed.rawValue, "\(run.err)")
                #expect(Set(emulator.statistics.created.keys) == ["box0@acme-mail.com", "box1@acme-mail.com", "box2@acme-mail.com", "box3@acme-mail.com"])
                #expect(run.out.contains("held"), "\(run.out)")

                // New credentials for box4 clear its check; checking again passes it, and box5 still fails.
                let fixed = try String(contentsOfFile: file, encoding: .utf8)
                    .replacingOccurrences(of: "PLANTED-smtp-4-qx", with: "changed at the provider")
                try scratch.write("mailboxes.csv", fixed)
                let recheck = try await Child.run(["check", file, "--ledger", scratch.ledger, "--quiet"] + mailOptions, in: scratch)
                #expect(recheck.status == ExitStatus.checkFailed.rawValue, "\(recheck.err)")
                #expect(recheck.out.contains("Checked 2 mailboxes: 1 passed, 1 failed."), "\(recheck.out)")

                let rest = try await Child.run(["run", "--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--quiet", "--include-failed-checks"],
                                               environment: environment, in: scratch)
                #expect(rest.status == 0, "\(rest.err)")
                #expect(emulator.statistics.created.count == 6 && emulator.statistics.created.values.allSatisfy { $0 == 1 })
                let ledgerBytes = try Data(contentsOf: URL(fileURLWithPath: scratch.ledger))
                for secret in secrets(6) + ["changed at the provider"] {
                    #expect(ledgerBytes.range(of: Data(secret.utf8)) == nil, "a password survived in the ledger of terminal jobs")
                }
            }
        }

        /// Repeated refusals lock accounts at several providers: a refused login is made once per check, as Dovecot's
        /// own log shows, while a refused connection (box5 above) may be tried again.
        @Test func aRefusedLoginIsTriedOncePerCheck() async throws {
            let scratch = try Scratch()
            let file = try scratch.mailboxes(7)
            let text = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "PLANTED-imap-6-qx", with: "out-of-date")
            try scratch.write("mailboxes.csv", text)
            let check = try await Child.run(["check", file, "--ledger", scratch.ledger, "--quiet"] + mailOptions, in: scratch)
            #expect(check.status == ExitStatus.checkFailed.rawValue, "\(check.err)")
            let log = servers.folder.path("dovecot.log")
            func refusals() -> [Substring] {
                ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n")
                    .filter { $0.contains("auth failed") && $0.contains("user=<box6@acme-mail.com>") }
            }
            // Dovecot logs a refused session when it ends, which may be just after the check returns.
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while refusals().isEmpty, ContinuousClock.now < deadline {
                let size = (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0
                _ = await waitForFile(log, atLeast: size + 1) { ContinuousClock.now >= deadline }
            }
            let lines = refusals()
            #expect(lines.count == 1 && lines[0].contains("1 attempts"), "\(lines)")
        }

        @Test func runCheckLogsInJustBeforeSendingAndHoldsFailures() async throws {
            let scratch = try Scratch()
            let file = try sixMailboxes(in: scratch)
            try await withEmulator { emulator in
                let run = try await Child.run(["run", file, "--check", "--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--quiet",
                                               "--log-level", "trace"] + mailOptions,
                                              environment: ["LEMLIST_API_KEY": "emulator-key"], in: scratch)
                #expect(run.status == ExitStatus.checkFailed.rawValue, "\(run.err)")
                #expect(emulator.statistics.created.count == 4)
                #expect(emulator.statistics.created["box4@acme-mail.com"] == nil && emulator.statistics.created["box5@acme-mail.com"] == nil)
                #expect(run.out.contains("Checked 6 mailboxes: 4 passed, 2 failed."), "\(run.out)")
                for secret in secrets(6) {
                    #expect(!run.out.contains(secret) && !run.err.contains(secret), "a password or its encoding was printed")
                }
                let summary = try ledgerSummary(scratch.ledger)
                #expect(summary.checks == Summary.CheckCounts(passed: 4, failed: 2, held: 2))
                #expect(summary.count(.connected) == 4 && summary.count(.pending) == 2)
            }
        }
    }
}
