import Foundation
import LemlistEmulator
import MailboxOnboard
import OnboardInput

extension OnboardBench {
    /// 2,000 rows against the emulator with 20% mixed faults and 10 SIGKILLs of the running release binary, then a
    /// run to completion. Prints what was injected and checks exactly-once, nothing lost, and the rate limit.
    static func soak() async throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mailbox-onboard")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            print("soak: build the release binary first: swift build -c release")
            return
        }
        let rows = 2_000, kills = 10
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("rows.csv").path
        try writeCSV(rows: rows, to: csv)
        let ledger = folder.appendingPathComponent("onboarding.db").path
        let faults = FaultPlan([.error500: 0.03, .error503: 0.03, .reset: 0.04, .drop: 0.02, .hang: 0.02, .spurious429: 0.03, .badBody: 0.03])
        let emulator = try await LemlistEmulator.start(configuration: EmulatorConfiguration(
            apiKeys: ["soak-key"], rateLimit: 100, latency: .milliseconds(10) ... .milliseconds(200), faults: faults, seed: 42,
            teamMembers: ["usr_A1B2C3D4E5F6G7H8I9"]))
        let arguments = ["run", csv, "--ledger", ledger, "--base-url", emulator.baseURL, "--rate", "100/2s",
                         "--timeout", "2", "--max-attempts", "10", "--quiet"]
        func launch() throws -> Process {
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            process.environment = ["LEMLIST_API_KEY": "soak-key", "PATH": "/usr/bin:/bin"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        let clock = ContinuousClock()
        let start = clock.now
        var random = SplitMix64(seed: 42)
        for _ in 0..<kills {
            let process = try launch()
            await emulator.waitForRequests(emulator.statistics.received + Int(random.next() % 150) + 20)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        var finalStatus: Int32 = -1
        for _ in 0..<3 where finalStatus != 0 {
            let process = try launch()
            process.waitUntilExit()
            finalStatus = process.terminationStatus
        }
        let wall = start.duration(to: clock.now).inSeconds
        await emulator.stop()
        let stats = emulator.statistics
        let summary = try Reports.summary(ledgerPath: ledger)
        let duplicates = stats.created.values.filter { $0 > 1 }.count
        let missing = rows - stats.created.count
        let lost = rows - summary.total
        let injected = stats.faults.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("soak: \(rows) rows, \(kills) SIGKILLs, \(String(format: "%.0f", wall)) s, final run exit \(finalStatus)")
        print("  requests \(stats.received), faults injected \(stats.faults.values.reduce(0, +)) (\(injected))")
        print("  created \(stats.created.count), duplicates \(duplicates), never created \(missing), lost \(lost), "
              + "left in_flight \(summary.count(.inFlight)), connected \(summary.count(.connected)), already_connected \(summary.count(.alreadyConnected)), failed \(summary.count(.failed))")
        print("  most in any 2 s: \(stats.maxInWindow(key: "soak-key", window: 2)) (limit 100), violations \(max(0, stats.maxInWindow(key: "soak-key", window: 2) - 100))")
    }
}
