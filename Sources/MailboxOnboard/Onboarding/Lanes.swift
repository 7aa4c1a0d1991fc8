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

/// One key's run as a value, in a lane of its own (see `withLane`). A plain function rather than a typed `do`/`catch`
/// inside the task group's closure, which the release build of Swift 6.3 miscompiled (a corrupt result when the group
/// collected it).
private func sendLane(ledger: Ledger, ledgerPath: String, lane: KeyLane, index: Int, configuration: RunConfiguration, logger: Logger,
                      statistics: RunStatistics, active: ActiveSubmitters) async -> Result<RunReport, LedgerError> {
    do {
        return .success(try await withLane(configuration: configuration, ledgerPath: ledgerPath, keyHash: lane.rateLogHash, logger: logger) {
            (lane: Lane<ContinuousClock>) async throws(LedgerError) -> RunReport in
            let submitter = Submitter(ledger: ledger, lane: lane, statistics: statistics)
            active.add(submitter, at: index)
            defer { active.remove(at: index) }
            var report = try await submitter.run()
            // Settings follow the connects (and the account tests, which decide whether warm-up may start).
            guard report.stop == nil, !report.interrupted, !Task.isCancelled else { return report }
            let settings = try await SettingsStep(ledger: ledger, lane: lane, statistics: statistics).run()
            if !settings.isEmpty { report.settings = settings }
            report.stop = settings.stop
            report.interrupted = settings.interrupted
            return report
        })
    } catch {
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
    static func lanes(for counts: [TeamCount], configuration: RunConfiguration, teamKeys: TeamKeys?) -> Result<[KeyLane], KeyPlanProblem> {
        do {
            return .success(try TeamKeys.lanes(for: counts, teamKeys: teamKeys, defaultKey: configuration.defaultKey))
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

extension Onboarding {
    /// One pass per key over the teams of `counts`, keys side by side (at most `concurrency` at once), each in a lane
    /// of its own: the key plan's problem (nothing is sent then), or each key's label (see `KeyLane.label`) and result
    /// in lane order, nil for a key that never started because the pass was stopped first.
    static func eachKey<R: Sendable>(ledgerPath: String, counts: [TeamCount], configuration: RunConfiguration, teamKeys: TeamKeys?,
                                     logger: Logger, _ pass: @escaping @Sendable (_ lane: Lane<ContinuousClock>, _ label: String) async throws(LedgerError) -> R)
        async throws(LedgerError) -> Result<[(label: String, value: R?)], KeyPlanProblem> {
        let lanes: [KeyLane]
        switch Self.lanes(for: counts, configuration: configuration, teamKeys: teamKeys) {
        case let .success(found): lanes = found
        case let .failure(problem): return .failure(problem)
        }
        let results = await eachLane(lanes, concurrency: configuration.concurrency) { _, lane in
            await keyPass(ledgerPath: ledgerPath, lane: lane, configuration: configuration.lane(lane, of: lanes.count),
                          logger: lanes.count > 1 ? logger.with(team: lane.label) : logger, pass)
        }
        var values: [(label: String, value: R?)] = []
        for (lane, result) in zip(lanes, results) { values.append((lane.label, try result?.get())) }
        return .success(values)
    }
}

/// One key's pass as a value, in a lane of its own (see `sendLane` for why a function).
private func keyPass<R: Sendable>(ledgerPath: String, lane: KeyLane, configuration: RunConfiguration, logger: Logger,
                                  _ pass: @Sendable (Lane<ContinuousClock>, String) async throws(LedgerError) -> R) async -> Result<R, LedgerError> {
    let label = lane.label
    do {
        return .success(try await withLane(configuration: configuration, ledgerPath: ledgerPath, keyHash: lane.rateLogHash, logger: logger) {
            (lane: Lane<ContinuousClock>) async throws(LedgerError) -> R in
            try await pass(lane, label)
        })
    } catch {
        return .failure(error)
    }
}
