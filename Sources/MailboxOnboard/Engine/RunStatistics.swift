import Synchronization
import OnboardInput

/// Live counts of a run, updated by the workers and read by the progress line. Lock-protected, so any task may
/// read or update it without awaiting.
public final class RunStatistics: Sendable {
    /// A consistent copy of the counts at one moment.
    public struct Snapshot: Sendable, Equatable {
        /// Jobs this run set out to send.
        public var total = 0
        public var connected = 0
        public var alreadyConnected = 0
        public var failed = 0
        /// Jobs waiting for a retry right now.
        public var retrying = 0
        public var requests = 0
        /// Of `requests`, those pre-flight spent.
        public var preflightRequests = 0
        /// Jobs pre-flight settled without a request.
        public var preflightSettled = 0
        public var throttled = 0
        /// Jobs `run --check` held back because their login check failed.
        public var held = 0

        public var done: Int { connected + alreadyConnected + failed + held }
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ change: (inout Snapshot) -> Void) {
        state.withLock { change(&$0) }
    }
}
