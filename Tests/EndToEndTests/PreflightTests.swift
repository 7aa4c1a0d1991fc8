import Foundation
import LemlistEmulator
import MailboxOnboard
import OnboardInput
import Testing
import TestSupport

extension EndToEnd {
    /// Pre-flight through the built binary against the emulator: requests spared, and every route within the limit.
    @Suite struct Preflight {
        static let stranger = "usr_STRANGER9"

        /// 40 rows: the first 5 are mailboxes the team already has, the next 3 name a user outside the team.
        func forty(_ scratch: Scratch) throws -> (file: String, existing: Set<String>) {
            var rows: [[String: String]] = []
            for index in 0..<40 {
                rows.append(apiRow("box\(index)@acme-mail.com", index >= 5 && index < 8 ? ["userId": Self.stranger] : [:]))
            }
            return (try scratch.write("forty.csv", csv(rows)), Set((0..<5).map { "Box\($0)@Acme-Mail.com" }))
        }

        func team(existing: Set<String>, emailAvailable: Bool = true) -> EmulatorConfiguration {
            EmulatorConfiguration(latency: .milliseconds(5) ... .milliseconds(20), teamMembers: ["usr_SECOND1"], existingMailboxes: existing,
                                  emailAvailable: emailAvailable)
        }

        @Test func preflightSparesARequestForEveryRowItCanSettle() async throws {
            let scratch = try Scratch()
            let (file, existing) = try forty(scratch)
            try await withEmulator(team(existing: existing)) { emulator in
                let result = try await Child.run(["run", file, "--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--quiet"],
                                                 environment: ["LEMLIST_API_KEY": "emulator-key"], in: scratch)
                let stats = emulator.statistics
                #expect(result.status == ExitStatus.failedJobs.rawValue, "\(result.err)")
                #expect(stats.byRoute["POST /user/email-accounts"] == 32)
                #expect(stats.byRoute["GET /user/channels"] == 1 && stats.byRoute["GET /team"] == 1 && stats.byRoute["GET /users/{id}"] == 2)
                #expect(stats.maxInWindow(key: "emulator-key", window: 2) <= 20, "counting every route")
                #expect(stats.duplicateAttempts == 0)
                let summary = try ledgerSummary(scratch.ledger)
                #expect(summary.count(.connected) == 32 && summary.count(.alreadyConnected) == 5 && summary.count(.failed) == 3)
                #expect(result.out.contains("Pre-flight (4 requests): 2 members, 5 mailboxes already in the team; 8 rows settled without a request (5 already connected, 3 not a member)."),
                        "\(result.out)")
            }
        }

        @Test func withoutPreflightEveryRowCostsARequest() async throws {
            let scratch = try Scratch()
            let (file, existing) = try forty(scratch)
            try await withEmulator(team(existing: existing)) { emulator in
                let result = try await Child.run(["run", file, "--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--quiet", "--no-preflight"],
                                                 environment: ["LEMLIST_API_KEY": "emulator-key"], in: scratch)
                #expect(result.status == ExitStatus.failedJobs.rawValue, "\(result.err)")
                #expect(emulator.statistics.byRoute["POST /user/email-accounts"] == 40 && emulator.statistics.received == 40)
                let summary = try ledgerSummary(scratch.ledger)
                #expect(summary.count(.connected) == 32 && summary.count(.alreadyConnected) == 5 && summary.count(.failed) == 3)
            }
        }

        @Test func aPlanWithoutEmailStopsWithExit8AndNoPost() async throws {
            let scratch = try Scratch()
            let (file, existing) = try forty(scratch)
            try await withEmulator(team(existing: existing, emailAvailable: false)) { emulator in
                let result = try await Child.run(["run", file, "--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--quiet"],
                                                 environment: ["LEMLIST_API_KEY": "emulator-key"], in: scratch)
                #expect(result.status == ExitStatus.paymentRequired.rawValue, "\(result.err)")
                #expect(result.err.contains("email.available is false"), "\(result.err)")
                #expect(emulator.statistics.byRoute["POST /user/email-accounts"] == nil)
                #expect(try ledgerSummary(scratch.ledger).count(.pending) == 40)
            }
        }
    }
}
