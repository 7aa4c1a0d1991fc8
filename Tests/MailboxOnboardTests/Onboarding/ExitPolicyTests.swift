import Testing
@testable import MailboxOnboard
@testable import OnboardInput

/// One policy picks the exit code: each outcome lists what it found, `ExitStatus.first(of:)` ranks them, and each
/// command's list of codes is what its outcome can return.
struct ExitPolicyTests {
    func summary(failed: Int = 0, held: Int = 0) -> Summary {
        var byState = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
        byState[.failed] = failed
        return Summary(total: failed, byState: byState, failures: [], failedRows: [], checks: Summary.CheckCounts(held: held))
    }

    func run(stop: RunStop? = nil, interrupted: Bool = false, verification: VerifyReport? = nil) -> RunReport {
        RunReport(statistics: RunStatistics().snapshot, stop: stop, interrupted: interrupted, elapsed: .zero, verification: verification)
    }

    @Test func everyCodeButSuccessIsRanked() {
        #expect(Set(ExitStatus.precedence) == Set(ExitStatus.allCases).subtracting([.success]))
        #expect(ExitStatus.precedence.count == Set(ExitStatus.precedence).count)
        #expect(ExitStatus.first(of: []) == .success)
    }

    @Test func anUnreadableFileRanksAboveInvalidRows() {
        var report = ImportReport()
        report.unreadable = [.empty(file: "a.csv")]
        report.counts.invalid = 2
        #expect(report.statuses.contains(.invalidRows) && ExitStatus(report) == .unreadableInput)
        #expect(ExitStatus.first(of: [.invalidRows, .unreadableInput]) == .unreadableInput)
    }

    @Test func aRunWhoseAccountTestFailedExitsElevenAndListsIt() {
        var tests = VerifyReport()
        tests.failed = 1
        let outcome = OnboardingOutcome(importReport: nil, run: run(verification: tests), summary: summary())
        #expect(outcome.exitStatus == .verificationFailed)
        #expect(ExitStatus.forRun.contains(.verificationFailed))
    }

    @Test func aStopOutranksFailedJobsAndAnInterruption() {
        let outcome = OnboardingOutcome(importReport: nil, run: run(stop: .unauthorized("HTTP 401"), interrupted: true), summary: summary(failed: 3, held: 1))
        #expect(outcome.statuses.count == 4)
        #expect(outcome.exitStatus == .unauthorized)
        let problem = OnboardingOutcome(importReport: nil, run: run(), summary: summary(failed: 3), keyProblem: KeyPlanProblem(message: "x"))
        #expect(problem.exitStatus == .usage)
    }

    /// Whatever an outcome reports is in the list its command's help shows.
    @Test func eachOutcomeReturnsOnlyWhatItsCommandLists() {
        var imported = ImportReport()
        imported.unreadable = [.empty(file: "a.csv")]
        imported.counts.invalid = 1
        var tests = VerifyReport()
        tests.untested = 1
        tests.interrupted = true
        tests.stop = .paymentRequired("HTTP 402")
        let runs = [OnboardingOutcome(importReport: imported, run: run(stop: .wrongEndpoint("x"), interrupted: true, verification: tests),
                                      summary: summary(failed: 1, held: 1)),
                    OnboardingOutcome(importReport: nil, run: run(), summary: summary(), keyProblem: KeyPlanProblem(message: "x"))]
        for outcome in runs { #expect(Set(outcome.statuses).isSubset(of: ExitStatus.forRun), "\(outcome.statuses)") }
        let verify = VerifyOutcome(report: tests)
        #expect(Set(verify.statuses) == [.paymentRequired, .interrupted, .verificationFailed])
        #expect(Set(verify.statuses).isSubset(of: ExitStatus.forVerify))
        var checked = CheckReport()
        checked.failed = 1
        checked.interrupted = true
        let check = CheckOutcome(importReport: imported, report: checked, summary: summary())
        #expect(Set(check.statuses) == [.unreadableInput, .invalidRows, .interrupted, .checkFailed])
        #expect(Set(check.statuses).isSubset(of: ExitStatus.forCheck))
        #expect(Set(imported.statuses).isSubset(of: ExitStatus.forImport))
    }
}

/// Several keys' reports become one: counts summed, the winning stop kept.
struct ReportMergingTests {
    @Test func theStopThatWinsTheExitCodeIsKept() {
        #expect(RunStop.first(of: [.wrongEndpoint("a"), .unauthorized("b"), .paymentRequired("c")]) == .unauthorized("b"))
        #expect(RunStop.first(of: []) == nil)
    }

    @Test func verifyReportsAreSummed() {
        var a = VerifyReport()
        a.passed = 2
        a.failed = 1
        a.requests = 3
        a.failures = [.init(senderEmail: "a@x.com", verification: .notFound)]
        var b = VerifyReport()
        b.notFound = 1
        b.untested = 2
        b.requests = 4
        b.interrupted = true
        b.stop = .paymentRequired("402")
        let sum = VerifyReport.merged([a, b])
        #expect(sum.passed == 2 && sum.failed == 1 && sum.notFound == 1 && sum.untested == 2 && sum.requests == 7)
        #expect(sum.failures.count == 1 && sum.interrupted && sum.stop == .paymentRequired("402"))
        #expect(VerifyReport.merged([]) == VerifyReport())
    }

    @Test func runReportsKeepEveryPartAndTheWinningStop() {
        let statistics = RunStatistics().snapshot
        var first = RunReport(statistics: statistics, stop: .wrongEndpoint("x"), interrupted: false, elapsed: .zero)
        first.preflight = PreflightReport(members: 2, mailboxesFound: 5, warnings: ["w1"])
        first.preflight?.alreadyThere = 5
        var second = RunReport(statistics: statistics, stop: .unauthorized("y"), interrupted: true, elapsed: .zero)
        second.preflight = PreflightReport(members: nil, mailboxesFound: 1, warnings: ["w2"])
        second.preflight?.notMembers = 1
        var checks = CheckReport()
        checks.failed = 2
        second.checks = checks
        let merged = RunReport.merged([first, second], statistics: statistics, elapsed: .seconds(1))
        #expect(merged.stop == .unauthorized("y") && merged.interrupted)
        #expect(merged.preflight?.members == nil && merged.preflight?.mailboxesFound == 6)
        #expect(merged.preflight?.alreadyThere == 5 && merged.preflight?.notMembers == 1 && merged.preflight?.warnings == ["w1", "w2"])
        #expect(merged.checks?.failed == 2 && merged.verification == nil)
    }
}
