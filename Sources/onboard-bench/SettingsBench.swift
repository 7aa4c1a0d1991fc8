import Foundation
import LemlistEmulator
import MailboxOnboard
import OnboardInput

extension OnboardBench {
    /// 1,000 connected mailboxes, each with a daily limit, warm-up settings and a start: `configure`'s requests and
    /// wall time against the emulator (20 requests per 2 s, 200-800 ms an answer), as a fraction of the physical
    /// limit: requests / (10 per s x wall).
    static func settingsBenchmark() async throws {
        print("settings: 1,000 connected mailboxes, each with a daily limit, warm-up maximum and ramp-up, and warm-up on")
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        var text = "Email,SMTP Host,SMTP Port,SMTP Username,SMTP Password,IMAP Host,IMAP Port,IMAP Username,IMAP Password,First Name,"
            + "Daily Limit,Warmup Enabled,Warmup Limit,Warmup Increment\n"
        for index in 0..<1000 {
            let email = "sender\(index)@example-outreach.com"
            text += "\(email),smtp.example-outreach.com,587,\(email),pw-\(index)-Xq9!,imap.example-outreach.com,993,\(email),pw-\(index)-Xq9!,Sam,"
                + "\(20 + index % 30),TRUE,\(10 + index % 20),\(1 + index % 3)\n"
        }
        let csv = folder.appendingPathComponent("rows.csv").path
        try text.write(toFile: csv, atomically: true, encoding: .utf8)
        let ledgerPath = folder.appendingPathComponent("onboarding.db").path
        _ = try Importer.run(files: [csv], ledgerPath: ledgerPath, options: ImportOptions(), logger: logger)
        try await withEmulator(EmulatorConfiguration(apiKeys: ["bench-key"], rateLimit: 1_000_000, teamMembers: ["usr_A1B2C3D4E5F6G7H8I9"])) { fast in
            // Connected first against an emulator without a limit: only the settings step is timed.
            var configuration = RunConfiguration(baseURL: fast.baseURL, apiKey: Secret("bench-key"), concurrency: 64)
            configuration.rateLimit = 1_000_000
            let ledger = try Ledger(path: ledgerPath)
            _ = try await withLane(configuration: configuration, ledgerPath: ledgerPath, keyHash: nil, logger: logger) {
                lane throws(LedgerError) in try await Submitter(ledger: ledger, lane: lane).run()
            }
        }
        let clock = ContinuousClock()
        let emulator = try await LemlistEmulator.start(configuration: EmulatorConfiguration(
            apiKeys: ["bench-key"], latency: .milliseconds(200) ... .milliseconds(800), teamMembers: ["usr_A1B2C3D4E5F6G7H8I9"],
            existingMailboxes: Set((0..<1000).map { "sender\($0)@example-outreach.com" })))
        let start = clock.now
        let outcome = try await Onboarding.configure(ledgerPath: ledgerPath, configuration: RunConfiguration(baseURL: emulator.baseURL,
                                                                                                            apiKey: Secret("bench-key")), logger: logger)
        let wall = start.duration(to: clock.now).inSeconds
        await emulator.stop()
        let stats = emulator.statistics
        let fraction = Double(stats.received) / (10 * wall)
        print(String(format: "  %d requests (%d limit PATCHes of at most %d, %d listings) in %.1f s: fraction of the physical limit %.3f; "
                     + "applied %d, refused %d, left %d; most in any 2 s: %d (limit 20), 429s: %d",
                     stats.received, stats.limitBatches.count, stats.limitBatches.max() ?? 0, stats.byRoute["GET /users/{id}"] ?? 0, wall, fraction,
                     outcome.report.applied, outcome.report.failed, outcome.report.left, stats.maxInWindow(key: "bench-key", window: 2),
                     stats.byStatus[429] ?? 0))
    }
}
