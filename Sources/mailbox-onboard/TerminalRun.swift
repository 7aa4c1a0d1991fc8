import Foundation
import Logging
import MailboxOnboard
import OnboardInput
import Synchronization

/// A library entry point as a person at a terminal expects it: the first Ctrl-C or SIGTERM stops new requests (or
/// logins) and waits for the ones under way (a second ends the process at once); a progress line shows while they
/// go out; an import's report prints as soon as it is done. `run`, `check` and `verify` all go through here.
enum TerminalRun {
    /// Runs `work`, handing it the events to report, until it returns or a signal stops it.
    static func run<T: Sendable>(progress: Bool, onImport: @escaping @Sendable (ImportReport) -> Void = { _ in },
                                 _ work: @escaping @Sendable (_ events: @escaping @Sendable (OnboardingEvent) -> Void) async throws(LedgerError) -> T)
        async throws(LedgerError) -> T {
        let printer = Mutex<Task<Void, Never>?>(nil)
        let events: @Sendable (OnboardingEvent) -> Void = { event in
            switch event {
            case let .imported(report):
                onImport(report)
            case let .sending(monitor):
                guard progress else { return }
                let task = Task { await ProgressPrinter(statistics: monitor.statistics) { await monitor.waitReason()?.words }.run() }
                printer.withLock { $0 = task }
            case let .checking(statistics):
                guard progress else { return }
                printer.withLock { $0 = Task { await ProgressPrinter.checks(statistics) } }
            }
        }
        // A Task's error is untyped; a Result keeps the LedgerError as it is.
        let result = await untilSignal { () async -> Result<T, LedgerError> in
            do throws(LedgerError) {
                return .success(try await work(events))
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
            Console.err("\nstopping: nothing new starts; waiting for what is under way (Ctrl-C again to quit now)\n")
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
