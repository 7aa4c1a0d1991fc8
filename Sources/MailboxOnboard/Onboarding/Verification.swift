import Logging
import OnboardInput

extension Onboarding {
    /// The `verify` command's work: lock the ledger, and test every connected mailbox that has no verdict yet (every
    /// one with `again`) with lemlist's account test. Cancelling the calling task stops new tests; those on the wire
    /// are awaited and recorded.
    public static func verify(ledgerPath: String, configuration: RunConfiguration, again: Bool, logger: Logger) async throws(LedgerError) -> VerifyReport {
        let lock = try RunLock(ledgerPath: ledgerPath)
        defer { withExtendedLifetime(lock) {} }
        let transport = HTTPTransport(configuration)
        let verifier = Verifier(ledger: try Ledger(path: ledgerPath), transport: transport, configuration: configuration,
                                clock: ContinuousClock(), logger: logger, startLog: try RequestStartLog(ledgerPath: ledgerPath))
        do {
            let report = try await verifier.run(again: again)
            await transport.shutdown()
            return report
        } catch {
            await transport.shutdown()
            throw error
        }
    }
}

extension ExitStatus {
    /// The exit status of a verification pass: a stop's code, 130 when interrupted, 11 when some test did not pass
    /// (failed, account gone, or not completed), else 0.
    public init(_ report: VerifyReport) {
        if let stop = report.stop {
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
