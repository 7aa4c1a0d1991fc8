import OnboardInput

// Several keys' reports as one, for the commands that run keys side by side.

extension RunStop {
    /// The stop whose exit code wins among `stops` (see `ExitStatus.precedence`).
    static func first(of stops: [RunStop]) -> RunStop? {
        ExitStatus.precedence.lazy.compactMap { code in stops.first { ExitStatus($0) == code } }.first
    }
}

extension VerifyReport {
    /// Several keys' passes as one: summed counts, and the stop that decides the exit status.
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
        sum.stop = RunStop.first(of: reports.compactMap(\.stop))
        return sum
    }
}

extension SettingsReport {
    /// Several keys' settings passes as one: summed counts, and the stop that decides the exit status.
    static func merged(_ reports: [SettingsReport]) -> SettingsReport {
        var sum = SettingsReport()
        for next in reports {
            sum.applied += next.applied
            sum.failed += next.failed
            sum.left += next.left
            sum.requests += next.requests
            sum.failures += next.failures
            sum.interrupted = sum.interrupted || next.interrupted
        }
        sum.stop = RunStop.first(of: reports.compactMap(\.stop))
        return sum
    }
}

extension RunReport {
    /// Several keys' runs as one: the stop that decides the exit status, an interruption if any, and summed counts.
    static func merged(_ reports: [RunReport], statistics: RunStatistics.Snapshot, elapsed: Duration) -> RunReport {
        var merged = RunReport(statistics: statistics, stop: RunStop.first(of: reports.compactMap(\.stop)), interrupted: reports.contains { $0.interrupted }, elapsed: elapsed)
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
        let settings = reports.compactMap(\.settings)
        if !settings.isEmpty { merged.settings = SettingsReport.merged(settings) }
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
