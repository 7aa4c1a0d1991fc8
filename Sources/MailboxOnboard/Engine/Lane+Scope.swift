import Logging
import OnboardInput

/// Runs `body` with a lane for `configuration`'s key: its transport made by `makeTransport`, its start log in the
/// ledger's `.rate` file under `keyHash` (nil for the default key). The transport is shut down whichever way the
/// lane ends: `body` returning, throwing, or the start log failing to open (a link planted at `.rate`, say).
public func withLane<R: Sendable>(
    configuration: RunConfiguration, ledgerPath: String, keyHash: String?, logger: Logger,
    makeTransport: (RunConfiguration) -> any LemlistTransport = { HTTPTransport($0) },
    _ body: (Lane<ContinuousClock>) async throws(LedgerError) -> R
) async throws(LedgerError) -> R {
    let transport = makeTransport(configuration)
    do {
        let startLog = try RequestStartLog(ledgerPath: ledgerPath, keyHash: keyHash)
        let lane = Lane(transport: transport, configuration: configuration, clock: ContinuousClock(), logger: logger, startLog: startLog)
        let result = try await body(lane)
        await transport.shutdown()
        return result
    } catch {
        await transport.shutdown()
        throw error
    }
}
