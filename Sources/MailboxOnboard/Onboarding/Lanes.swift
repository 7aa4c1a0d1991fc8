import Foundation
import Logging
import OnboardInput

/// One key's part of a run across teams, as reports show it.
public struct LaneReport: Sendable {
    /// The teams the key served (see `KeyLane.label`).
    public var label: String
    public var run: RunReport
}

extension Onboarding {
    /// Sends every outstanding job, each key's jobs through their own transport, limiter, pre-flight and stops, all
    /// keys at once; `concurrency` is split evenly so one slow team cannot take every worker. With one key it is the
    /// one-key run it always was.
    static func send(ledger: Ledger, ledgerPath: String, lanes: [KeyLane], configuration: RunConfiguration, logger: Logger,
                     events: @Sendable (OnboardingEvent) -> Void) async throws(LedgerError) -> (RunReport, [LaneReport]) {
        let statistics = RunStatistics()
        var submitters: [(lane: KeyLane, submitter: Submitter<ContinuousClock>, transport: HTTPTransport)] = []
        for lane in lanes {
            let laneConfiguration = configuration.lane(lane, of: lanes.count)
            let transport = HTTPTransport(laneConfiguration)
            let startLog = try RequestStartLog(ledgerPath: ledgerPath, keyHash: lane.rateLogHash)
            let laneLogger = lanes.count > 1 ? logger.with(team: lane.label) : logger
            submitters.append((lane, Submitter(ledger: ledger, transport: transport, configuration: laneConfiguration, clock: ContinuousClock(),
                                               logger: laneLogger, statistics: statistics, startLog: startLog), transport))
        }
        let waiting = submitters.map(\.submitter)
        events(.sending(RunMonitor(statistics: statistics, waitReason: {
            for submitter in waiting { if let reason = await submitter.waitReason() { return reason } }
            return nil
        })))
        let started = ContinuousClock.now
        let results = await withTaskGroup(of: (Int, String, Result<RunReport, LedgerError>).self) { group in
            for (index, entry) in submitters.enumerated() {
                let label = entry.lane.label, submitter = entry.submitter
                group.addTask { (index, label, await outcome(of: submitter)) }
            }
            var results: [(Int, String, Result<RunReport, LedgerError>)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }
        }
        for entry in submitters { await entry.transport.shutdown() }
        var reports: [LaneReport] = []
        for (_, label, result) in results {
            reports.append(LaneReport(label: label, run: try result.get()))
        }
        guard !reports.isEmpty else {
            // Nothing outstanding for any key.
            return (RunReport(statistics: statistics.snapshot, stop: nil, interrupted: false, elapsed: started.duration(to: .now)), [])
        }
        if reports.count == 1 { return (reports[0].run, reports) }
        return (RunReport.merged(reports.map(\.run), statistics: statistics.snapshot, elapsed: started.duration(to: .now)), reports)
    }
}

/// A run's outcome as a value. A plain function rather than a typed `do`/`catch` inside the task group's closure,
/// which the release build of Swift 6.3 miscompiled (a corrupt result when the group collected it).
private func outcome(of submitter: Submitter<ContinuousClock>) async -> Result<RunReport, LedgerError> {
    do {
        return .success(try await submitter.run())
    } catch {
        return .failure(error)
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

    /// This configuration as one of `count` keys' lanes: its key, its teams, and an even share of the workers.
    func lane(_ lane: KeyLane, of count: Int) -> RunConfiguration {
        var configuration = self
        configuration.apiKey = lane.apiKey
        configuration.scope = lane.scope
        configuration.concurrency = max(1, concurrency / count)
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
