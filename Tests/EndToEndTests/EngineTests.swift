import Foundation
import LemlistEmulator
import MailboxOnboard
import Testing
import OnboardInput
import TestSupport

extension EndToEnd {
    @Suite struct Engine {
        /// A submitter's run on a lane of its own, against `baseURL` (the emulator's unless given).
        func run(_ workspace: Scratch, _ emulator: LemlistEmulator?, key: String = "emulator-key", baseURL: String? = nil,
                 tweak: (inout RunConfiguration) -> Void = { _ in }) async throws -> RunReport {
            var configuration = RunConfiguration(baseURL: baseURL ?? emulator?.baseURL ?? "", apiKey: Secret(key))
            tweak(&configuration)
            let ledger = try Ledger(path: workspace.ledger)
            return try await withLane(configuration: configuration, ledgerPath: workspace.ledger, keyHash: nil, logger: quietLogger) { lane throws(LedgerError) in
                try await Submitter(ledger: ledger, lane: lane).run()
            }
        }

        func importRows(_ workspace: Scratch, _ count: Int) throws {
            let file = try workspace.mailboxes(count)
            _ = try Importer.run(files: [file], ledgerPath: workspace.ledger, options: ImportOptions(), logger: quietLogger)
        }

        @Test func everyRowIsCreatedExactlyOnceAndNeverOverTheLimit() async throws {
            let workspace = try Scratch()
            try importRows(workspace, 60)
            try await withEmulator(EmulatorConfiguration(latency: .milliseconds(20) ... .milliseconds(120))) { emulator in
                let report = try await run(workspace, emulator)
                let stats = emulator.statistics
                #expect(report.stop == nil && !report.interrupted)
                #expect(stats.created.count == 60 && stats.created.values.allSatisfy { $0 == 1 })
                #expect(stats.duplicateAttempts == 0)
                #expect(stats.byStatus[429] == nil)
                #expect(stats.maxInWindow(key: "emulator-key", window: 2) <= 20)
                let summary = try ledgerSummary(workspace.ledger)
                #expect(summary.count(.connected) == 60 && summary.outstanding == 0)
            }
        }

        @Test func noRequestFollowsA429BeforeItsRetryAfter() async throws {
            let workspace = try Scratch()
            try importRows(workspace, 40)
            try await withEmulator(EmulatorConfiguration(
                rateLimit: 1000, faults: FaultPlan([.spurious429: 0.2]), seed: 7, spuriousRetryAfter: 1)) { emulator in
                let report = try await run(workspace, emulator) { $0.rateLimit = 1000 }
                let stats = emulator.statistics
                #expect(report.stop == nil)
                #expect(!stats.throttles.isEmpty)
                let arrivals = stats.arrivals["emulator-key"] ?? []
                for throttle in stats.throttles {
                    // Requests already past the limiter when the 429 left may still land in the first moments.
                    let early = arrivals.filter { $0 > throttle.at + 0.2 && $0 < throttle.at + throttle.retryAfter }
                    #expect(early.isEmpty, "a 429 at \(throttle.at) with Retry-After \(throttle.retryAfter) was followed by requests at \(early)")
                }
                #expect(stats.created.count == 40)
                #expect(try ledgerSummary(workspace.ledger).count(.connected) == 40)
            }
        }

        @Test func transientFaultsEndConnectedAndLostAnswersAreAlreadyConnected() async throws {
            let workspace = try Scratch()
            try importRows(workspace, 40)
            try await withEmulator(EmulatorConfiguration(
                rateLimit: 1000, latency: .milliseconds(5) ... .milliseconds(30),
                faults: FaultPlan([.error500: 0.12, .error503: 0.08, .reset: 0.08, .drop: 0.06, .hang: 0.04, .badBody: 0.05]), seed: 11)) { emulator in
                let report = try await run(workspace, emulator) {
                    $0.rateLimit = 1000
                    $0.timeout = .milliseconds(700)
                    $0.retry = RetryPolicy(base: .milliseconds(20), cap: .milliseconds(200), maxAttempts: 12)
                }
                let stats = emulator.statistics
                #expect(report.stop == nil)
                #expect(stats.created.count == 40 && stats.created.values.allSatisfy { $0 == 1 })
                #expect((stats.faults["500"] ?? 0) > 0 && (stats.faults["reset"] ?? 0) > 0 && (stats.faults["drop"] ?? 0) > 0)
                let summary = try ledgerSummary(workspace.ledger)
                #expect(summary.done == 40 && summary.outstanding == 0 && summary.count(.failed) == 0)
                #expect(summary.count(.alreadyConnected) == stats.faults["drop"] ?? 0)
                #expect(stats.duplicateAttempts == summary.count(.alreadyConnected))
            }
        }

        @Test func aLowerAnnouncedLimitIsFollowedAfterTheFirstBurst() async throws {
            let workspace = try Scratch()
            try importRows(workspace, 24)
            try await withEmulator(EmulatorConfiguration(rateLimit: 5, latency: .milliseconds(10) ... .milliseconds(30))) { emulator in
                let report = try await run(workspace, emulator)
                let stats = emulator.statistics
                #expect(report.stop == nil)
                #expect(stats.created.count == 24)
                // Only the opening burst, sent before any answer announced the limit, may be refused.
                let arrivals = stats.arrivals["emulator-key"] ?? []
                let firstAnswer = try #require(arrivals.first) + 0.5
                let later = arrivals.filter { $0 > firstAnswer }
                var busiest = 0
                for (index, start) in later.enumerated() {
                    busiest = max(busiest, later[index...].prefix { $0 - start < 2 }.count)
                }
                #expect(busiest <= 5)
                #expect((stats.byStatus[429] ?? 0) <= 24 - 5)
            }
        }

        @Test func aRefusedKeyStopsTheRunWithJobsStillPending() async throws {
            let workspace = try Scratch()
            try importRows(workspace, 30)
            try await withEmulator { emulator in
                let report = try await run(workspace, emulator, key: "not-the-key")
                guard case .unauthorized = report.stop else { Issue.record("expected a 401 stop, got \(String(describing: report.stop))"); return }
                // The opening burst (the limit) may be on the wire when the first 401 comes back; nothing after it.
                #expect(emulator.statistics.received <= 20)
                let summary = try ledgerSummary(workspace.ledger)
                #expect(summary.count(.pending) == 30 && summary.count(.inFlight) == 0)
            }
        }

        enum Fatal: String, CaseIterable { case refusedKey, unpaidPlan, htmlPage }

        /// Two rows and forty workers: each mailbox is sent once at most, and nothing leaves after the first fatal
        /// answer (once, 20 requests per mailbox left, half of them after "run stopping").
        @Test(arguments: Fatal.allCases)
        func afterAFatalAnswerNoRequestLeavesAndNoJobIsSentTwice(_ fatal: Fatal) async throws {
            let workspace = try Scratch()
            try importRows(workspace, 2)
            try await withEmulator(EmulatorConfiguration(
                apiKeys: ["emulator-key", "unpaid-key"], latency: .milliseconds(30) ... .milliseconds(30), unpaidKeys: ["unpaid-key"])) { emulator in
                let report = try await run(workspace, emulator, key: fatal == .refusedKey ? "wrong-key" : fatal == .unpaidPlan ? "unpaid-key" : "emulator-key",
                                           baseURL: fatal == .htmlPage ? "http://127.0.0.1:\(emulator.port)/app" : nil)
                #expect(report.stop != nil)
                #expect(emulator.statistics.received == 2, "\(emulator.statistics.received) requests for 2 rows")
                #expect(report.statistics.requests == 2)
                #expect(try ledgerSummary(workspace.ledger).count(.pending) == 2)
            }
        }

        /// A server that sends its headers and then stalls, or trickles its body, is cut off at the timeout like
        /// one that never answers; the mailbox it created is found on the retry.
        @Test(arguments: [FaultPlan.Fault.stall, .trickle])
        func theTimeoutCoversTheWholeAnswer(_ fault: FaultPlan.Fault) async throws {
            let workspace = try Scratch()
            try importRows(workspace, 4)
            try await withEmulator(EmulatorConfiguration(faults: FaultPlan([fault: 1]))) { emulator in
                let report = try await run(workspace, emulator) {
                    $0.timeout = .milliseconds(800)
                    $0.retry = RetryPolicy(base: .milliseconds(10), cap: .milliseconds(50), maxAttempts: 3)
                }
                #expect(report.stop == nil)
                #expect(report.elapsed < .seconds(10), "\(report.elapsed)")
                let summary = try ledgerSummary(workspace.ledger)
                #expect(summary.count(.alreadyConnected) == 4 && summary.outstanding == 0)
                #expect(emulator.statistics.faults[fault.rawValue] == 4)
            }
        }

        @Test func aRefusedConnectionIsAnswerEnoughAndIsNotWaitedOn() async throws {
            let workspace = try Scratch()
            try importRows(workspace, 2)
            // A port nothing listens on: bind one, note it, let it go.
            let closed = try await withEmulator { $0.baseURL }
            let report = try await run(workspace, nil, baseURL: closed) {
                $0.timeout = .seconds(60)
                $0.retry = RetryPolicy(base: .milliseconds(10), cap: .milliseconds(20), maxAttempts: 2)
            }
            #expect(report.elapsed < .seconds(10), "\(report.elapsed)")
            let summary = try ledgerSummary(workspace.ledger)
            #expect(summary.count(.failed) == 2)
            #expect(summary.failedRows.allSatisfy { $0.error?.contains("connection error") == true }, "\(summary.failedRows.map(\.error))")
        }

        @Test func aCreatedAnswerLargerThanTheCapIsStillAnAnswer() async throws {
            let workspace = try Scratch()
            try importRows(workspace, 3)
            try await withEmulator(EmulatorConfiguration(faults: FaultPlan([.oversize: 1]))) { emulator in
                let report = try await run(workspace, emulator)
                #expect(report.stop == nil)
                #expect(emulator.statistics.received == 3)
                let summary = try ledgerSummary(workspace.ledger)
                #expect(summary.count(.connected) == 3)
            }
        }

        @Test func serverTextIsStoredWithoutTheRowsSecretsOrControlCharacters() async throws {
            let workspace = try Scratch()
            try importRows(workspace, 3)
            try await withEmulator(EmulatorConfiguration(faults: FaultPlan([.echo: 1]))) { emulator in
                _ = try await run(workspace, emulator)
                let summary = try ledgerSummary(workspace.ledger)
                #expect(summary.count(.failed) == 3)
                for row in summary.failedRows {
                    let error = try #require(row.error)
                    #expect(error.hasPrefix("HTTP 400: Invalid credentials: smtp_password=<redacted> imap_password=<redacted>"), "\(error)")
                    #expect(!error.contains("PLANTED") && !error.unicodeScalars.contains { $0.value < 0x20 }, "\(error)")
                }
                #expect(!SummaryTable.render(summary, ledgerPath: "l").contains("PLANTED"))
            }
        }

        @Test func anHTMLAnswerMeansTheBaseURLIsWrong() async throws {
            let workspace = try Scratch()
            try importRows(workspace, 10)
            try await withEmulator { emulator in
                let report = try await run(workspace, emulator, baseURL: "http://127.0.0.1:\(emulator.port)/v1")
                guard case .wrongEndpoint = report.stop else { Issue.record("expected a wrong-endpoint stop"); return }
                #expect(try ledgerSummary(workspace.ledger).count(.pending) == 10)
            }
        }
    }
}
