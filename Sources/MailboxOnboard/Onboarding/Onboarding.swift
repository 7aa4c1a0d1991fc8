import Foundation
import Logging
import OnboardInput

/// What `run` did: the import (if files were given), the submission, and the ledger afterwards.
public struct OnboardingOutcome: Sendable {
    public var importReport: ImportReport?
    public var run: RunReport
    public var summary: Summary
    /// Each key's run, when teams have keys of their own.
    public var lanes: [LaneReport] = []
    /// Why the jobs could not be matched to API keys; nothing was sent.
    public var keyProblem: KeyPlanProblem? = nil

    /// What the run found, as exit codes; the command exits with the first (`ExitStatus.first(of:)`).
    public var statuses: [ExitStatus] {
        if keyProblem != nil { return [.usage] }
        var statuses = importReport?.statuses ?? []
        if let stop = run.stop { statuses.append(ExitStatus(stop)) }
        if run.interrupted { statuses.append(.interrupted) }
        if summary.count(.failed) > 0 { statuses.append(.failedJobs) }
        if summary.checks.held > 0 { statuses.append(.checkFailed) }
        if let tests = run.verification { statuses += VerifyOutcome(report: tests).statuses }
        if summary.settings.failed > 0 { statuses.append(.settingsFailed) }
        return statuses
    }

    public var exitStatus: ExitStatus { ExitStatus.first(of: statuses) }

    /// Every code `statuses` can hold.
    public static let possibleStatuses: [ExitStatus] = [.usage, .interrupted, .failedJobs, .checkFailed, .settingsFailed]
        + ImportReport.possibleStatuses + ExitStatus.stops + VerifyOutcome.possibleStatuses
}

/// What a run tells its caller while it works; the caller decides what, if anything, a person sees.
public enum OnboardingEvent: Sendable {
    /// The files were imported; nothing has been sent yet.
    case imported(ImportReport)
    /// Sending has begun; the monitor can be read for progress until the run returns.
    case sending(RunMonitor)
    /// Login checks have begun (`check`); their counts can be read until it returns.
    case checking(CheckStatistics)
}

/// A live view of a run in progress: its counts, and what its workers are waiting for.
public struct RunMonitor: Sendable {
    public let statistics: RunStatistics
    public let waitReason: @Sendable () async -> WaitReason?
}

/// The `run` command's work: lock the ledger, import any files, send every outstanding job, summarise.
/// Cancelling the calling task stops new requests; what is on the wire is awaited and recorded.
public enum Onboarding {
    public static func run(
        ledgerPath: String, files: [String], importOptions: ImportOptions, configuration: RunConfiguration, teamKeys: TeamKeys? = nil,
        logger: Logger, events: @Sendable (OnboardingEvent) -> Void = { _ in }
    ) async throws(LedgerError) -> OnboardingOutcome {
        // Without files to import, there must be a ledger to work from: a mistyped path is not an empty ledger.
        if files.isEmpty { try LedgerStore.requireExisting(ledgerPath) }
        let lock = try RunLock(ledgerPath: ledgerPath)
        defer { withExtendedLifetime(lock) {} }
        let (importReport, goOn) = try importFirst(files, ledgerPath: ledgerPath, options: importOptions, logger: logger, events: events)
        guard goOn else {
            let nothingSent = RunReport(statistics: RunStatistics.Snapshot(), stop: nil, interrupted: false, elapsed: .zero)
            return OnboardingOutcome(importReport: importReport, run: nothingSent, summary: try await Ledger(path: ledgerPath).summary())
        }
        let ledger = try Ledger(path: ledgerPath)
        let lanes: [KeyLane]
        switch Self.lanes(for: try await ledger.workByTeam(), configuration: configuration, teamKeys: teamKeys) {
        case let .success(found):
            lanes = found
        case let .failure(problem):
            let nothingSent = RunReport(statistics: RunStatistics.Snapshot(), stop: nil, interrupted: false, elapsed: .zero)
            return OnboardingOutcome(importReport: importReport, run: nothingSent, summary: try await ledger.summary(), keyProblem: problem)
        }
        // With --check, the DNS of every outstanding job's domain first, once for every key: a failing domain's jobs
        // are held before any lane takes them, and a fixed one's are released to be checked and sent.
        var domains: [DomainVerdict]?
        if let dns = configuration.check?.dns {
            domains = try await DomainChecks.run(try await ledger.outstandingDomains(), ledger: ledger, configuration: dns, logger: logger)
        }
        var (report, reports) = try await send(ledger: ledger, ledgerPath: ledgerPath, lanes: lanes, configuration: configuration,
                                               logger: logger, events: events)
        if let domains {
            report.checks = report.checks ?? CheckReport()
            report.checks?.domains = domains
        }
        let summary = try await ledger.summary()
        return OnboardingOutcome(importReport: importReport, run: report, summary: summary, lanes: lanes.count > 1 ? reports : [])
    }

    /// Imports `files`, if any, and says whether the command should go on. A file that could not be read, or
    /// --strict refusing the input, means the person has something to fix first: nothing is sent or checked then.
    static func importFirst(_ files: [String], ledgerPath: String, options: ImportOptions, logger: Logger,
                            events: @Sendable (OnboardingEvent) -> Void) throws(LedgerError) -> (ImportReport?, goOn: Bool) {
        guard !files.isEmpty else { return (nil, true) }
        let report = try Importer.run(files: files, ledgerPath: ledgerPath, options: options, logger: logger)
        events(.imported(report))
        return (report, report.unreadable.isEmpty && report.committed)
    }
}
