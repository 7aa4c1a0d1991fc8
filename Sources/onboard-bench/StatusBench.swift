import Foundation
import LemlistEmulator
import MailboxOnboard
import OnboardInput

extension OnboardBench {
    /// `status` of 10 teams of 50 mailboxes, each team its own key with two members, against the emulator (20
    /// requests per 2 s per key, 200-800 ms an answer): requests and wall time, as a fraction of the physical limit
    /// for what one key's requests must wait on (its requests / (10 per s x wall)).
    static func statusBenchmark() async throws {
        print("status: 10 teams x 50 mailboxes, one key each")
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let teams = (0..<10).map { "Team\($0)" }
        let keys = Dictionary(uniqueKeysWithValues: teams.map { ($0, "bench-key-\($0.lowercased())") })
        let keysFile = folder.appendingPathComponent("keys.txt").path
        try keys.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "\n").write(toFile: keysFile, atomically: true, encoding: .utf8)
        let teamKeys = try TeamKeys(text: try String(contentsOfFile: keysFile, encoding: .utf8), file: keysFile)
        let mailboxes = Set((0..<50).map { "sender\($0)@example-outreach.com" })
        let clock = ContinuousClock()
        try await withEmulator(EmulatorConfiguration(apiKeys: Set(keys.values), latency: .milliseconds(200) ... .milliseconds(800),
                                                     teamMembers: ["usr_A1B2C3D4E5F6G7H8I9", "usr_B1B2C3D4E5F6G7H8I9"],
                                                     existingMailboxes: mailboxes)) { emulator in
            let start = clock.now
            let outcome = try await Onboarding.status(ledgerPath: folder.appendingPathComponent("none.db").path,
                                                      configuration: RunConfiguration(baseURL: emulator.baseURL, apiKey: Secret("")),
                                                      teamKeys: teamKeys, logger: logger)
            let wall = start.duration(to: clock.now).inSeconds
            let stats = emulator.statistics
            let listed = outcome.teams.reduce(0) { $0 + $1.mailboxes.count }
            let perKey = Double(stats.received) / Double(keys.count)
            print(String(format: "  %d requests (%.0f a key) in %.2f s, %d mailboxes listed; per key, fraction of the physical limit %.3f; "
                         + "most in any 2 s for one key: %d (limit 20)",
                         stats.received, perKey, wall, listed, perKey / (10 * wall),
                         keys.values.map { stats.maxInWindow(key: $0, window: 2) }.max() ?? 0))
        }
    }
}
