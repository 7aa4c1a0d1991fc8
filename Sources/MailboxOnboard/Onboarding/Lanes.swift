import Foundation
import Logging
import OnboardInput
import Synchronization

/// One key's part of a run across teams, as reports show it.
public struct LaneReport: Sendable {
    /// The teams the key served (see `KeyLane.label`).
    public var label: String
    public var run: RunReport
}

extension Onboarding {
    /// Sends every outstanding job, each key's jobs through their own transport, limiter, pre-flight and stops. Keys
    /// run side by side, at most `concurrency` of them at once, and the workers are shared out so that all keys
    /// together never have more than `concurrency` requests in flight. With one key it is the one-key run it always
    /// was.
    static func send(ledger: Ledger, ledgerPath: String, lanes: [KeyLane], configuration: RunConfiguration, logger: Logger,
                     events: @Sendable (OnboardingEvent) -> Void) async throws(LedgerError) -> (RunReport, [LaneReport]) {
        let statistics = RunStatistics()
        let active = ActiveSubmitters()
        events(.sending(RunMonitor(statistics: statistics, waitReason: { await active.waitReason() })))
        let started = ContinuousClock.now
        let results = await eachLane(lanes, concurrency: configuration.concurrency) { index, lane in
            await sendLane(ledger: ledger, ledgerPath: ledgerPath, lane: lane, index: index,
                           configuration: configuration.lane(lane, of: lanes.count), logger: lanes.count > 1 ? logger.with(team: lane.label) : logger,
                           statistics: statistics, active: active)
        }
        var reports: [LaneReport] = []
        for (index, result) in results.enumerated() {
            guard let result else { continue }
            reports.append(LaneReport(label: lanes[index].label, run: try result.get()))
        }
        let unstarted = results.contains { $0 == nil }
        guard !reports.isEmpty else {
            // Nothing outstanding for any key, or stopped before any key began.
            return (RunReport(statistics: statistics.snapshot, stop: nil, interrupted: unstarted, elapsed: started.duration(to: .now)), [])
        }
        if reports.count == 1, !unstarted { return (reports[0].run, reports) }
        var merged = RunReport.merged(reports.map(\.run), statistics: statistics.snapshot, elapsed: started.duration(to: .now))
        merged.interrupted = merged.interrupted || (unstarted && merged.stop == nil)
        return (merged, reports)
    }

    /// Runs `body` for each lane, at most `concurrency` at once, in order; once the calling task is cancelled no
    /// lane starts (its result is nil). Each lane's result is at its index.
    static func eachLane<R: Sendable>(_ lanes: [KeyLane], concurrency: Int,
                                      _ body: @escaping @Sendable (Int, KeyLane) async -> R) async -> [R?] {
        await withTaskGroup(of: (Int, R).self) { group in
            var results = [R?](repeating: nil, count: lanes.count)
            var next = 0
            func startNext() {
                guard next < lanes.count, !Task.isCancelled else { return }
                let index = next, lane = lanes[index]
                next += 1
                group.addTask { (index, await body(index, lane)) }
            }
            for _ in 0..<min(lanes.count, max(concurrency, 1)) { startNext() }
            while let (index, result) = await group.next() {
                results[index] = result
                startNext()
            }
            return results
        }
    }
}

/// One key's run as a value. It owns the key's transport and start log for the run's length, and shuts the
/// transport down whichever way the run ends. A plain function rather than a typed `do`/`catch` inside the task
/// group's closure, which the release build of Swift 6.3 miscompiled (a corrupt result when the group collected it).
private func sendLane(ledger: Ledger, ledgerPath: String, lane: KeyLane, index: Int, configuration: RunConfiguration, logger: Logger,
                      statistics: RunStatistics, active: ActiveSubmitters) async -> Result<RunReport, LedgerError> {
    let transport = HTTPTransport(configuration)
    do {
        let startLog = try RequestStartLog(ledgerPath: ledgerPath, keyHash: lane.rateLogHash)
        let submitter = Submitter(ledger: ledger, transport: transport, configuration: configuration, clock: ContinuousClock(),
                                  logger: logger, statistics: statistics, startLog: startLog)
        active.add(submitter, at: index)
        let report = try await submitter.run()
        active.remove(at: index)
        await transport.shutdown()
        return .success(report)
    } catch {
        active.remove(at: index)
        await transport.shutdown()
        return .failure(error)
    }
}

/// The lanes sending now, for the progress line's "waiting for".
final class ActiveSubmitters: Sendable {
    private let submitters = Mutex<[Int: Submitter<ContinuousClock>]>([:])

    func add(_ submitter: Submitter<ContinuousClock>, at index: Int) { submitters.withLock { $0[index] = submitter } }
    func remove(at index: Int) { _ = submitters.withLock { $0.removeValue(forKey: index) } }

    func waitReason() async -> WaitReason? {
        for submitter in submitters.withLock({ $0.sorted { $0.key < $1.key }.map(\.value) }) {
            if let reason = await submitter.waitReason() { return reason }
        }
        return nil
    }
}

extension Onboarding {
    /// Which key sends which jobs (see `TeamKeys.lanes`): a plan that cannot be met is a value, for the command to
    /// report as a usage error with nothing sent.
    static func lanes(for counts: [TeamCount], configuration: RunConfiguration) -> Result<[KeyLane], KeyPlanProblem> {
        do {
            return .success(try TeamKeys.lanes(for: counts, teamKeys: configuration.teamKeys, defaultKey: configuration.defaultKey))
        } catch {
            return .failure(error)
        }
    }
}

extension RunConfiguration {
    /// The default key when one was given; with `--team-keys` the rows without a team may need none.
    var defaultKey: Secret? { apiKey.revealed.isEmpty ? nil : apiKey }

    /// This configuration as one of `count` keys' lanes: its key, its teams, and an even share of the workers among
    /// the lanes that run at once (at most `concurrency` of them), so the run never has more in flight.
    func lane(_ lane: KeyLane, of count: Int) -> RunConfiguration {
        var configuration = self
        configuration.apiKey = lane.apiKey
        configuration.scope = lane.scope
        configuration.concurrency = max(1, concurrency / max(1, min(count, concurrency)))
        return configuration
    }
}

extension Logger {
    /// The same logger with every line naming the team(s) its key serves.
    func with(team: String) -> Logger {
        var logger = self
        logger[metadataKey: "team"] = "\(team)"
        return logger
    }
}

extension RunReport {
    /// Several keys' runs as one: the stop that decides the exit status, an interruption if any, and summed counts.
    static func merged(_ reports: [RunReport], statistics: RunStatistics.Snapshot, elapsed: Duration) -> RunReport {
        let stops = reports.compactMap(\.stop)
        let stop = ExitStatus.precedence.lazy.compactMap { code in stops.first { ExitStatus($0) == code } }.first
        var merged = RunReport(statistics: statistics, stop: stop, interrupted: reports.contains { $0.interrupted }, elapsed: elapsed)
        let preflights = reports.compactMap(\.preflight)
        if !preflights.isEmpty {
            merged.preflight = preflights.dropFirst().reduce(preflights[0]) { sum, next in
                var sum = sum
                sum.members = sum.members.flatMap { a in next.members.map { a + $0 } }
                sum.mailboxesFound = sum.mailboxesFound.flatMap { a in next.mailboxesFound.map { a + $0 } }
                sum.alreadyThere += next.alreadyThere
                sum.notMembers += next.notMembers
                sum.requests += next.requests
                sum.warnings += next.warnings
                return sum
            }
        }
        let tests = reports.compactMap(\.verification)
        if !tests.isEmpty { merged.verification = VerifyReport.merged(tests) }
        let checks = reports.compactMap(\.checks)
        if !checks.isEmpty {
            merged.checks = checks.dropFirst().reduce(checks[0]) { sum, next in
                var sum = sum
                sum.passed += next.passed
                sum.failed += next.failed
                sum.failures += next.failures
                sum.interrupted = sum.interrupted || next.interrupted
                return sum
            }
        }
        return merged
    }
}
