import Foundation
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// What an import marks to send, and what an answer clears.
struct SettingsLedgerTests {
    @Test(arguments: [
        (MailboxSettings(dailyLimit: 40, warmup: true, warmupMax: 20), MailboxSettings(dailyLimit: 45, warmup: true, warmupMax: 20), SettingsPart.limit),
        (MailboxSettings(dailyLimit: 40, warmup: true), MailboxSettings(dailyLimit: 40, warmup: false), .warmupSwitch),
        (MailboxSettings(warmupMax: 20), MailboxSettings(warmupMax: 20, warmupRampup: 2), .warmupSettings),
        (MailboxSettings(dailyLimit: 40, warmup: true), MailboxSettings(), SettingsPart()),
        (MailboxSettings(), MailboxSettings(dailyLimit: 1, warmup: false, warmupRampup: 3), SettingsPart([.limit, .warmupSwitch, .warmupSettings])),
    ] as [(MailboxSettings, MailboxSettings, SettingsPart)])
    func onlyANewValueIsSentAgain(_ old: MailboxSettings, _ new: MailboxSettings, _ parts: SettingsPart) {
        #expect(SettingsPart.changed(from: old, to: new) == parts)
    }

    func file(_ scratch: Scratch, limits: [Int?], warmup: String = "true") throws -> String {
        let header = "sender_name,sender_email,smtp_host,smtp_port,smtp_login,smtp_password,imap_host,imap_port,imap_login,imap_password,Daily Limit,Warmup Enabled"
        let rows = limits.enumerated().map { index, limit in
            let email = "box\(index)@acme-mail.com"
            return "Ann,\(email),smtp.acme-mail.com,587,\(email),pw-s,imap.acme-mail.com,993,\(email),pw-i,\(limit.map(String.init) ?? ""),\(warmup)"
        }
        return try scratch.write("in.csv", ([header] + rows).joined(separator: "\n") + "\n")
    }

    @Test func aReimportMarksOnlyTheConnectedJobsWhoseSettingsChanged() async throws {
        let scratch = try Scratch()
        let first = try file(scratch, limits: [40, 40, 40, nil])
        _ = try Importer.run(files: [first], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
        let ledger = try Ledger(path: scratch.ledger)
        for job in try await ledger.outstanding() {
            try await ledger.finish(try #require(try await ledger.beginAttempt(job.id)), .connected(accountId: "umx_\(job.id)"))
        }
        let due = try await ledger.settingsDue()
        let both: SettingsPart = [.limit, .warmupSwitch]
        #expect(due.map(\.due) == [both, both, both, .warmupSwitch])
        try await ledger.recordSettings(due.flatMap { job in [SettingsPart.limit, .warmupSwitch].filter(job.due.contains).map { SettingsOutcome(job: job.id, part: $0) } })
        #expect(try await ledger.summary().settings == Summary.SettingsCounts(applied: 4))
        // Row 1's limit changes, row 2's is blanked (lemlist's value stays), row 3's gains one.
        let again = try file(scratch, limits: [40, 55, nil, 10])
        let report = try Importer.run(files: [again], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
        #expect(report.counts.settingsChanged == 2 && report.counts.alreadyConnected == 4)
        let now = try await ledger.settingsDue()
        #expect(now.map(\.senderEmail) == ["box1@acme-mail.com", "box3@acme-mail.com"] && now.allSatisfy { $0.due == .limit })
        #expect(now.map(\.settings.dailyLimit) == [55, 10])
        #expect(try await ledger.summary().settings == Summary.SettingsCounts(applied: 2, pending: 2))
        // The same file once more changes nothing.
        #expect(try Importer.run(files: [again], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger).counts.settingsChanged == 0)
    }

    @Test func aRecordedPartIsClearedOnceAndErrorsAreKeptTogether() async throws {
        let scratch = try Scratch()
        _ = try Importer.run(files: [try file(scratch, limits: [40])], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
        let ledger = try Ledger(path: scratch.ledger)
        let job = try #require(try await ledger.outstanding().first)
        try await ledger.finish(try #require(try await ledger.beginAttempt(job.id)), .connected(accountId: "umx_1"))
        #expect(try await ledger.recordSettings([SettingsOutcome(job: job.id, part: .limit, error: "daily limit: no")]).isEmpty)
        // The same answer recorded twice (a retry after a kill) changes nothing.
        #expect(try await ledger.recordSettings([SettingsOutcome(job: job.id, part: .limit, error: "daily limit: no")]).isEmpty)
        #expect(try await ledger.recordSettings([SettingsOutcome(job: job.id, part: .warmupSwitch, error: "warm-up start: gone")]) == [job.id: .failed])
        var rows: [Summary.Row] = []
        try LedgerStore(path: scratch.ledger).forEachRow(onlyFailed: true) { rows.append($0) }
        #expect(rows.first?.settings?.error == "daily limit: no; warm-up start: gone")
    }
}
