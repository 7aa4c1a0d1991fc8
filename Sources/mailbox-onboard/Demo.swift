import Foundation
import LemlistEmulator
import Logging
import MailboxOnboard
import OnboardInput

/// Why the demo could not start.
struct DemoError: LocalizedError {
    var errorDescription: String?
}

/// The newcomer's first run: the samples imported into a throwaway ledger and connected to a local emulator that
/// answers like lemlist (with latency, a mailbox lemlist already has, a user outside the team, a banned host). Two
/// teams go side by side: the agency file's rows name the client "Contoso Sales", which has a key of its own; the
/// other rows use the default key.
enum Demo {
    static let apiKey = "demo-key"
    static let contosoKey = "demo-contoso-key"

    static func run(samplesFolder: String, progress: Bool, print: @escaping @Sendable (String) -> Void) async throws -> OnboardingOutcome {
        let files = try sampleFiles(in: samplesFolder)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailbox-onboard-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledgerPath = folder.appendingPathComponent("onboarding.db").path

        var team = EmulatorConfiguration(
            apiKeys: [apiKey, contosoKey], latency: .milliseconds(150) ... .milliseconds(900), seed: 2026,
            teamMembers: ["usr_A1B2C3D4E5F6G7H8I9"], existingMailboxes: ["nina.berg@northwind-mail.com"],
            testFailures: ["adam.michel1@brightleads.io": ("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant", nil)],
            bannedHosts: ["mail.blocked-relay.net"])
        // What a fleet looks like some weeks on: a mailbox lemlist lost the login of, one it keeps out of warm-up.
        team.mailboxStatus = ["nina.berg@northwind-mail.com": "ERROR"]
        team.warmupErrors = ["chloe.robert0@acme-outreach.com": "setup"]
        return try await withEmulator(team) { emulator in
            print("Local lemlist emulator on \(emulator.baseURL): 20 requests per 2 s, 150-900 ms per answer.\n")
            print("Importing \(files.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")) into a temporary ledger...\n\n")

            var logger = Logger(label: "mailbox-onboard.demo") { StreamLogHandler.standardError(label: $0) }
            logger.logLevel = .warning
            let quietLogger = logger
            let start = ContinuousClock.now
            var configuration = RunConfiguration(baseURL: emulator.baseURL, apiKey: Secret(apiKey), preflight: true)
            // Each mailbox is tested right after it connects, so warm-up starts only for those that pass.
            configuration.verify = true
            let resolved = configuration
            let teamKeys = try TeamKeys(text: "Contoso Sales=\(contosoKey)\n", file: "(demo)")
            let onImport: @Sendable (ImportReport) -> Void = {
                print(ImportReportText.render($0) + "\nConnecting the valid mailboxes, testing each with lemlist's account test, "
                      + "then setting its daily limit and warm-up from the sheet...\n")
            }
            let outcome = try await TerminalRun.run(progress: progress, onImport: onImport) { events throws(LedgerError) in
                try await Onboarding.run(ledgerPath: ledgerPath, files: files, importOptions: ImportOptions(), configuration: resolved,
                                         teamKeys: teamKeys, logger: quietLogger, events: events)
            }
            for lane in outcome.lanes {
                if let preflight = lane.run.preflight { print("\nTeam \(lane.label.isEmpty ? "(default key)" : lane.label): " + PreflightText.render(preflight)) }
            }
            if let tests = outcome.run.verification { print(VerifyText.render(tests)) }
            if let settings = outcome.run.settings { print(SettingsText.render(settings)) }
            let stats = emulator.statistics
            print("\n" + SummaryTable.render(outcome.summary, ledgerPath: "(demo)"))
            let seconds = start.duration(to: .now).components.seconds
            let perKey = [apiKey, contosoKey].map { stats.maxInWindow(key: $0, window: 2) }
            print("Checking every team's mailboxes in lemlist (status)...\n")
            let health = try await TerminalRun.run(progress: false) { _ throws(LedgerError) in
                try await Onboarding.status(ledgerPath: ledgerPath, configuration: resolved, teamKeys: teamKeys, logger: quietLogger)
            }
            print(StatusText.render(health))
            let warming = stats.settings.values.filter { $0.warmup == true }.count
            print("\nThe emulator received \(stats.received) requests in \(seconds) s for two teams, at most "
                  + "\(perKey[0]) and \(perKey[1]) in any 2 s per key, created \(stats.created.count) mailboxes, each once, and took the sheet's "
                  + "daily limit and warm-up for \(outcome.summary.settings.applied) of them (\(warming) now warming up).\n")
            return outcome
        }
    }

    /// The CSV, JSON, JSON Lines and workbook files of the samples folder, in name order.
    static func sampleFiles(in folder: String) throws -> [String] {
        let candidates = [folder] + (CommandLine.arguments.first.map {
            [URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("../../samples").standardized.path]
        } ?? [])
        for candidate in candidates {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: candidate) else { continue }
            let files = names.filter { ["csv", "json", "jsonl", "xlsx", "ods"].contains(($0 as NSString).pathExtension) }.sorted()
            if !files.isEmpty { return files.map { (candidate as NSString).appendingPathComponent($0) } }
        }
        throw DemoError(errorDescription: "no sample files in \(folder); run from the project folder or pass --samples DIR")
    }
}
