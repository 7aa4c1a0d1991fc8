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
        let passes = try await eachKey(ledgerPath: ledgerPath, counts: try await ledger.connectedByTeam(), configuration: configuration,
                                       teamKeys: teamKeys, logger: logger) { lane, _ throws(LedgerError) in
            try await Verifier(ledger: ledger, lane: lane).run(again: again)
        }
        switch passes {
        case let .failure(problem):
            return VerifyOutcome(report: VerifyReport(), keyProblem: problem)
        case let .success(results):
            var merged = VerifyReport.merged(results.compactMap(\.value))
            // Stopped before every key began: the rest are for the next pass.
            if results.contains(where: { $0.value == nil }), merged.stop == nil { merged.interrupted = true }
            return VerifyOutcome(report: merged)
        }
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
