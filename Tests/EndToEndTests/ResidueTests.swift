import Foundation
import LemlistEmulator
import MailboxOnboard
import Testing
import OnboardInput
import TestSupport

extension EndToEnd {
    /// The way a surviving password was found: whole runs against the emulator with transient faults at a high rate,
    /// then every terminal job's passwords looked for in the raw bytes of the ledger and its companions.
    @Suite struct Residue {
        func survivors(rows: Int, seed: UInt64) async throws -> [String] {
            let workspace = try Scratch()
            let file = try workspace.mailboxes(rows)
            _ = try Importer.run(files: [file], ledgerPath: workspace.ledger, options: ImportOptions(), logger: quietLogger)
            return try await withEmulator(EmulatorConfiguration(
                rateLimit: 100_000, faults: FaultPlan([.error503: 0.3, .error500: 0.1, .reset: 0.1, .drop: 0.05]), seed: seed)) { emulator in
                var configuration = RunConfiguration(baseURL: emulator.baseURL, apiKey: Secret("emulator-key"), concurrency: 16)
                configuration.rateLimit = 100_000
                configuration.retry = RetryPolicy(base: .milliseconds(1), cap: .milliseconds(5), maxAttempts: 8)
                let transport = HTTPTransport(configuration)
                let report = try await Submitter(ledger: try Ledger(path: workspace.ledger), transport: transport, configuration: configuration,
                                                 clock: ContinuousClock(), logger: quietLogger).run()
                await transport.shutdown()
                #expect(report.stop == nil)
                let summary = try ledgerSummary(workspace.ledger)
                #expect(summary.outstanding == 0)
                var found: [String] = []
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    guard let bytes = FileManager.default.contents(atPath: workspace.ledger + suffix) else { continue }
                    for index in 0..<rows {
                        for password in ["PLANTED-smtp-\(index)-qx", "PLANTED-imap-\(index)-qx"] where bytes.range(of: Data(password.utf8)) != nil {
                            found.append("\(password) in ledger\(suffix)")
                        }
                    }
                }
                return found
            }
        }

        @Test(arguments: [1, 2, 3, 4] as [UInt64])
        func noPasswordOfAFinishedJobIsLeftAfterAFaultyRun(seed: UInt64) async throws {
            let found = try await survivors(rows: 200, seed: seed)
            #expect(found.isEmpty, "\(found.count) password(s) left: \(found.prefix(4))")
        }

        @Test func noPasswordOfAFinishedJobIsLeftAfterALargerFaultyRun() async throws {
            let found = try await survivors(rows: 2_000, seed: 9)
            #expect(found.isEmpty, "\(found.count) password(s) left: \(found.prefix(4))")
        }
    }
}
