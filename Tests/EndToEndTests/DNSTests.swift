import Foundation
import LemlistEmulator
import MailboxOnboard
import Testing
import TestSupport

extension EndToEnd {
    /// `check --dns-server` through the built binary, against unbound serving twelve sending domains, real mail
    /// servers for the logins and the emulator for the run after it.
    @Suite struct DNS {
        /// Six domains that fail (their mailboxes must be held) and six that pass, with or without warnings.
        static let failing = ["no-mx.test", "null-mx.test", "no-spf.test", "two-spf.test", "plus-all.test", "eleven-lookups.test"]
        static let passing = ["healthy.test", "ten-lookups.test", "split-spf.test", "no-dmarc.test", "no-dkim.test", TestZones.unanswered]

        /// Two mailboxes on each domain; every login works.
        static func emails() -> [String] {
            (failing + passing).flatMap { domain in ["ann@\(domain)", "bob@\(domain)"] }
        }

        @Test func checkHoldsExactlyTheMailboxesOfFailingDomainsAndRunSendsNoneOfThem() async throws {
            let zones = TestZones.scenarios.filter { (Self.failing + Self.passing).contains($0.key) }
            let dns = try DNSServer(zones: zones, unanswered: [TestZones.unanswered])
            let logins = Dictionary(uniqueKeysWithValues: Self.emails().map { ($0, "Pw-\($0)") })
            let servers = try MailServers(smtpUsers: logins, imapUsers: logins)
            let scratch = try Scratch()
            let rows = Self.emails().map { apiRow($0, ["smtp_login": $0, "smtp_password": "Pw-\($0)", "imap_login": $0, "imap_password": "Pw-\($0)",
                                                       "imap_port": "993", "smtp_port": "587"]) }
            let file = try scratch.write("domains.csv", csv(rows))
            let mail = servers.connectTo.flatMap { ["--connect-to", $0] } + ["--ca-file", servers.caFile]

            let check = try await Child.run(["check", file, "--ledger", scratch.ledger, "--quiet", "--dns-server", dns.address, "--dns-timeout", "3"] + mail,
                                            in: scratch)
            #expect(check.status == ExitStatus.checkFailed.rawValue, "\(check.out)\n\(check.err)")
            #expect(check.out.contains("DNS of 12 sending domains: 5 passed, 6 failing (their mailboxes are held), 1 could not be checked."), "\(check.out)")
            #expect(check.out.contains("Checked 24 mailboxes: 12 passed, 12 failed."), "\(check.out)")
            #expect(check.out.contains("no SPF record for no-spf.test: add one TXT record `v=spf1 include:... ~all`"), "\(check.out)")
            #expect(check.out.contains("SPF for eleven-lookups.test needs 11 DNS lookups, the limit is 10: flatten an include"), "\(check.out)")
            #expect(!check.out.contains("Pw-"), "a password was printed")

            let json = try await Child.run(["summary", "--json", "--rows", "--ledger", scratch.ledger], in: scratch)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
            #expect((object["dns"] as? [String: Int]) == ["domains": 12, "failed": 6], "\(object["dns"] ?? "none")")
            #expect(object["held"] as? Int == 12)
            let byEmail = Dictionary(uniqueKeysWithValues: try #require(object["rows"] as? [[String: Any]]).map { ($0["sender_email"] as? String ?? "", $0) })
            for email in Self.emails() {
                let domain = String(email.split(separator: "@")[1])
                let check = try #require(byEmail[email]?["check"] as? [String: Any], "\(email)")
                let verdict = try #require(check["dns"] as? [String: Any], "\(email)")
                #expect(verdict["domain"] as? String == domain)
                #expect(check["passed"] as? Bool == !Self.failing.contains(domain), "\(email): \(check)")
                if Self.failing.contains(domain) {
                    #expect(verdict["passed"] as? Bool == false && (check["hint"] as? String)?.hasPrefix("DNS: ") == true, "\(email): \(check)")
                }
            }
            let silent = try #require((byEmail["ann@silent.test"]?["check"] as? [String: Any])?["dns"] as? [String: Any])
            #expect(silent["passed"] is NSNull && (silent["spf"] as? [String: String])?["status"] == "unchecked", "\(silent)")
            let noDKIM = try #require((byEmail["ann@no-dkim.test"]?["check"] as? [String: Any])?["dns"] as? [String: Any])
            #expect((noDKIM["dkim"] as? [String: String])?["status"] == "warning" && noDKIM["passed"] as? Bool == true, "\(noDKIM)")

            let table = try await Child.run(["summary", "--ledger", scratch.ledger], in: scratch)
            #expect(table.out.contains("Sending domains (DNS): 12 checked, 6 failing"), "\(table.out)")
            #expect(table.out.contains("null-mx.test (2 held): null-mx.test publishes a null MX"), "\(table.out)")
            let export = scratch.path("fix.csv")
            _ = try await Child.run(["summary", "--ledger", scratch.ledger, "--failed-csv", export], in: scratch)
            let exported = try String(contentsOfFile: export, encoding: .utf8).split(separator: "\r\n").dropFirst()
            #expect(exported.count == 12 && exported.allSatisfy { $0.contains("DNS: ") }, "\(exported)")

            try await withEmulator { emulator in
                let run = try await Child.run(["run", "--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--quiet"],
                                              environment: ["LEMLIST_API_KEY": "emulator-key"], in: scratch)
                #expect(run.status == ExitStatus.checkFailed.rawValue, "\(run.err)")
                let sent = Set(emulator.statistics.created.keys.map { String($0.split(separator: "@")[1]) })
                #expect(sent == Set(Self.passing) && emulator.statistics.created.count == 12, "\(emulator.statistics.created.keys.sorted())")
            }
        }

        @Test func runCheckHoldsAFailingDomainsMailboxesBeforeAnyKeySendsAndReleasesThemOnceItIsFixed() async throws {
            let dns = try DNSServer(zones: ["healthy.test": TestZones.healthy("healthy.test"),
                                            "no-spf.test": TestZones.scenarios["no-spf.test"]!])
            let emails = ["ann@healthy.test", "bob@healthy.test", "cat@no-spf.test", "dan@no-spf.test"]
            let logins = Dictionary(uniqueKeysWithValues: emails.map { ($0, "Pw-\($0)") })
            let servers = try MailServers(smtpUsers: logins, imapUsers: logins)
            let scratch = try Scratch()
            let rows = emails.map { apiRow($0, ["smtp_login": $0, "smtp_password": "Pw-\($0)", "imap_login": $0, "imap_password": "Pw-\($0)",
                                                "imap_port": "993", "smtp_port": "587"]) }
            let file = try scratch.write("in.csv", csv(rows))
            try await withEmulator { emulator in
                let run = try await Child.run(["run", file, "--check", "--dns-server", dns.address, "--ledger", scratch.ledger,
                                               "--base-url", emulator.baseURL, "--quiet"]
                                              + servers.connectTo.flatMap { ["--connect-to", $0] } + ["--ca-file", servers.caFile],
                                              environment: ["LEMLIST_API_KEY": "emulator-key"], in: scratch)
                #expect(run.status == ExitStatus.checkFailed.rawValue, "\(run.out)\n\(run.err)")
                #expect(Set(emulator.statistics.created.keys) == ["ann@healthy.test", "bob@healthy.test"])
                #expect(run.out.contains("DNS of 2 sending domains: 1 passed, 1 failing"), "\(run.out)")
                #expect(run.out.contains("Checked 2 mailboxes: 2 passed, 0 failed."), "the failing domain's mailboxes are not logged in to: \(run.out)")
                let queries = try await dns.queries()
                #expect(queries.filter { $0 == "no-spf.test MX" }.count == 1 && queries.filter { $0 == "healthy.test TXT" }.count == 1, "\(queries)")

                // The SPF record is published: the next run --check releases the two, logs in to them and sends them.
                let fixed = try DNSServer(zones: ["no-spf.test": TestZones.healthy("no-spf.test")])
                let again = try await Child.run(["run", "--check", "--dns-server", fixed.address, "--ledger", scratch.ledger,
                                                 "--base-url", emulator.baseURL, "--quiet"]
                                                + servers.connectTo.flatMap { ["--connect-to", $0] } + ["--ca-file", servers.caFile],
                                                environment: ["LEMLIST_API_KEY": "emulator-key"], in: scratch)
                #expect(again.status == 0, "\(again.out)\n\(again.err)")
                #expect(emulator.statistics.created.count == 4 && emulator.statistics.created.values.allSatisfy { $0 == 1 })
                #expect(again.out.contains("Checked 2 mailboxes: 2 passed, 0 failed."), "\(again.out)")
            }
        }

        @Test func noDNSAsksNothing() async throws {
            let dns = try DNSServer(zones: ["healthy.test": TestZones.healthy("healthy.test")])
            let scratch = try Scratch()
            let file = try scratch.write("in.csv", csv([apiRow("ann@healthy.test")]))
            let check = try await Child.run(["check", file, "--ledger", scratch.ledger, "--quiet", "--dns-server", dns.address, "--no-dns",
                                             "--connect-to", "smtp.acme-mail.com:587:127.0.0.1:\(try MailServers.freePort(avoiding: []))", "--timeout", "2"],
                                            in: scratch)
            #expect(check.status == ExitStatus.checkFailed.rawValue, "\(check.err)")
            #expect(!check.out.contains("DNS of"), "\(check.out)")
            #expect(try await dns.queries() == [])
        }
    }
}
