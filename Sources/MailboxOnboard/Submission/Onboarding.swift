import Foundation
import Logging

/// What `run` did: the import (if files were given), the submission, and the ledger afterwards.
public struct OnboardingOutcome: Sendable {
    public var importReport: ImportReport?
    public var run: RunReport
    public var summary: Summary

    public var exitStatus: ExitStatus {
        if let stop = run.stop { return ExitStatus(stop) }
        if run.interrupted { return .interrupted }
        if summary.count(.failed) > 0 { return .failedJobs }
        if let importReport, ExitStatus(importReport) != .success { return ExitStatus(importReport) }
        return .success
    }
}

/// The `run` command's work: lock the ledger, import any files, send every outstanding job, summarise.
public enum Onboarding {
    /// - Parameters:
    ///   - handleSignals: trap SIGINT/SIGTERM to stop gracefully (the first) or at once (the second).
    ///   - progress: show a live progress line on standard error.
    ///   - onImport: called with the import's report before anything is sent.
    public static func run(
        ledgerPath: String, files: [String], importOptions: ImportOptions, configuration: RunConfiguration,
        logger: Logger, handleSignals: Bool, progress: Bool, onImport: @Sendable (ImportReport) -> Void = { _ in }
    ) async throws(LedgerError) -> OnboardingOutcome {
        let lock = try RunLock(ledgerPath: ledgerPath)
        defer { withExtendedLifetime(lock) {} }
        var importReport: ImportReport?
        if !files.isEmpty {
            let report = try Importer.run(files: files, ledgerPath: ledgerPath, options: importOptions, logger: logger)
            onImport(report)
            importReport = report
            // A file that could not be read, or --strict refusing the input, means the person has something to
            // fix first: send nothing rather than the rest of the ledger.
            if !report.unreadable.isEmpty || !report.committed {
                let nothingSent = RunReport(statistics: RunStatistics.Snapshot(), stop: nil, interrupted: false, elapsed: .zero)
                return OnboardingOutcome(importReport: report, run: nothingSent, summary: try Reports.summary(ledgerPath: ledgerPath))
            }
        }
        let ledger = try Ledger(path: ledgerPath)
        let submitter = Submitter(ledger: ledger, configuration: configuration, clock: ContinuousClock(), logger: logger,
                                  startLog: try RequestStartLog(ledgerPath: ledgerPath))
        let work = Task { try await submitter.run() }
        let trap = handleSignals ? SignalTrap { _ in
            FileHandle.standardError.write(Data("\nstopping: no new requests; waiting for the ones on the wire (Ctrl-C again to quit now)\n".utf8))
            work.cancel()
        } : nil
        let printer = progress ? Task {
            await ProgressPrinter(statistics: submitter.statistics) {
                switch await submitter.waitReason() {
                case .window: "rate limit"
                case .serverPause: "lemlist asked to slow down"
                case nil: nil
                }
            }.run()
        } : nil
        let result = await work.result
        printer?.cancel()
        _ = await printer?.value
        withExtendedLifetime(trap) {}
        let report: RunReport
        do {
            report = try result.get()
        } catch let error as LedgerError {
            throw error
        } catch {
            throw .unusable(path: ledgerPath, why: "\(error)")
        }
        let summary = try await ledger.summary()
        return OnboardingOutcome(importReport: importReport, run: report, summary: summary)
    }
}
