import Logging
import OnboardInput

/// What `check` did: the import (if files were given), the logins, and the ledger afterwards.
public struct CheckOutcome: Sendable {
    public var importReport: ImportReport?
    public var report: CheckReport
    public var summary: Summary

    /// 4 for an unreadable file, 130 when interrupted, 10 when a check failed, 3 for invalid rows, else 0.
    public var exitStatus: ExitStatus {
        var statuses: [ExitStatus] = [report.interrupted ? .interrupted : .success, report.failed > 0 ? .checkFailed : .success]
        if let importReport { statuses.append(ExitStatus(importReport)) }
        return ExitStatus.first(of: statuses)
    }
}

extension Onboarding {
    /// The `check` command's work: lock the ledger, import any files, then log in to the SMTP and IMAP servers of
    /// every outstanding job that has not passed a check (every one with `again`). No lemlist request is made.
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
