import Logging
import OnboardInput

/// What `configure` did: the settings pass, or why the jobs could not be matched to keys (nothing was sent then),
/// and the ledger afterwards.
public struct ConfigureOutcome: Sendable {
    public var report: SettingsReport
    public var summary: Summary
    public var keyProblem: KeyPlanProblem? = nil

    /// What the pass found, as exit codes: a key plan that cannot be met, a stop, an interruption, and 13 while some
    /// job's settings stand refused.
    public var statuses: [ExitStatus] {
        if keyProblem != nil { return [.usage] }
        var statuses = report.stop.map { [ExitStatus($0)] } ?? []
        if report.interrupted { statuses.append(.interrupted) }
        if summary.settings.failed > 0 { statuses.append(.settingsFailed) }
        return statuses
    }

    public var exitStatus: ExitStatus { ExitStatus.first(of: statuses) }

    public static let possibleStatuses: [ExitStatus] = [.usage, .interrupted, .settingsFailed] + ExitStatus.stops
}

extension Onboarding {
    /// The `configure` command's work: lock the ledger, and apply the daily limit and warm-up of every connected job
    /// whose settings are due (see `SettingsStep`), each team's through its own key, all keys at once. Cancelling
    /// the calling task stops new requests; those on the wire are awaited and recorded.
    public static func configure(ledgerPath: String, configuration: RunConfiguration, teamKeys: TeamKeys? = nil,
                                 logger: Logger) async throws(LedgerError) -> ConfigureOutcome {
        try LedgerStore.requireExisting(ledgerPath)
        let lock = try RunLock(ledgerPath: ledgerPath)
        defer { withExtendedLifetime(lock) {} }
        let ledger = try Ledger(path: ledgerPath)
        let passes = try await eachKey(ledgerPath: ledgerPath, counts: try await ledger.settingsDueByTeam(), configuration: configuration,
                                       teamKeys: teamKeys, logger: logger) { lane, _ throws(LedgerError) in
            await lane.continueWindow()
            return try await SettingsStep(ledger: ledger, lane: lane).run()
        }
        switch passes {
        case let .failure(problem):
            return ConfigureOutcome(report: SettingsReport(), summary: try await ledger.summary(), keyProblem: problem)
        case let .success(results):
            var merged = SettingsReport.merged(results.compactMap(\.value))
            if results.contains(where: { $0.value == nil }), merged.stop == nil { merged.interrupted = true }
            return ConfigureOutcome(report: merged, summary: try await ledger.summary())
        }
    }
}
