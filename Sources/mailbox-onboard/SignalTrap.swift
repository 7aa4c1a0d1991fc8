@preconcurrency import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
import OnboardInput
#endif

/// Turns SIGINT and SIGTERM into a graceful stop: the first one calls `onFirst` (which cancels the run); a second
/// one ends the process at once with status 130. The ledger stays consistent either way: every change is a
/// committed SQLite transaction, and jobs caught `in_flight` are sent again by the next run.
// Sendable: `sources` is set once in init and only cancelled in deinit; Dispatch sources are thread-safe.
final class SignalTrap: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(onFirst: @escaping @Sendable (Int32) -> Void) {
        let count = Counter()
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if count.increment() == 1 {
                    onFirst(number)
                } else {
                    _exit(130)
                }
            }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    private final class Counter: Sendable {
        private let value = Mutex(0)
        func increment() -> Int { value.withLock { $0 += 1; return $0 } }
    }
}
