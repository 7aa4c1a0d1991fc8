import Foundation
import LemlistEmulator
import MailboxOnboard
import OnboardInput
import Testing
import TestSupport

extension EndToEnd {
    /// The built binary against hostile servers and hostile files: what an attacker tried, and what it must not get.
    @Suite struct Hardening {
        static let password = "Ec\"ho\\pw-77 q!"

        /// Every form the planted password could come back in.
        static var forms: [String] {
            let sasl = "\0echo@acme-mail.com\0\(password)"
            return [password, Data(password.utf8).base64EncodedString(), Data(sasl.utf8).base64EncodedString(), #"Ec\"ho\\pw-77 q!"#]
        }

        @Test func whatEchoingServersSendBackIsInNoOutputExportOrLedgerFile() async throws {
            let smtp = try HostileMailServer(.smtpEcho), imap = try HostileMailServer(.imapEcho)
            let scratch = try Scratch()
            let row = apiRow("echo@acme-mail.com", ["smtp_host": "smtp.acme-mail.com", "smtp_port": "465", "smtp_password": Self.password,
                                                    "imap_host": "imap.acme-mail.com", "imap_port": "993", "imap_password": Self.password])
            let file = try scratch.write("in.csv", csv([row]))
            // Each server has a CA of its own; one file holds both.
            let cas = try String(contentsOfFile: smtp.caFile, encoding: .utf8) + (try String(contentsOfFile: imap.caFile, encoding: .utf8))
            let caFile = try scratch.write("cas.pem", cas)
            let options = ["--connect-to", "smtp.acme-mail.com:465:127.0.0.1:\(smtp.port)", "--connect-to", "imap.acme-mail.com:993:127.0.0.1:\(imap.port)",
                           "--ca-file", caFile, "--no-dns", "--log-level", "trace", "--quiet"]
            let check = try await Child.run(["check", file, "--ledger", scratch.ledger] + options, in: scratch)
            #expect(check.status == ExitStatus.checkFailed.rawValue, "\(check.err)")
            #expect(check.out.contains("<redacted>"), "the echo reached the report, redacted: \(check.out)")
            let json = try await Child.run(["summary", "--json", "--rows", "--ledger", scratch.ledger], in: scratch)
            let table = try await Child.run(["summary", "--ledger", scratch.ledger], in: scratch)
            let export = scratch.path("fix.csv")
            _ = try await Child.run(["summary", "--ledger", scratch.ledger, "--failed-csv", export], in: scratch)
            smtp.stop()
            imap.stop()
            var outputs = [check.out, check.err, json.out, json.err, table.out, table.err].map { Data($0.utf8) }
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: export)))
            // The ledger still holds the row's password (the job is pending): the echo, not the row, is what must be absent.
            let ledger = try [scratch.ledger, scratch.ledger + "-wal"].map { (try? Data(contentsOf: URL(fileURLWithPath: $0))) ?? Data() }
            for (index, output) in outputs.enumerated() {
                for form in Self.forms { #expect(output.range(of: Data(form.utf8)) == nil, "output \(index) holds \(form.debugDescription)") }
                #expect(output.range(of: Data([0x1B])) == nil && output.range(of: Data("\u{9B}".utf8)) == nil, "output \(index) holds an escape")
            }
            for bytes in ledger {
                #expect(bytes.range(of: Data([0x1B, 0x5B, 0x33, 0x31])) == nil, "an escape sequence was stored")
                // The row's own body keeps the password JSON-escaped until the job is done; its encodings come only from an echo.
                for form in Self.forms[1...2] { #expect(bytes.range(of: Data(form.utf8)) == nil, "the ledger holds \(form.debugDescription)") }
            }
        }

        @Test func theFirstCtrlCEndsACheckWithinOneTimeoutAndOpensNoConnectionAfterIt() async throws {
            let server = try HostileMailServer(.smtpTrickle)
            let scratch = try Scratch()
            let file = try scratch.mailboxes(3)
            let child = try Child(["check", file, "--ledger", scratch.ledger, "--timeout", "3", "--concurrency", "1", "--quiet", "--no-dns",
                                   "--connect-to", "smtp.acme-mail.com:587:127.0.0.1:\(server.port)",
                                   "--connect-to", "imap.acme-mail.com:993:127.0.0.1:\(server.port)"], in: scratch)
            let process = UncheckedProcess(process: child.process)
            let connected = await waitForFile(server.folder.path("capture.connections"), atLeast: 1) { !process.process.isRunning }
            #expect(connected)
            let stopped = ContinuousClock.now
            kill(child.process.processIdentifier, SIGINT)
            // A check that never ends must still end this test: the watchdog kills it, and the time below fails.
            let watchdog = Task {
                try await Task.sleep(for: .seconds(30))
                kill(process.process.processIdentifier, SIGKILL)
            }
            let status = await child.wait()
            watchdog.cancel()
            let took = stopped.duration(to: .now)
            #expect(status == ExitStatus.interrupted.rawValue, "\(child.stderr)")
            #expect(took < .seconds(5), "the timeout is 3 s; it took \(took)")
            // The first mailbox's SMTP and IMAP, both to this server; the trickle is not retried and no other mailbox starts.
            #expect(server.connections <= 2, "\(server.connections) connections")
            server.stop()
        }

        @Test(arguments: [["summary"], ["summary", "--json"], ["check"], ["verify"], ["run"]])
        func aMistypedLedgerIsRefusedAndNotCreated(_ command: [String]) async throws {
            let scratch = try Scratch()
            let typo = scratch.path("onbaording.db")
            try Data("SQLite format 3\0smtp_password Hunter-2".utf8).write(to: URL(fileURLWithPath: typo + ".new"))
            let result = try await Child.run(command + ["--ledger", typo], environment: ["LEMLIST_API_KEY": "k"], in: scratch)
            #expect(result.status == ExitStatus.ledgerProblem.rawValue, "\(result.err)")
            #expect(result.err.contains("\(typo): there is no ledger here"), "\(result.err)")
            let left = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.hasPrefix("onbaording.db") }
            #expect(left.isEmpty, "a killed import's draft is erased and nothing is created: \(left)")
        }

        @Test func manyTeamsKeepToTheConcurrencyAndShareOneRateFile() async throws {
            let scratch = try Scratch()
            let teams = (0..<60).map { String(format: "T%02d", $0) }
            var text = "Client,First Name,Email,SMTP Host,SMTP Port,SMTP Username,SMTP Password,IMAP Host,IMAP Port,IMAP Username,IMAP Password\n"
            for team in teams {
                for index in 0..<2 {
                    let email = "\(team.lowercased())-\(index)@acme-mail.com"
                    text += "\(team),Box,\(email),smtp.acme-mail.com,587,\(email),PLANTED-\(index)-qx,imap.acme-mail.com,993,\(email),PLANTED-\(index)-qx\n"
                }
            }
            let file = try scratch.write("agency.csv", text)
            let keys = Dictionary(uniqueKeysWithValues: teams.map { ($0, "key-\($0.lowercased())-Z9") })
            let keyFile = try scratch.write("teams.txt", keys.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "\n") + "\n")
            chmod(keyFile, 0o600)
            // A stale file of an earlier version's per-key logs is cleared away with the rest.
            _ = try scratch.write("onboarding.db.rate-0123456789abcdef01234567", "")
            try await withEmulator(EmulatorConfiguration(
                apiKeys: Set(keys.values), latency: .milliseconds(20) ... .milliseconds(40))) { emulator in
                let run = try await Child.run(["run", file, "--ledger", scratch.ledger, "--base-url", emulator.baseURL, "--quiet",
                                               "--concurrency", "4", "--team-keys", keyFile], in: scratch)
                let stats = emulator.statistics
                #expect(run.status == 0, "\(run.err)")
                #expect(stats.created.count == 120 && stats.created.values.allSatisfy { $0 == 1 })
                #expect(stats.maxInFlight <= 4, "\(stats.maxInFlight) requests in flight at once with --concurrency 4")
                let rateFiles = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.contains(".rate") }
                #expect(rateFiles == ["onboarding.db.rate"], "\(rateFiles)")
            }
        }

        @Test func aReversedKeyLineIsReportedWithoutTheKeyAndALinkedKeysFileIsJudgedByItsTarget() async throws {
            let scratch = try Scratch()
            let reversed = try scratch.write("reversed.txt", "lm_live_Q7w8e9=Acme Corp\n")
            chmod(reversed, 0o600)
            let bad = try await Child.run(["run", "--ledger", scratch.ledger, "--team-keys", reversed], in: scratch)
            #expect(bad.status == ExitStatus.usage.rawValue, "\(bad.err)")
            #expect(bad.err.contains("reversed.txt:1:") && !bad.err.contains("lm_live"), "\(bad.err)")

            let target = try scratch.write("keys.txt", "Acme=key-acme-1\n")
            chmod(target, 0o600)
            let link = scratch.path("linked-keys.txt")
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
            let big = try scratch.write("big.txt", String(repeating: "# padding\n", count: 200_000))
            let linked = try await Child.run(["run", "--ledger", scratch.ledger, "--team-keys", link], in: scratch)
            #expect(!linked.err.contains("can be read by other users"), "\(linked.err)")
            let huge = try await Child.run(["run", "--ledger", scratch.ledger, "--team-keys", big], in: scratch)
            #expect(huge.status == ExitStatus.usage.rawValue && huge.err.contains("is larger than"), "\(huge.err)")
        }
    }
}
