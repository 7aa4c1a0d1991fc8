import Foundation
import LemlistEmulator
import MailboxOnboard
import OnboardInput
#if canImport(Glibc)
import Glibc
#endif

extension OnboardBench {
    /// Several teams in one run: 200 rows per team, each team with its own key, against the emulator (50 ms per
    /// answer, 20 requests per 2 s per key). The aggregate rate beside N times one key's limit, the most any key
    /// sent in 2 s, and what scale costs: peak memory and CPU time (this process, emulator included) per 1,000
    /// requests.
    static func teamsBenchmark() async throws {
        print("throughput --teams: 200 rows per team, default options, emulator at 50 ms, 20 requests per 2 s per key")
        for teams in [1, 3, 10] {
            let folder = try scratch()
            defer { try? FileManager.default.removeItem(at: folder) }
            let names = (0..<teams).map { "Client \($0)" }
            let keys = Dictionary(uniqueKeysWithValues: names.map { ($0, "bench-key-\($0.split(separator: " ")[1])") })
            var csv = "Client,Email,SMTP Host,SMTP Port,SMTP Username,SMTP Password,IMAP Host,IMAP Port,IMAP Username,IMAP Password,Sender Name\n"
            for index in 0..<200 {
                for name in names {
                    let email = "s\(index)@client\(name.split(separator: " ")[1]).example-outreach.com"
                    csv += "\(name),\(email),smtp.example-outreach.com,587,\(email),pw-\(index)-Xq9!,imap.example-outreach.com,993,\(email),pw-\(index)-Xq9!,Sender \(index)\n"
                }
            }
            let csvPath = folder.appendingPathComponent("rows.csv").path
            try csv.write(toFile: csvPath, atomically: true, encoding: .utf8)
            let ledgerPath = folder.appendingPathComponent("onboarding.db").path
            let imported = try Importer.run(files: [csvPath], ledgerPath: ledgerPath, options: ImportOptions(), logger: logger)
            guard imported.counts.added == 200 * teams else {
                print("  \(teams) teams: the import added \(imported.counts.added) of \(200 * teams) rows: \(imported.diagnostics.prefix(3))")
                continue
            }
            let emulator = try await LemlistEmulator.start(configuration: EmulatorConfiguration(
                apiKeys: Set(keys.values), latency: .milliseconds(50) ... .milliseconds(50)))
            let configuration = RunConfiguration(baseURL: emulator.baseURL, apiKey: Secret(""))
            let teamKeys = try TeamKeys(text: keys.map { "\($0.key)=\($0.value)" }.joined(separator: "\n"), file: "(bench)")
            let cpuBefore = cpuSeconds()
            let start = ContinuousClock.now
            let outcome = try await Onboarding.run(ledgerPath: ledgerPath, files: [], importOptions: ImportOptions(), configuration: configuration,
                                                   teamKeys: teamKeys, logger: logger)
            let elapsed = start.duration(to: .now).inSeconds
            let cpu = cpuSeconds() - cpuBefore
            await emulator.stop()
            let stats = emulator.statistics
            let requests = outcome.run.statistics.requests
            let rate = Double(requests) / elapsed
            let bound = Double(teams) * 20 / 2
            let worst = keys.values.map { stats.maxInWindow(key: $0, window: 2) }.max() ?? 0
            print(String(format: "  %2d team%@: %5d requests in %5.1f s = %6.1f req/s of %5.1f (%d x 10/s): fraction %.3f; "
                         + "most per key in any 2 s %d; created %d, each once: %@; peak %.1f MB; CPU %.2f s per 1,000 requests",
                         teams, teams == 1 ? " " : "s", requests, elapsed, rate, bound, teams, rate / bound, worst, stats.created.count,
                         stats.created.values.allSatisfy { $0 == 1 } ? "yes" : "NO", peakMemoryMB(), cpu * 1000 / Double(max(requests, 1))))
        }
    }

    /// User plus system CPU time of this process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
