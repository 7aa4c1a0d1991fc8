import Foundation
import MailboxOnboard
import OnboardInput
import TestSupport

extension OnboardBench {
    /// The login check at scale: 1,000 mailboxes over 20 host names against real aiosmtpd and Dovecot on loopback,
    /// the SMTP server answering every login after 1 s, with the default options. A mailbox's SMTP and IMAP logins
    /// run side by side, so one takes about 1 s and the bound is `concurrency / 1 s`.
    static func checkBenchmark() async throws {
        let count = 1_000, hosts = 20, latency = 1.0
        var smtpUsers: [String: String] = [:], imapUsers: [String: String] = [:]
        for index in 0..<count {
            smtpUsers["box\(index)@acme-mail.com"] = "bench-smtp-\(index)"
            imapUsers["box\(index)@acme-mail.com"] = "bench-imap-\(index)"
        }
        let servers = try MailServers(smtpUsers: smtpUsers, imapUsers: imapUsers, loginDelay: latency)
        defer { servers.stop() }
        let scratch = try Scratch()
        var csv = "sender_name,sender_email,smtp_host,smtp_port,smtp_login,smtp_password,imap_host,imap_port,imap_login,imap_password\n"
        var rules: [String] = []
        for host in 0..<hosts { rules += servers.connectTo(host: "mx\(host).acme-mail.com") }
        for index in 0..<count {
            let host = "mx\(index % hosts).acme-mail.com", email = "box\(index)@acme-mail.com"
            csv += "Box \(index),\(email),\(host),465,\(email),bench-smtp-\(index),\(host),993,\(email),bench-imap-\(index)\n"
        }
        let file = try scratch.write("mailboxes.csv", csv)
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
        let configuration = CheckConfiguration(dialer: try MailDialer(connectTo: rules.compactMap(ConnectTo.init), caFile: servers.caFile,
                                                                      timeout: .seconds(CheckConfiguration.defaultTimeoutSeconds)))
        let checker = Checker(ledger: try Ledger(path: scratch.ledger), configuration: configuration, logger: logger)
        let start = ContinuousClock.now
        let report = try await checker.run(again: false)
        let wall = start.duration(to: .now).inSeconds
        let rate = Double(report.checked) / wall
        let bound = Double(min(configuration.concurrency, hosts * configuration.perHost / 2)) / latency
        print(String(format: "check: %d mailboxes over %d hosts, SMTP logins answered after %.0f s; concurrency %d, per host %d",
                     count, hosts, latency, configuration.concurrency, configuration.perHost))
        print(String(format: "check: %d passed, %d failed in %.1f s: %.1f mailboxes/s, bound concurrency/latency %.1f/s, ratio %.2f; peak %.1f MB",
                     report.passed, report.failed, wall, rate, bound, rate / bound, peakMemoryMB()))
    }
}
