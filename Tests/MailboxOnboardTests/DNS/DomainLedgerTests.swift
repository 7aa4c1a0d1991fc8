import Foundation
import Synchronization
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// What a domain's verdict does in the ledger, and how often `check` asks DNS about a domain.
@Suite struct DomainLedgerTests {
    /// `count` rows on `domain`, imported.
    func importRows(_ count: Int, on domain: String, into scratch: Scratch, name: String = "in.csv") throws {
        let rows = (0..<count).map { apiRow("box\($0)@\(domain)") }
        let file = try scratch.write(name, csv(rows))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
    }

    /// Logins go to a port nothing listens on: they fail at once, and only the DNS part is looked at.
    func configuration(dns server: DNSServer?) throws -> CheckConfiguration {
        let closed = try MailServers.freePort(avoiding: [])
        let dialer = try MailDialer(connectTo: ["smtp.acme-mail.com:587:127.0.0.1:\(closed)", "imap.acme-mail.com:993:127.0.0.1:\(closed)"]
            .compactMap(ConnectTo.init), timeout: .seconds(5))
        return CheckConfiguration(dialer: dialer, dns: server.map { DNSConfiguration(server: $0.address, timeout: .seconds(10)) })
    }

    @Test func eachDomainIsAskedTheSameQuestionsWhateverItsNumberOfRows() async throws {
        let server = try DNSServer(zones: ["one.test": TestZones.healthy("one.test"), "ten.test": TestZones.healthy("ten.test")])
        for (domain, rows) in [("one.test", 1), ("ten.test", 10)] {
            let scratch = try Scratch()
            try importRows(rows, on: domain, into: scratch)
            let seen = Mutex<CheckStatistics?>(nil)
            let outcome = try await Onboarding.check(ledgerPath: scratch.ledger, files: [], importOptions: ImportOptions(),
                                                     configuration: try configuration(dns: server), again: false, logger: quietLogger) { event in
                if case let .checking(statistics) = event { seen.withLock { $0 = statistics } }
            }
            #expect(outcome.report.checked == rows && outcome.report.domains.map(\.domain) == [domain])
            // What the progress line reads: the domains first, then the logins.
            let progress = try #require(seen.withLock { $0 }?.snapshot)
            #expect(progress.domains == 1 && progress.domainsChecked == 1 && progress.checked == rows, "\(progress)")
        }
        let queries = try await server.queries()
        func asked(_ domain: String) -> [String] {
            queries.filter { $0.contains(domain) }.map { $0.replacingOccurrences(of: domain, with: "D") }.sorted()
        }
        #expect(!asked("one.test").isEmpty && asked("one.test") == asked("ten.test"), "\(queries)")
        // MX, SPF (the apex and its one include) and DMARC once each; one question per DKIM selector.
        for question in ["D MX", "D TXT", "_spf.D TXT", "_dmarc.D TXT"] {
            #expect(asked("ten.test").filter { $0 == question }.count == 1, "\(question): \(asked("ten.test"))")
        }
        #expect(asked("ten.test").count == 4 + DomainCheck.dkimSelectors.count, "\(asked("ten.test"))")
    }

    @Test func aCheckStoppedDuringTheDNSPassRecordsNoVerdictAndLogsInToNothing() async throws {
        let server = try DNSServer(zones: [:], unanswered: ["stuck.test"])
        let scratch = try Scratch()
        try importRows(2, on: "stuck.test", into: scratch)
        var configuration = try configuration(dns: server)
        configuration.dns?.timeout = .seconds(120)
        let check = Task { [configuration] in
            try await Onboarding.check(ledgerPath: scratch.ledger, files: [], importOptions: ImportOptions(), configuration: configuration,
                                       again: false, logger: quietLogger)
        }
        while try await !server.queries().contains("stuck.test MX") {}
        check.cancel()
        let outcome = try await check.value
        #expect(outcome.report.interrupted && outcome.report.checked == 0 && outcome.report.domains.isEmpty, "\(outcome.report)")
        #expect(outcome.exitStatus == .interrupted)
        let ledger = try Ledger(path: scratch.ledger)
        #expect(try await ledger.domainVerdict("stuck.test") == nil)
        #expect(try await ledger.summary().dns.domains == 0)
    }

    @Test func noDNSMakesNoQuery() async throws {
        let server = try DNSServer(zones: ["quiet.test": TestZones.healthy("quiet.test")])
        let scratch = try Scratch()
        try importRows(3, on: "quiet.test", into: scratch)
        let outcome = try await Onboarding.check(ledgerPath: scratch.ledger, files: [], importOptions: ImportOptions(),
                                                 configuration: try configuration(dns: nil), again: false, logger: quietLogger)
        #expect(outcome.report.checked == 3 && outcome.report.domains.isEmpty)
        #expect(try await server.queries() == [])
        let row = try #require(try await Ledger(path: scratch.ledger).summary(rowLimit: 1).failedRows.first)
        #expect(row.check?.dns == nil)
    }

    @Test func aFailingDomainHoldsEveryOutstandingJobOnItUntilCheckedAgain() async throws {
        let scratch = try Scratch()
        try importRows(3, on: "broken.test", into: scratch)
        try importRows(1, on: "fine.test", into: scratch, name: "other.csv")
        let ledger = try Ledger(path: scratch.ledger)
        // box0 passed its logins before the domain was looked at; box1 failed them; box2 was never checked.
        let jobs = try await ledger.checkableJobs(again: false)
        try await ledger.recordCheck(jobs[0], CheckVerdict(passed: true))
        try await ledger.recordCheck(jobs[1], CheckVerdict(passed: false, smtp: "535 no", hint: "SMTP: the server refused the login"))
        let spf = DomainVerdict.Part(.failed, "no SPF record for broken.test: add one TXT record `v=spf1 include:... ~all`")
        let ok = DomainVerdict.Part(.ok, "fine")
        let broken = DomainVerdict(domain: "Broken.test", mx: ok, spf: spf, dmarc: .init(.warning, "no DMARC"), dkim: ok)
        try await ledger.recordDomain(broken)
        try await ledger.recordDomain(DomainVerdict(domain: "fine.test", mx: ok, spf: ok, dmarc: ok, dkim: ok))

        let summary = try await ledger.summary(rowLimit: 10)
        #expect(summary.dns == Summary.DNSCounts(domains: 2, failed: 1))
        #expect(summary.checks.held == 3, "every outstanding job on the failing domain is held")
        #expect(summary.failingDomains.map(\.held) == [3] && summary.failingDomains.first?.verdict.hint == spf.detail)
        let rows = Dictionary(uniqueKeysWithValues: summary.failedRows.map { ($0.senderEmail, $0) })
        #expect(rows["box0@broken.test"]?.check?.hint == "DNS: " + spf.detail)
        #expect(rows["box1@broken.test"]?.check?.hint == "SMTP: the server refused the login", "a login verdict is kept as it was")
        #expect(rows["box2@broken.test"]?.check?.dns?.spf == spf)
        #expect(rows["box0@fine.test"] == nil)

        // The next check sees each held job again; with the domain's verdict its login verdict stays held.
        #expect(try await ledger.checkableJobs(again: false).count == 4)
        let combined = CheckVerdict(passed: false, hint: "SMTP: the server refused the login").with(domain: broken)
        #expect(combined.hint == "SMTP: the server refused the login; DNS: " + spf.detail && !combined.passed)
        #expect(CheckVerdict(passed: true).with(domain: DomainVerdict(domain: "fine.test", mx: ok, spf: ok, dmarc: ok, dkim: ok)).passed)

        // New credentials clear a login verdict, and a new row has none: on a failing domain both are held all the same.
        let again = try scratch.write("again.csv", csv([apiRow("box1@broken.test", ["smtp_password": "New-pass-1"]), apiRow("box9@broken.test"),
                                                         apiRow("box9@fine.test")]))
        _ = try Importer.run(files: [again], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
        let after = try await ledger.summary(rowLimit: 20)
        let held = Set(after.failedRows.filter(\.isHeld).map(\.senderEmail))
        #expect(held == ["box0@broken.test", "box1@broken.test", "box2@broken.test", "box9@broken.test"], "\(held)")
        #expect(after.failedRows.first { $0.senderEmail == "box1@broken.test" }?.check?.hint == "DNS: " + spf.detail)
        #expect(try await ledger.outstanding().count == 2, "run sends only fine.test's two")

        // box1's new password is refused too; then the domain is fixed: the jobs only the domain held are released,
        // to be checked again, and box1's failed login still holds it.
        let box1 = try #require(try await ledger.checkableJobs(again: false).first { $0.senderEmail == "box1@broken.test" })
        try await ledger.recordCheck(box1, CheckVerdict(passed: false, smtp: "535 no", hint: "SMTP: the server refused the login").with(domain: broken))
        try await ledger.recordDomain(DomainVerdict(domain: "broken.test", mx: ok, spf: ok, dmarc: ok, dkim: ok))
        let fixed = try await ledger.summary(rowLimit: 20)
        #expect(Set(fixed.failedRows.filter(\.isHeld).map(\.senderEmail)) == ["box1@broken.test"])
        #expect(fixed.failedRows.first { $0.senderEmail == "box1@broken.test" }?.check?.hint?.hasPrefix("SMTP: ") == true)
        #expect(try await ledger.outstanding().count == 5 && fixed.dns == Summary.DNSCounts(domains: 2, failed: 0))
    }

    @Test func aDomainThatCouldNotBeCheckedIsLookedAtAgainAndHoldsNothing() async throws {
        let scratch = try Scratch()
        try importRows(1, on: "silent.test", into: scratch)
        let ledger = try Ledger(path: scratch.ledger)
        let unchecked = DomainVerdict.Part(.unchecked, "no answer in time")
        let verdict = DomainVerdict(domain: "silent.test", mx: unchecked, spf: unchecked, dmarc: unchecked, dkim: unchecked)
        #expect(verdict.passed == nil)
        try await ledger.recordDomain(verdict)
        let job = try #require(try await ledger.checkableJobs(again: false).first)
        try await ledger.recordCheck(job, CheckVerdict(passed: true).with(domain: verdict))
        #expect(try await ledger.summary().checks == Summary.CheckCounts(passed: 1, failed: 0, held: 0))
        #expect(try await ledger.uncheckedDomains() == ["silent.test"])
    }
}
