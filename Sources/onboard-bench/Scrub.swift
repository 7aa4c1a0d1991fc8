import Foundation
import MailboxOnboard
import OnboardInput

extension OnboardBench {
    /// What leaving no erased password behind costs: a 100,000-row ledger, some of whose jobs end (their passwords
    /// erased), then the end-of-command scrub (VACUUM and WAL truncation), timed beside the import that made it.
    static func scrubBenchmark() async throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("mailboxes.csv").path
        try writeCSV(rows: 100_000, to: csv)
        let clock = ContinuousClock()
        for ended in [1, 1_000] {
            let path = folder.appendingPathComponent("scrub-\(ended).db").path
            let importStart = clock.now
            _ = try Importer.run(files: [csv], ledgerPath: path, options: ImportOptions(), logger: logger)
            let importTime = importStart.duration(to: clock.now).inSeconds
            let ledger = try Ledger(path: path)
            for job in try await ledger.outstanding().prefix(ended) {
                guard let attempt = try await ledger.beginAttempt(job.id) else { continue }
                try await ledger.finish(attempt, .connected(accountId: "umx_\(job.id)"))
            }
            let before = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            let start = clock.now
            await ledger.settle()
            let scrub = start.duration(to: clock.now).inSeconds
            let after = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            print(String(format: "scrub: %6d of 100,000 jobs ended: %.2f s (import %.2f s, ratio %.2f); ledger %.1f -> %.1f MB",
                         ended, scrub, importTime, scrub / importTime, Double(before) / 1e6, Double(after) / 1e6))
        }
    }
}
