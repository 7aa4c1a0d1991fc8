import Foundation
import Logging
import MailboxOnboard
import OnboardInput
import Synchronization

/// `Onboarding.run` as a person at a terminal expects it: the first Ctrl-C or SIGTERM stops new requests and waits for
/// the ones on the wire (a second ends the process at once), and a progress line shows while requests go out.
enum TerminalRun {
    static func run(
        ledgerPath: String, files: [String], importOptions: ImportOptions, configuration: RunConfiguration, logger: Logger,
        progress: Bool, onImport: @escaping @Sendable (ImportReport) -> Void
    ) async throws(LedgerError) -> OnboardingOutcome {
        let printer = Mutex<Task<Void, Never>?>(nil)
        let events: @Sendable (OnboardingEvent) -> Void = { event in
            switch event {
            case let .imported(report):
                onImport(report)
            case let .sending(monitor):
                guard progress else { return }
                let task = Task { await ProgressPrinter(statistics: monitor.statistics) { await monitor.waitReason()?.words }.run() }
                printer.withLock { $0 = task }
            case .checking:
                break
            }
        }
        // A Task's error is untyped; a Result keeps the run's LedgerError as it is.
        let result = await untilSignal { () async -> Result<OnboardingOutcome, LedgerError> in
            do throws(LedgerError) {
                return .success(try await Onboarding.run(ledgerPath: ledgerPath, files: files, importOptions: importOptions,
                                                         configuration: configuration, logger: logger, events: events))
            } catch {
                return .failure(error)
            }
        }
        if let task = printer.withLock({ $0 }) {
            task.cancel()
            await task.value
        }
        return try result.get()
    }

    /// Runs `body` as a task that the first Ctrl-C or SIGTERM cancels (a second ends the process at once).
    static func untilSignal<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        let work = Task { await body() }
        let trap = SignalTrap { _ in
            Console.err("\nstopping: no new requests; waiting for the ones on the wire (Ctrl-C again to quit now)\n")
            work.cancel()
        }
        let value = await work.value
        withExtendedLifetime(trap) {}
        return value
    }
}

extension WaitReason {
    /// What the progress line says workers are waiting for.
    var words: String {
        switch self {
        case .window: "rate limit"
        case .serverPause: "lemlist asked to slow down"
        }
    }
}
