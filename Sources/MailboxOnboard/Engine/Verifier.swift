import Logging
import OnboardInput
import Synchronization

/// What a verification pass found.
public struct VerifyReport: Sendable, Equatable {
    public var passed = 0
    /// Tested, with at least one protocol failing.
    public var failed = 0
    /// lemlist no longer has the account.
    public var notFound = 0
    /// Could not be tested this time (transient failures past the retries, or an answer that was not a verdict).
    public var untested = 0
    public var requests = 0
    /// The jobs whose test did not pass, with what lemlist said.
    public var failures: [Failure] = []
    public var stop: RunStop?
    public var interrupted = false
    /// Why the connected jobs could not be matched to API keys (`--team-keys`); nothing was sent.
    public var keyProblem: KeyPlanProblem? = nil

    /// Several keys' passes as one: summed counts, the stop that decides the exit status.
    static func merged(_ reports: [VerifyReport]) -> VerifyReport {
        guard var sum = reports.first else { return VerifyReport() }
        for next in reports.dropFirst() {
            sum.passed += next.passed
            sum.failed += next.failed
            sum.notFound += next.notFound
            sum.untested += next.untested
            sum.requests += next.requests
            sum.failures += next.failures
            sum.interrupted = sum.interrupted || next.interrupted
        }
        let stops = reports.compactMap(\.stop)
        sum.stop = ExitStatus.precedence.lazy.compactMap { code in stops.first { ExitStatus($0) == code } }.first
        return sum
    }

    public struct Failure: Sendable, Equatable {
        public var senderEmail: String
        public var verification: Verification
    }
}

/// Tests connected mailboxes with lemlist's account test (`POST /user/email-accounts/{id}/test`) through a pool of
/// workers under the same limiter, signals and retries as a run. Each verdict is recorded before the job counts as
/// done, so a pass killed at any moment and started again tests no recorded job twice; one on the wire when the
/// process died is tested once more.
public struct Verifier<C: Clock>: Sendable where C.Duration == Duration {
    public let ledger: Ledger
    public let transport: any LemlistTransport
    public let configuration: RunConfiguration
    public let clock: C
    public let wallClock: WallClock
    public let random: @Sendable () -> Double
    public let logger: Logger
    public let startLog: RequestStartLog?
    let limiter: RateLimiter<C>

    public init(ledger: Ledger, transport: any LemlistTransport, configuration: RunConfiguration, clock: C, wallClock: WallClock = .system,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, logger: Logger, startLog: RequestStartLog? = nil) {
        self.init(ledger: ledger, transport: transport, configuration: configuration, clock: clock, wallClock: wallClock, random: random,
                  logger: logger, startLog: startLog,
                  limiter: RateLimiter(limit: configuration.rateLimit, window: configuration.rateWindow + configuration.safetyMargin, clock: clock))
    }

    /// A verifier that shares a run's limiter, so a run's tests and its POSTs count against one window.
    init(ledger: Ledger, transport: any LemlistTransport, configuration: RunConfiguration, clock: C, wallClock: WallClock,
         random: @escaping @Sendable () -> Double, logger: Logger, startLog: RequestStartLog?, limiter: RateLimiter<C>) {
        self.ledger = ledger
        self.transport = transport
        self.configuration = configuration
        self.clock = clock
        self.wallClock = wallClock
        self.random = random
        self.logger = logger
        self.startLog = startLog
        self.limiter = limiter
    }

    var window: Duration { configuration.rateWindow + configuration.safetyMargin }

    /// Tests every connected job that has an account id and no verdict yet (`again`: every one of them).
    public func run(again: Bool) async throws(LedgerError) -> VerifyReport {
        await limiter.continueWindow(from: startLog, clock: clock, now: wallClock.seconds)
        let jobs = try await ledger.unverifiedJobs(again: again, scope: configuration.scope)
        let byId = Dictionary(uniqueKeysWithValues: jobs.map { ($0.id, $0) })
        let queue = JobQueue(clock: clock, jobs: jobs.map { ($0.id, nil) })
        let report = Tally()
        let halt = Halt()
        var ledgerFailure: LedgerError?
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<min(max(configuration.concurrency, 1), max(jobs.count, 1)) {
                    group.addTask {
                        while !halt.isSet, let id = await queue.next() {
                            guard let job = byId[id] else { await queue.done(); continue }
                            // Once a test may leave, see it through: its verdict must be recorded even on Ctrl-C.
                            let test = Task { try await self.test(job, report: report, halt: halt) }
                            let outcome = await test.result
                            await queue.done()
                            try outcome.get()
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch let stop as RunStop {
            report.state.withLock { $0.stop = stop }
        } catch let error as LedgerError {
            ledgerFailure = error
        } catch {
            // Cancelled: what was on the wire has been recorded.
        }
        if let ledgerFailure { throw ledgerFailure }
        var result = report.state.withLock { $0 }
        result.interrupted = result.stop == nil && Task.isCancelled
        return result
    }

    /// One job's test, retried while it fails transiently; the verdict is recorded in the ledger.
    func test(_ job: UnverifiedJob, report: Tally, halt: Halt) async throws {
        var attempts = 0, throttled = 0
        while true {
            try await limiter.acquire()
            if halt.isSet { return }
            startLog?.record(wallClock.seconds)
            report.state.withLock { $0.requests += 1 }
            let reply = await transport.send(LemlistRequest(.test(accountId: job.accountId)))
            var failure: String
            switch reply {
            case let .transportError(reason):
                failure = reason
            case let .answer(status, contentType, body, signals):
                await limiter.follow(signals, status: status, window: window, clock: clock, now: wallClock.seconds)
                let message = ResponseClassifier.summarize(ServerText.clean(body, removing: [configuration.apiKey.revealed]))
                switch status {
                case 200...299:
                    let isJSON = contentType?.lowercased().contains("json") == true || body.trimmingSpaces.first == "{"
                    guard isJSON else {
                        halt.set()
                        throw RunStop.wrongEndpoint("HTTP \(status) with a \(contentType ?? "untyped") body instead of JSON")
                    }
                    do {
                        let verdict = try TeamAnswers.testResult(body) { ServerText.clean($0, removing: [configuration.apiKey.revealed]) }
                        try await record(job, .tested(smtpError: verdict.smtpError, imapError: verdict.imapError), report: report)
                        return
                    } catch let unreadable as TeamAnswers.Unreadable {
                        failure = unreadable.localizedDescription
                    }
                case 404:
                    try await record(job, .notFound, report: report)
                    return
                case 401: halt.set(); throw RunStop.unauthorized(message.isEmpty ? "unauthorized" : message)
                case 402: halt.set(); throw RunStop.paymentRequired(message.isEmpty ? "payment required" : message)
                case 300...399, 405: halt.set(); throw RunStop.wrongEndpoint("HTTP \(status) for POST /user/email-accounts/{id}/test")
                case 429:
                    throttled += 1
                    if throttled < configuration.retry.maxThrottled { continue }
                    failure = "rate limited \(throttled) times"
                case 408, 500...599:
                    failure = "HTTP \(status)\(message.isEmpty ? "" : ": " + message)"
                default:
                    logger.warning("account test refused", metadata: ["mailbox": "\(job.senderEmail)", "status": "\(status)", "error": "\(message)"])
                    report.state.withLock { $0.untested += 1 }
                    return
                }
            }
            attempts += 1
            guard attempts < configuration.retry.maxAttempts else {
                logger.warning("account test not completed", metadata: ["mailbox": "\(job.senderEmail)", "error": "\(failure)"])
                report.state.withLock { $0.untested += 1 }
                return
            }
            try await clock.sleep(for: configuration.retry.delay(afterAttempt: attempts, unit: random()))
        }
    }

    private func record(_ job: UnverifiedJob, _ verification: Verification, report: Tally) async throws {
        try await ledger.recordVerification(job.id, verification)
        report.state.withLock { report in
            switch verification {
            case .notFound: report.notFound += 1
            case .tested: if verification.passed { report.passed += 1 } else { report.failed += 1 }
            }
            if !verification.passed { report.failures.append(.init(senderEmail: job.senderEmail, verification: verification)) }
        }
    }
}

/// A pass's counts, shared by its workers.
final class Tally: Sendable {
    let state = Mutex(VerifyReport())
}
