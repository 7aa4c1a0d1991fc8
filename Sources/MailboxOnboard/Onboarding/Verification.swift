import Logging
import OnboardInput

extension Onboarding {
    /// The `verify` command's work: lock the ledger, and test every connected mailbox that has no verdict yet (every
    /// one with `again`) with lemlist's account test. Cancelling the calling task stops new tests; those on the wire
    /// are awaited and recorded.
    /// With `--team-keys`, each key tests its own teams' mailboxes, all keys at once. A key plan that cannot be met
    /// (a team without a key) is returned as `keyProblem`, and nothing is sent.
    public static func verify(ledgerPath: String, configuration: RunConfiguration, again: Bool, logger: Logger) async throws(LedgerError) -> VerifyReport {
        try LedgerStore.requireExisting(ledgerPath)
        let lock = try RunLock(ledgerPath: ledgerPath)
        defer { withExtendedLifetime(lock) {} }
        let ledger = try Ledger(path: ledgerPath)
        let lanes: [KeyLane]
        switch Self.lanes(for: try await ledger.connectedByTeam(), configuration: configuration) {
        case let .success(found):
            lanes = found
        case let .failure(problem):
            var report = VerifyReport()
            report.keyProblem = problem
            return report
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
        return merged
    }
}

/// One key's verification pass as a value (see `outcome(of:)` in Lanes.swift for why a function).
private func verifyLane(ledger: Ledger, ledgerPath: String, lane: KeyLane, configuration: RunConfiguration, again: Bool,
                        logger: Logger) async -> Result<VerifyReport, LedgerError> {
    let transport = HTTPTransport(configuration)
    do {
        let verifier = Verifier(ledger: ledger, transport: transport, configuration: configuration, clock: ContinuousClock(), logger: logger,
                                startLog: try RequestStartLog(ledgerPath: ledgerPath, keyHash: lane.rateLogHash))
        let report = try await verifier.run(again: again)
        await transport.shutdown()
        return .success(report)
    } catch {
        await transport.shutdown()
        return .failure(error)
    }
}

extension ExitStatus {
    /// The exit status of a verification pass: a stop's code, 130 when interrupted, 11 when some test did not pass
    /// (failed, account gone, or not completed), else 0.
    public init(_ report: VerifyReport) {
        if report.keyProblem != nil {
            self = .usage
        } else if let stop = report.stop {
            self.init(stop)
        } else if report.interrupted {
            self = .interrupted
        } else if report.failed + report.notFound + report.untested > 0 {
            self = .verificationFailed
        } else {
            self = .success
        }
    }
}
