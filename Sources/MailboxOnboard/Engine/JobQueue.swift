import OnboardInput

/// The run's work list in memory: job ids ready now, and ids due later (retries), ordered by due time.
/// The ledger stays the record; this only decides which job a free worker takes next.
actor JobQueue<C: Clock> where C.Duration == Duration {
    private let clock: C
    private var ready: [Int] = []
    private var readyHead = 0
    /// Sorted by due time, soonest first.
    private var delayed: [(due: C.Instant, id: Int)] = []
    private var taken = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(clock: C, jobs: [(id: Int, due: C.Instant?)]) {
        self.clock = clock
        ready = jobs.filter { $0.due == nil }.map(\.id)
        delayed = jobs.compactMap { job in job.due.map { ($0, job.id) } }.sorted { $0.due < $1.due }
    }

    /// Jobs not yet taken or taken and not yet settled.
    var remaining: Int { ready.count - readyHead + delayed.count + taken }

    /// The next job to send, waiting for a retry to fall due or a taken job to come back. Nil when nothing is
    /// left, or when the task is cancelled.
    func next() async -> Int? {
        while !Task.isCancelled {
            let now = clock.now
            while let first = delayed.first, first.due <= now {
                delayed.removeFirst()
                ready.append(first.id)
            }
            if readyHead < ready.count {
                let id = ready[readyHead]
                readyHead += 1
                if readyHead > 1024, readyHead * 2 > ready.count {
                    ready.removeFirst(readyHead)
                    readyHead = 0
                }
                taken += 1
                return id
            }
            if let due = delayed.first?.due {
                try? await clock.sleep(until: due, tolerance: nil)
            } else if taken > 0 {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { waiters.append($0) }
                } onCancel: {
                    Task { await self.wakeAll() }
                }
            } else {
                return nil
            }
        }
        return nil
    }

    /// A taken job is settled for this run.
    func done() {
        taken -= 1
        wakeAll()
    }

    /// A taken job goes back, to be sent at `due` (now if nil).
    func requeue(_ id: Int, at due: C.Instant?) {
        taken -= 1
        if let due, due > clock.now { insertDelayed(id, due) } else { ready.append(id) }
        wakeAll()
    }

    private func insertDelayed(_ id: Int, _ due: C.Instant) {
        let index = delayed.firstIndex { $0.due > due } ?? delayed.count
        delayed.insert((due, id), at: index)
    }

    private func wakeAll() {
        let woken = waiters
        waiters.removeAll()
        for waiter in woken { waiter.resume() }
    }
}
