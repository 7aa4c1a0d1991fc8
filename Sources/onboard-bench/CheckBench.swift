import Foundation
import MailboxOnboard
import OnboardInput
import TestSupport

extension OnboardBench {
    /// The check at scale: 1,000 mailboxes on 200 sending domains, over 20 mail host names, against real aiosmtpd
    /// and Dovecot on loopback, the SMTP server answering every login after 1 s, with the default options. First
    /// the logins alone (`--no-dns`); then the same check with the domains' DNS from unbound, through a relay that
    /// hands each answer back 50 ms late. A mailbox's SMTP and IMAP logins run side by side, so one takes about 1 s
    /// and the logins' bound is `concurrency / 1 s`.
    static func checkBenchmark() async throws {
        let count = 1_000, hosts = 20, domains = 200, latency = 1.0, dnsDelay = 0.05
        func email(_ index: Int) -> String { "box\(index)@d\(index % domains).test" }
        var smtpUsers: [String: String] = [:], imapUsers: [String: String] = [:]
        for index in 0..<count {
            smtpUsers[email(index)] = "bench-smtp-\(index)"
            imapUsers[email(index)] = "bench-imap-\(index)"
        }
        let servers = try MailServers(smtpUsers: smtpUsers, imapUsers: imapUsers, loginDelay: latency)
        defer { servers.stop() }
        var zones: [String: [String]] = [:]
        for domain in 0..<domains { zones["d\(domain).test"] = TestZones.healthy("d\(domain).test") }
        let dns = try DNSServer(zones: zones, answerDelay: dnsDelay)
        defer { dns.stop() }
        var csv = "sender_name,sender_email,smtp_host,smtp_port,smtp_login,smtp_password,imap_host,imap_port,imap_login,imap_password\n"
        var rules: [String] = []
        for host in 0..<hosts { rules += servers.connectTo(host: "mx\(host).acme-mail.com") }
        for index in 0..<count {
            let host = "mx\(index % hosts).acme-mail.com"
            csv += "Box \(index),\(email(index)),\(host),465,\(email(index)),bench-smtp-\(index),\(host),993,\(email(index)),bench-imap-\(index)\n"
        }
        let dialer = try MailDialer(connectTo: rules.compactMap(ConnectTo.init), caFile: servers.caFile,
                                    timeout: .seconds(CheckConfiguration.defaultTimeoutSeconds))
        print(String(format: "check: %d mailboxes on %d domains over %d hosts, SMTP logins answered after %.0f s; concurrency %d, per host %d",
                     count, domains, hosts, latency, CheckConfiguration.defaultConcurrency, CheckConfiguration.defaultPerHost))
        var walls: [Double] = []
        for withDNS in [false, true] {
            let scratch = try Scratch()
            let file = try scratch.write("mailboxes.csv", csv)
            _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
            let configuration = CheckConfiguration(dialer: dialer, dns: withDNS ? DNSConfiguration(server: dns.address) : nil)
            let checker = Checker(ledger: try Ledger(path: scratch.ledger), configuration: configuration, logger: logger)
            let start = ContinuousClock.now
            let report = try await checker.run(again: false)
            let wall = start.duration(to: .now).inSeconds
            walls.append(wall)
            let rate = Double(report.checked) / wall
            let bound = Double(min(configuration.concurrency, hosts * configuration.perHost / 2)) / latency
            if withDNS {
                let questions = try await dns.queries().count
                let passed = report.domains.filter { $0.passed == true }.count
                let unanswered = report.domains.filter { $0.parts.contains { $0.part.status == .unchecked } }.count
                print(String(format: "check with DNS (each answer %.0f ms late): %d domains (%d passed, %d with a part unanswered), %d questions (%.1f a domain); %d passed, %d failed in %.1f s",
                             dnsDelay * 1000, report.domains.count, passed, unanswered, questions, Double(questions) / Double(domains),
                             report.passed, report.failed, wall))
                print(String(format: "check with DNS / logins alone: %.1f s / %.1f s = %.3f; peak %.1f MB", wall, walls[0], wall / walls[0], peakMemoryMB()))
            } else {
                print(String(format: "logins alone (--no-dns): %d passed, %d failed in %.1f s: %.1f mailboxes/s, bound concurrency/latency %.1f/s, ratio %.2f",
                             report.passed, report.failed, wall, rate, bound, rate / bound))
            }
        }
    }
}
