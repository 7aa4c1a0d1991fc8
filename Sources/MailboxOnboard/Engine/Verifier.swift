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
    /// The key's way to lemlist: a run's own, so a run's tests and its POSTs count against one window.
    public let lane: Lane<C>

    var configuration: RunConfiguration { lane.configuration }
    var logger: Logger { lane.logger }

    public init(ledger: Ledger, lane: Lane<C>) {
        self.ledger = ledger
        self.lane = lane
    }

    /// A verifier with a lane of its own, made of these parts.
    public init(ledger: Ledger, transport: any LemlistTransport, configuration: RunConfiguration, clock: C, wallClock: WallClock = .system,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, logger: Logger, startLog: RequestStartLog? = nil) {
        self.init(ledger: ledger, lane: Lane(transport: transport, configuration: configuration, clock: clock, wallClock: wallClock,
                                             random: random, logger: logger, startLog: startLog))
    }

    /// Tests every connected job that has an account id and no verdict yet (`again`: every one of them).
    public func run(again: Bool) async throws(LedgerError) -> VerifyReport {
        await lane.continueWindow()
        let jobs = try await ledger.unverifiedJobs(again: again, scope: configuration.scope)
        let byId = Dictionary(uniqueKeysWithValues: jobs.map { ($0.id, $0) })
        let queue = JobQueue(clock: lane.clock, jobs: jobs.map { ($0.id, nil) })
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
        let result = try await lane.fetch(LemlistRequest(.test(accountId: job.accountId)), on: .accountTest, halt: halt) {
            report.state.withLock { $0.requests += 1 }
        }
        switch result {
        case let .value(.tested(smtpError, imapError)):
            try await record(job, .tested(smtpError: smtpError, imapError: imapError), report: report)
        case .value(.notFound):
            try await record(job, .notFound, report: report)
        case let .stop(stop):
            throw stop
        case let .refused(reason):
            logger.warning("account test refused", metadata: ["mailbox": "\(job.senderEmail)", "error": "\(reason)"])
            report.state.withLock { $0.untested += 1 }
        case let .gaveUp(why):
            logger.warning("account test not completed", metadata: ["mailbox": "\(job.senderEmail)", "error": "\(why.words)"])
            report.state.withLock { $0.untested += 1 }
        case .halted:
            return
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
