import Logging
import OnboardInput

/// What `check` did: the import (if files were given), the logins, and the ledger afterwards.
public struct CheckOutcome: Sendable {
    public var importReport: ImportReport?
    public var report: CheckReport
    public var summary: Summary

    /// What the check found, as exit codes: an unreadable file or invalid rows, an interruption, a failed login or domain.
    public var statuses: [ExitStatus] {
        (importReport?.statuses ?? []) + (report.interrupted ? [.interrupted] : []) + (report.failed > 0 || !report.failingDomains.isEmpty ? [.checkFailed] : [])
    }

    public var exitStatus: ExitStatus { ExitStatus.first(of: statuses) }

    public static let possibleStatuses: [ExitStatus] = ImportReport.possibleStatuses + [.interrupted, .checkFailed]
}

extension Onboarding {
    /// The `check` command's work: lock the ledger, import any files, then check the DNS of their sending domains and
    /// log in to the SMTP and IMAP servers of every outstanding job that has not passed a check (every one with
    /// `again`). No lemlist request is made.
    /// Cancelling the calling task stops new checks; those under way are recorded.
    public static func check(
        ledgerPath: String, files: [String], importOptions: ImportOptions, configuration: CheckConfiguration, again: Bool,
        logger: Logger, events: @Sendable (OnboardingEvent) -> Void = { _ in }
    ) async throws(LedgerError) -> CheckOutcome {
        if files.isEmpty { try LedgerStore.requireExisting(ledgerPath) }
        let lock = try RunLock(ledgerPath: ledgerPath)
        defer { withExtendedLifetime(lock) {} }
        let (importReport, goOn) = try importFirst(files, ledgerPath: ledgerPath, options: importOptions, logger: logger, events: events)
        guard goOn else {
            return CheckOutcome(importReport: importReport, report: CheckReport(), summary: try await Ledger(path: ledgerPath).summary())
        }
        let ledger = try Ledger(path: ledgerPath)
        let checker = Checker(ledger: ledger, configuration: configuration, logger: logger)
        events(.checking(checker.statistics))
        let report = try await checker.run(again: again)
        return CheckOutcome(importReport: importReport, report: report, summary: try await ledger.summary())
    }
}
