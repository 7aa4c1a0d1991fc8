import Foundation
import LemlistEmulator
@testable import MailboxOnboard
import Testing
@testable import OnboardInput
import TestSupport

extension EndToEnd {
    /// Real child processes killed mid-run: nothing is lost and nothing is connected twice.
    @Suite struct Crashes {
        @Test func killedAtRandomMomentsThenResumedConnectsEveryMailboxExactlyOnce() async throws {
            let workspace = try Scratch()
            let file = try workspace.mailboxes(150)
            try await withEmulator(EmulatorConfiguration(
                rateLimit: 200, latency: .milliseconds(20) ... .milliseconds(150), seed: 5)) { emulator in
                let arguments = ["run", file, "--ledger", workspace.ledger, "--base-url", emulator.baseURL, "--rate", "200/2s", "--quiet"]
                var random = SplitMix64(seed: 20261126)
                var kills = 0
                var threshold = 0
                while kills < 6 {
                    threshold = emulator.statistics.received + Int.random(in: 2...22, using: &random)
                    let child = try Child(arguments, environment: ["LEMLIST_API_KEY": "emulator-key"], in: workspace)
                    await emulator.waitForRequests(threshold)
                    kill(child.process.processIdentifier, SIGKILL)
                    #expect(await child.wait() == SIGKILL)
                    kills += 1
                }
                let final = try await Child.run(arguments, environment: ["LEMLIST_API_KEY": "emulator-key"], in: workspace)
                #expect(final.status == 0, "\(final.err)")
                let stats = emulator.statistics
                #expect(stats.created.count == 150 && stats.created.values.allSatisfy { $0 == 1 })
                let summary = try ledgerSummary(workspace.ledger)
                #expect(summary.total == 150)
                #expect(summary.done == 150 && summary.count(.inFlight) == 0 && summary.outstanding == 0)
                // A mailbox a killed run created and never recorded is found by the next run's pre-flight, or answered
                // "already exists": either way it is recorded as already connected, and nothing else is.
                var alreadyConnected = Set<String>()
                try LedgerStore(path: workspace.ledger).forEachRow(onlyFailed: false) { row in
                    if row.state == .alreadyConnected { alreadyConnected.insert(row.senderEmail) }
                }
                #expect(Set(stats.repeated.keys).isSubset(of: alreadyConnected))
                #expect(alreadyConnected.isSubset(of: Set(stats.created.keys)))
                #expect(summary.count(.alreadyConnected) <= kills * RunConfiguration.defaultConcurrency)
                // A run that follows a killed one continues its rolling window rather than adding a burst to it.
                #expect(stats.maxInWindow(key: "emulator-key", window: 2) <= 200)
            }
        }

        @Test func aFirstImportKilledMidWriteLeavesNoLedgerAndTheNextImportIsWhole() async throws {
            let workspace = try Scratch()
            let file = try workspace.mailboxes(30_000)
            let draft = workspace.ledger + ".new"
            let child = try Child(["import", file, "--ledger", workspace.ledger], in: workspace)
            // Killed once SQLite has begun writing pages into the draft: mid-transaction, not before or after it.
            let process = UncheckedProcess(process: child.process)
            let midWrite = await waitForFile(draft, atLeast: 1 << 20) { !process.process.isRunning }
            #expect(midWrite, "the draft never reached 1 MiB")
            kill(child.process.processIdentifier, SIGKILL)
            #expect(await child.wait() == SIGKILL, "the import ended before it could be killed mid-write")
            #expect(!FileManager.default.fileExists(atPath: workspace.ledger), "a half-built ledger was published")

            let again = try await Child.run(["import", file, "--ledger", workspace.ledger], in: workspace)
            #expect(again.status == 0, "\(again.err)")
            let summary = try ledgerSummary(workspace.ledger)
            #expect(summary.total == 30_000 && summary.count(.pending) == 30_000)
            #expect(!FileManager.default.fileExists(atPath: draft) && !FileManager.default.fileExists(atPath: draft + "-journal"))
        }

        @Test func ctrlCRecordsWhatIsOnTheWireAndAResumeFinishes() async throws {
            let workspace = try Scratch()
            let file = try workspace.mailboxes(60)
            try await withEmulator(EmulatorConfiguration(latency: .milliseconds(300) ... .milliseconds(600))) { emulator in
                let arguments = ["run", file, "--ledger", workspace.ledger, "--base-url", emulator.baseURL, "--quiet"]
                let child = try Child(arguments, environment: ["LEMLIST_API_KEY": "emulator-key"], in: workspace)
                await emulator.waitForRequests(25)
                kill(child.process.processIdentifier, SIGINT)
                #expect(await child.wait() == ExitStatus.interrupted.rawValue)
                let afterStop = try ledgerSummary(workspace.ledger)
                #expect(afterStop.count(.inFlight) == 0)
                #expect(afterStop.done == emulator.statistics.created.count, "every answer on the wire was recorded")
                #expect(afterStop.outstanding > 0)

                let resumed = try await Child.run(arguments, environment: ["LEMLIST_API_KEY": "emulator-key"], in: workspace)
                #expect(resumed.status == 0, "\(resumed.err)")
                #expect(emulator.statistics.created.count == 60 && emulator.statistics.duplicateAttempts == 0)
                #expect(try ledgerSummary(workspace.ledger).count(.connected) == 60)
            }
        }

        /// Every answer trickles without end: the first Ctrl-C ends the run once the requests on the wire reach
        /// their timeout, and leaves nothing in flight.
        @Test func theFirstCtrlCEndsARunWithinOneTimeoutWhateverTheServerSends() async throws {
            let workspace = try Scratch()
            let file = try workspace.mailboxes(5)
            try await withEmulator(EmulatorConfiguration(faults: FaultPlan([.trickle: 1]))) { emulator in
                let arguments = ["run", file, "--ledger", workspace.ledger, "--base-url", emulator.baseURL, "--quiet", "--timeout", "2"]
                let child = try Child(arguments, environment: ["LEMLIST_API_KEY": "emulator-key"], in: workspace)
                await emulator.waitForRequests(5)
                let stopped = ContinuousClock.now
                kill(child.process.processIdentifier, SIGINT)
                #expect(await child.wait() == ExitStatus.interrupted.rawValue)
                #expect(stopped.duration(to: .now) < .seconds(5), "the timeout is 2 s")
                #expect(try ledgerSummary(workspace.ledger).count(.inFlight) == 0)
            }
        }

        @Test func aSecondRunOnTheSameLedgerIsRefused() async throws {
            let workspace = try Scratch()
            let file = try workspace.mailboxes(30)
            try await withEmulator(EmulatorConfiguration(latency: .milliseconds(400) ... .milliseconds(400))) { emulator in
                let arguments = ["run", file, "--ledger", workspace.ledger, "--base-url", emulator.baseURL, "--quiet"]
                let first = try Child(arguments, environment: ["LEMLIST_API_KEY": "emulator-key"], in: workspace)
                await emulator.waitForRequests(1)
                let second = try await Child.run(arguments, environment: ["LEMLIST_API_KEY": "emulator-key"], in: workspace)
                #expect(second.status == ExitStatus.ledgerProblem.rawValue)
                #expect(second.err.contains("another run is already using this ledger (process \(first.process.processIdentifier))"))
                kill(first.process.processIdentifier, SIGKILL)
                _ = await first.wait()
                let third = try await Child.run(arguments, environment: ["LEMLIST_API_KEY": "emulator-key"], in: workspace)
                #expect(third.status == 0, "a lock left by a killed run must not block: \(third.err)")
            }
        }
    }
}
