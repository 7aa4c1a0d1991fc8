import Logging
import OnboardInput

extension Onboarding {
    /// The `verify` command's work: lock the ledger, and test every connected mailbox that has no verdict yet (every
    /// one with `again`) with lemlist's account test. Cancelling the calling task stops new tests; those on the wire
    /// are awaited and recorded.
    /// With `--team-keys`, each key tests its own teams' mailboxes, all keys at once. A key plan that cannot be met
    /// (a team without a key) is returned as `keyProblem`, and nothing is sent.
    public static func verify(ledgerPath: String, configuration: RunConfiguration, teamKeys: TeamKeys? = nil, again: Bool,
                              logger: Logger) async throws(LedgerError) -> VerifyOutcome {
        try LedgerStore.requireExisting(ledgerPath)
        let lock = try RunLock(ledgerPath: ledgerPath)
        defer { withExtendedLifetime(lock) {} }
        let ledger = try Ledger(path: ledgerPath)
        let lanes: [KeyLane]
        switch Self.lanes(for: try await ledger.connectedByTeam(), configuration: configuration, teamKeys: teamKeys) {
        case let .success(found):
            lanes = found
        case let .failure(problem):
            return VerifyOutcome(report: VerifyReport(), keyProblem: problem)
        }
        let results = await eachLane(lanes, concurrency: configuration.concurrency) { _, lane in
            await verifyLane(ledger: ledger, ledgerPath: ledgerPath, lane: lane, configuration: configuration.lane(lane, of: lanes.count),
                             again: again, logger: lanes.count > 1 ? logger.with(team: lane.label) : logger)
        }
        var reports: [VerifyReport] = []
        for result in results.compactMap({ $0 }) { reports.append(try result.get()) }
        var merged = VerifyReport.merged(reports)
        // Stopped before every key began: the rest are for the next pass.
        if results.contains(where: { $0 == nil }), merged.stop == nil { merged.interrupted = true }
        return VerifyOutcome(report: merged)
    }
}

/// One key's verification pass as a value, in a lane of its own (see `sendLane` in Lanes.swift for why a function).
private func verifyLane(ledger: Ledger, ledgerPath: String, lane: KeyLane, configuration: RunConfiguration, again: Bool,
                        logger: Logger) async -> Result<VerifyReport, LedgerError> {
    do {
        return .success(try await withLane(configuration: configuration, ledgerPath: ledgerPath, keyHash: lane.rateLogHash, logger: logger) {
            (lane: Lane<ContinuousClock>) async throws(LedgerError) -> VerifyReport in
            try await Verifier(ledger: ledger, lane: lane).run(again: again)
        })
    } catch {
        return .failure(error)
    }
}

/// What `verify` did: the tests, or why the jobs could not be matched to keys (nothing was sent then).
public struct VerifyOutcome: Sendable {
    public var report: VerifyReport
    /// Why the connected jobs could not be matched to API keys (`--team-keys`).
    public var keyProblem: KeyPlanProblem? = nil

    public init(report: VerifyReport, keyProblem: KeyPlanProblem? = nil) {
        self.report = report
        self.keyProblem = keyProblem
    }

    /// What the pass found, as exit codes: a key plan that cannot be met, a stop, an interruption, and 11 when some
    /// test did not pass (failed, account gone, or not completed).
    public var statuses: [ExitStatus] {
        if keyProblem != nil { return [.usage] }
        var statuses = report.stop.map { [ExitStatus($0)] } ?? []
        if report.interrupted { statuses.append(.interrupted) }
        if report.failed + report.notFound + report.untested > 0 { statuses.append(.verificationFailed) }
        return statuses
    }

    public var exitStatus: ExitStatus { ExitStatus.first(of: statuses) }

    public static let possibleStatuses: [ExitStatus] = [.usage, .interrupted, .verificationFailed] + ExitStatus.stops
}
