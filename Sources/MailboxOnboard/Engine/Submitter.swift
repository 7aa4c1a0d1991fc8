import Foundation
import Logging
import Synchronization
import OnboardInput

/// How a run ended.
public struct RunReport: Sendable {
    public var statistics: RunStatistics.Snapshot
    /// Set when the server made the run stop (bad key, plan, base URL).
    public var stop: RunStop?
    /// Set when the run was cancelled (Ctrl-C, SIGTERM) before its queue was empty.
    public var interrupted: Bool
    public var elapsed: Duration
    /// What pre-flight found and settled, when it ran.
    public var preflight: PreflightReport? = nil
    /// The account tests made right after each 201, with `verify`.
    public var verification: VerifyReport? = nil
    /// The login checks made just before sending, with `check`.
    public var checks: CheckReport? = nil
    /// The daily limits and warm-up applied once the mailboxes were connected.
    public var settings: SettingsReport? = nil
}

/// Sends every outstanding job of a ledger through a fixed pool of workers that share one rate limiter.
///
/// A job is durably `in_flight` before its request may leave, and its answer is recorded before the worker takes
/// another, so a crash at any moment loses nothing: the next run finds `in_flight` jobs and sends them again, and an
/// "already exists" answer then counts as `already_connected`. Cancelling the calling task stops new requests at
/// once; requests already on the wire are awaited (up to the timeout) and recorded.
public struct Submitter<C: Clock>: Sendable where C.Duration == Duration {
    public let ledger: Ledger
    /// The key's way to lemlist; its owner (`withLane`) shuts it down.
    public let lane: Lane<C>
    public let statistics: RunStatistics
    /// Pre-flight's requests for this key alone.
    let preflightSent = RequestCount()

    var configuration: RunConfiguration { lane.configuration }
    var logger: Logger { lane.logger }
    var clock: C { lane.clock }

    public init(ledger: Ledger, lane: Lane<C>, statistics: RunStatistics = RunStatistics()) {
        self.ledger = ledger
        self.lane = lane
        self.statistics = statistics
    }

    /// A submitter with a lane of its own, made of these parts.
    public init(ledger: Ledger, transport: any LemlistTransport, configuration: RunConfiguration, clock: C, wallClock: WallClock = .system,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, logger: Logger,
                statistics: RunStatistics = RunStatistics(), startLog: RequestStartLog? = nil) {
        self.init(ledger: ledger, lane: Lane(transport: transport, configuration: configuration, clock: clock, wallClock: wallClock,
                                             random: random, logger: logger, startLog: startLog), statistics: statistics)
    }

    /// Why workers are waiting, if they are, for the progress line.
    public func waitReason() async -> WaitReason? { await lane.waitReason() }

    public func run() async throws(LedgerError) -> RunReport {
        let started = clock.now
        await lane.continueWindow()
        var preflight: PreflightReport?
        if configuration.preflight, try await !ledger.outstanding(includeHeld: configuration.includeFailedChecks, scope: configuration.scope).isEmpty {
            do {
                preflight = try await checkTeamFirst()
            } catch let stop as RunStop {
                logger.error("run stopping before any mailbox was sent", metadata: ["reason": "\(stop.localizedDescription)"])
                return RunReport(statistics: statistics.snapshot, stop: stop, interrupted: false, elapsed: started.duration(to: clock.now),
                                 preflight: PreflightReport(requests: preflightSent.value))
            } catch let error as LedgerError {
                throw error
            } catch {
                return RunReport(statistics: statistics.snapshot, stop: nil, interrupted: true, elapsed: started.duration(to: clock.now))
            }
        }
        let outstanding = try await ledger.outstanding(includeHeld: configuration.includeFailedChecks, scope: configuration.scope)
        let nowMs = lane.wallClock.milliseconds()
        let queue = JobQueue(clock: clock, jobs: outstanding.map { job in
            let wait = (job.state == .retrying ? job.nextAttemptAt.map { $0 - nowMs } : nil) ?? 0
            return (job.id, wait > 0 ? clock.now.advanced(by: .milliseconds(wait)) : nil)
        })
        // Added, not set: the runs of several keys share one set of counts.
        statistics.update {
            $0.total += outstanding.count
            $0.retrying += outstanding.filter { $0.state == .retrying }.count
        }
        logger.info("run starting", metadata: ["jobs": "\(outstanding.count)", "concurrency": "\(configuration.concurrency)"])
        var stop: RunStop?
        var ledgerFailure: LedgerError?
        let halt = Halt()
        let tests = configuration.verify ? Tally() : nil
        let checks = configuration.check.map { LoginChecks(checker: Checker(ledger: ledger, configuration: $0, logger: logger)) }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<max(configuration.concurrency, 1) {
                    group.addTask { try await worker(queue: queue, halt: halt, tests: tests, checks: checks) }
                }
                try await group.waitForAll()
            }
        } catch let error as RunStop {
            stop = error
        } catch let error as LedgerError {
            ledgerFailure = error
        } catch {
            // Cancellation: the caller asked to stop; what was on the wire has been recorded.
        }
        await ledger.settle()
        if let ledgerFailure { throw ledgerFailure }
        let interrupted = stop == nil && Task.isCancelled
        return RunReport(statistics: statistics.snapshot, stop: stop, interrupted: interrupted, elapsed: started.duration(to: clock.now),
                         preflight: preflight, verification: tests?.state.withLock { $0 }, checks: checks?.checker.report.withLock { $0 })
    }

    private func worker(queue: JobQueue<C>, halt: Halt, tests: Tally?, checks: LoginChecks?) async throws {
        while !halt.isSet, let id = await queue.next() {
            if let checks, checks.firstTime(id) {
                // Checked just before its first request in this run; a retry is not checked again.
                guard let job = try await ledger.checkableJob(id) else {
                    await queue.done()
                    continue
                }
                let checker = checks.checker
                guard let verdict = try await Task(operation: { try await checker.check(job) }).value else {
                    await queue.done()
                    continue
                }
                if JobLifecycle.isHeld(job.state, checkPassed: verdict.passed), !configuration.includeFailedChecks {
                    statistics.update { $0.held += 1 }
                    await queue.done()
                    continue
                }
            }
            guard let attempt = try await ledger.beginAttempt(id) else {
                await queue.done()
                continue
            }
            do {
                try await lane.admit()
            } catch {
                try await ledger.finish(attempt, .untouched)
                await queue.done()
                throw error
            }
            // Once the request may leave, see it through even if the run is being cancelled: its answer must be
            // recorded, or a created mailbox would be sent again. An unstructured task does not inherit cancellation.
            let exchange = Task { try await self.exchange(attempt, queue: queue, halt: halt, tests: tests) }
            try await exchange.value
        }
    }

    private func exchange(_ attempt: Attempt, queue: JobQueue<C>, halt: Halt, tests: Tally?) async throws {
        let request = LemlistRequest.connect(attempt.credential)
        guard let answer = await lane.exchange(request, on: .connect, secrets: secrets(of: attempt), halt: halt,
                                               sent: { statistics.update { $0.requests += 1 } }) else {
            // After a fatal answer nothing new leaves, even from a worker that was already past the limiter.
            try await ledger.finish(attempt, .untouched)
            await queue.done()
            return
        }
        let outcome = Outcome(answer)
        logger.debug("answer", metadata: ["job.id": "\(attempt.id)", "mailbox": "\(attempt.senderEmail)", "outcome": "\(outcome)"])
        let (result, requeueAfter) = AttemptDecision.decide(outcome, for: attempt, policy: configuration.retry,
                                                            now: lane.wallClock.milliseconds(), unit: lane.random())
        try await ledger.finish(attempt, result)
        statistics.update { stats in
            if attempt.previousState == .retrying { stats.retrying -= 1 }
            switch result {
            case .connected: stats.connected += 1
            case .alreadyConnected: stats.alreadyConnected += 1
            case .failed: stats.failed += 1
            case let .retry(_, _, _, throttled):
                stats.retrying += 1
                if throttled { stats.throttled += 1 }
            case .untouched: break
            }
        }
        if let tests, case let .connected(accountId?) = result {
            // Tested right after its own 201, through the same lane; a stop it meets stops the run.
            do {
                try await verifier.test(UnverifiedJob(id: attempt.id, senderEmail: attempt.senderEmail, accountId: accountId), report: tests, halt: halt)
            } catch {
                await queue.done()
                throw error
            }
        }
        if let requeueAfter {
            await queue.requeue(attempt.id, at: clock.now.advanced(by: requeueAfter))
        } else {
            await queue.done()
        }
        if case let .stop(reason) = outcome {
            logger.error("run stopping", metadata: ["reason": "\(reason)"])
            throw reason
        }
    }

    /// What must never be stored from a server's answer to this attempt besides the key: its passwords.
    private func secrets(of attempt: Attempt) -> [String] { attempt.credential.secrets }

    /// Account tests for `run --verify`, through this run's lane.
    var verifier: Verifier<C> { Verifier(ledger: ledger, lane: lane) }

    /// Pre-flight (see `Preflight`), then the jobs it settles without a request: a mailbox the team already has is
    /// `already_connected` with its account id, a job whose userId is not a member is `failed`.
    private func checkTeamFirst() async throws -> PreflightReport {
        let snapshot = try await Preflight(lane: lane, statistics: statistics, sent: preflightSent).run()
        var report = PreflightReport(members: snapshot.members?.count, mailboxesFound: snapshot.mailboxes?.count, warnings: snapshot.warnings)
        var settlements: [(id: Int, result: AttemptResult)] = []
        for job in try await ledger.unsentJobs(scope: configuration.scope) {
            if let accountId = snapshot.mailboxes?[TeamSnapshot.matchKey(job.senderEmail)] {
                settlements.append((job.id, .alreadyConnected(note: "lemlist already had this mailbox (found before sending)", accountId: accountId)))
                report.alreadyThere += 1
            } else if let members = snapshot.members, let user = job.userId, !members.contains(user) {
                settlements.append((job.id, .failed(reason: "userId is not a member of this team",
                                                    message: "userId \(user) is not a member of this team (found before sending; no request spent)")))
                report.notMembers += 1
            }
        }
        try await ledger.settleUnsent(settlements)
        report.requests = preflightSent.value
        statistics.update { $0.preflightSettled += report.settled }
        for warning in report.warnings { logger.warning("pre-flight: \(warning)") }
        return report
    }
}

/// `run --check`'s checker, and the jobs it has checked in this run.
final class LoginChecks: Sendable {
    let checker: Checker
    private let checked = Mutex(Set<Int>())

    init(checker: Checker) {
        self.checker = checker
    }

    /// True the first time it is asked about `id`.
    func firstTime(_ id: Int) -> Bool {
        checked.withLock { $0.insert(id).inserted }
    }
}
