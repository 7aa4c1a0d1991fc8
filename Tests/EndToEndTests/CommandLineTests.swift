import Foundation
import LemlistEmulator
import MailboxOnboard
import Testing
import OnboardInput
import TestSupport

extension EndToEnd {
    /// The built executable, run as a person or a script would.
    @Suite struct CommandLine {
        @Test func importExitCodesSayWhetherRowsWereInvalid() async throws {
            let workspace = try Scratch()
            let good = try workspace.mailboxes(3, name: "good.csv")
            let mixed = try workspace.mailboxes(2, invalid: 2, name: "mixed.csv")
            let ok = try await Child.run(["import", good, "--ledger", workspace.ledger], in: workspace)
            #expect(ok.status == 0, "\(ok.err)")
            let bad = try await Child.run(["import", mixed, "--ledger", workspace.ledger], in: workspace)
            #expect(bad.status == ExitStatus.invalidRows.rawValue)
            #expect(bad.out.contains("\(mixed):4: smtp_host: is a loopback address (127.0.0.0/8) ('127.0.0.1')"))
            let missing = try await Child.run(["import", workspace.path("nope.csv"), "--ledger", workspace.ledger], in: workspace)
            #expect(missing.status == ExitStatus.unreadableInput.rawValue)
            let json = try await Child.run(["summary", "--json", "--ledger", workspace.ledger], in: workspace)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
            // mixed.csv repeats good.csv's first two mailboxes: 3 valid jobs and 2 invalid ones in all.
            #expect(object["total"] as? Int == 5)
            #expect((object["by_state"] as? [String: Int])?["invalid"] == 2)
        }

        @Test func aNonLedgerFileIsRefusedWithItsName() async throws {
            let workspace = try Scratch()
            let notes = workspace.path("notes.txt")
            try "just some notes\n".write(toFile: notes, atomically: true, encoding: .utf8)
            let result = try await Child.run(["summary", "--ledger", notes], in: workspace)
            #expect(result.status == ExitStatus.ledgerProblem.rawValue)
            #expect(result.err.contains("\(notes): not a mailbox-onboard ledger"))
            #expect(try String(contentsOfFile: notes, encoding: .utf8) == "just some notes\n")
        }

        @Test func runWithAnUnreadableFileSendsNothing() async throws {
            let workspace = try Scratch()
            let file = try workspace.mailboxes(3)
            _ = try await Child.run(["import", file, "--ledger", workspace.ledger], in: workspace)
            try await withEmulator { emulator in
                let result = try await Child.run(["run", workspace.path("typo.csv"), "--ledger", workspace.ledger, "--base-url", emulator.baseURL],
                                                 environment: ["LEMLIST_API_KEY": "emulator-key"], in: workspace)
                #expect(result.status == ExitStatus.unreadableInput.rawValue)
                #expect(emulator.statistics.received == 0)
                #expect(try ledgerSummary(workspace.ledger).count(.pending) == 3)
            }
        }

        @Test func runWithoutAKeySendsNothing() async throws {
            let workspace = try Scratch()
            let file = try workspace.mailboxes(2)
            try await withEmulator { emulator in
                let result = try await Child.run(["run", file, "--ledger", workspace.ledger, "--base-url", emulator.baseURL], in: workspace)
                #expect(result.status == 64)
                #expect(result.err.contains("LEMLIST_API_KEY"))
                #expect(emulator.statistics.received == 0)
            }
        }

        @Test(arguments: ["http://api.lemlist.com/api", "http://10.0.0.8:8025/api", "ftp://api.lemlist.com/api"])
        func plainHTTPToAnotherMachineIsRefused(_ url: String) async throws {
            let workspace = try Scratch()
            let file = try workspace.mailboxes(1)
            let result = try await Child.run(["run", file, "--ledger", workspace.ledger, "--base-url", url],
                                             environment: ["LEMLIST_API_KEY": "k"], in: workspace)
            #expect(result.status == 64)
            #expect(result.err.contains(url.hasPrefix("http:") ? "plain http would send the API key and every password unencrypted" : "https://"), "\(result.err)")
            #expect(!FileManager.default.fileExists(atPath: workspace.ledger))
        }

        @Test func plainHTTPToThisMachineIsTaken() {
            for url in ["http://127.0.0.1:8025/api", "http://localhost:1/api", "http://[::1]:9/api", "http://127.9.9.9/api", "https://api.lemlist.com/api"] {
                #expect(RunConfiguration.baseURLProblem(url) == nil, "\(url)")
            }
            for url in ["http://127.0.0.1.evil.com/api", "http://[::2]/api", "http://0.0.0.0/api", "api.lemlist.com"] {
                #expect(RunConfiguration.baseURLProblem(url) != nil, "\(url)")
            }
        }

        @Test(arguments: ["localhost:53", "127.0.0.1", "127.0.0.1:0", "::1:53", "[::1]:70000", "300.1.1.1:53"])
        func aDNSServerThatIsNotAnAddressAndPortIsABadOption(_ value: String) async throws {
            let workspace = try Scratch()
            let file = try workspace.mailboxes(1)
            let result = try await Child.run(["check", file, "--ledger", workspace.ledger, "--dns-server", value], in: workspace)
            #expect(result.status == 64, "\(result.err)")
            #expect(result.err.contains("--dns-server \(value): expected ADDRESS:PORT"), "\(result.err)")
            #expect(!FileManager.default.fileExists(atPath: workspace.ledger))
        }

        @Test func aDNSServerAddressIsAnIPAndAPort() {
            for address in ["127.0.0.1:53", "10.0.0.2:5353", "[::1]:53", "[2001:db8::1]:53"] {
                #expect(DNSConfiguration.isServerAddress(address), "\(address)")
            }
        }

        @Test(arguments: ["inf", "1e308", "0", "-1", "nan"])
        func anAbsurdTimeoutIsABadOption(_ value: String) async throws {
            let workspace = try Scratch()
            let result = try await Child.run(["run", "--ledger", workspace.ledger, "--timeout=\(value)"], environment: ["LEMLIST_API_KEY": "k"], in: workspace)
            #expect(result.status == 64, "\(result.err)")
            #expect(result.err.contains("--timeout must be a number of seconds"), "\(result.err)")
        }

        @Test(arguments: [("key-one\nkey-two\n", "has 2 lines"), ("LEMLIST_API_KEY=abc123\n", "holds a NAME=value line"), ("\n\n", "is empty")])
        func anAPIKeyFileThatIsNotOneKeyIsRefusedByName(_ text: String, _ problem: String) async throws {
            let workspace = try Scratch()
            let file = try workspace.mailboxes(1)
            let keyFile = workspace.path("key.txt")
            try text.write(toFile: keyFile, atomically: true, encoding: .utf8)
            try await withEmulator { emulator in
                let result = try await Child.run(["run", file, "--ledger", workspace.ledger, "--base-url", emulator.baseURL, "--api-key-file", keyFile], in: workspace)
                #expect(result.status == 64)
                #expect(result.err.contains("the API key file \(keyFile) \(problem)"), "\(result.err)")
                #expect(!result.err.contains("abc123") && !result.err.contains("key-one"))
                #expect(emulator.statistics.received == 0)
            }
        }

        @Test func aRefusedKeyFromAFileNamesTheFile() async throws {
            let workspace = try Scratch()
            let file = try workspace.mailboxes(1)
            let keyFile = workspace.path("key.txt")
            try "not-the-key\n".write(toFile: keyFile, atomically: true, encoding: .utf8)
            try await withEmulator { emulator in
                let result = try await Child.run(["run", file, "--ledger", workspace.ledger, "--base-url", emulator.baseURL, "--api-key-file", keyFile], in: workspace)
                #expect(result.status == ExitStatus.unauthorized.rawValue)
                #expect(result.err.contains("The key was read from \(keyFile)") && !result.err.contains("LEMLIST_API_KEY"), "\(result.err)")
            }
        }

        @Test func theExportIsOwnerOnlyWhateverTheUmask() async throws {
            let workspace = try Scratch()
            let file = try workspace.mailboxes(1, invalid: 1)
            _ = try await Child.run(["import", file, "--ledger", workspace.ledger], in: workspace)
            let export = workspace.path("failed.csv")
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", "umask 000 && exec \"$0\" summary --ledger \"$1\" --failed-csv \"$2\"", try executableURL().path, workspace.ledger, export]
            shell.standardOutput = FileHandle.nullDevice
            shell.standardError = FileHandle.nullDevice
            try shell.run()
            shell.waitUntilExit()
            #expect(shell.terminationStatus == 0)
            let mode = (try FileManager.default.attributesOfItem(atPath: export)[.posixPermissions] as! NSNumber).intValue
            #expect(mode == 0o600)
        }

        @Test func anExportThatCannotBeWrittenSaysSoAndIsNotALedgerProblem() async throws {
            let workspace = try Scratch()
            let file = try workspace.mailboxes(1, invalid: 1)
            _ = try await Child.run(["import", file, "--ledger", workspace.ledger], in: workspace)
            let export = workspace.path("missing-folder/failed.csv")
            let result = try await Child.run(["summary", "--ledger", workspace.ledger, "--failed-csv", export], in: workspace)
            #expect(result.status == ExitStatus.cannotWriteExport.rawValue)
            #expect(result.err.contains("\(export): cannot write the export"), "\(result.err)")
        }

        /// Every help text is made from the one exit-status table, and README's table lists every code in it.
        @Test func exitCodesComeFromOneTableThatREADMEShows() async throws {
            let scratch = try Scratch()
            for (arguments, codes) in [([], ExitStatus.allCases)] + ExitStatus.byCommand.map({ ([$0.command], $0.codes) }) {
                let help = try await Child.run(arguments + ["--help"], in: scratch)
                let text = help.out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                #expect(text.contains(ExitStatus.help(codes)), "\(arguments): \(help.out)")
                #expect(text.components(separatedBy: "Exit status:").count == 2, "\(arguments): one list of codes")
            }
            let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../README.md").standardized, encoding: .utf8)
            // Each row names exactly the commands whose policy can return its code.
            var rows: [Int32: Set<String>] = [:]
            let section = try #require(readme.components(separatedBy: "\n## Exit status\n").last?.components(separatedBy: "\n## ").first)
            for line in section.split(separator: "\n") where line.hasPrefix("| ") {
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count == 3, let code = Int32(cells[0]) else { continue }
                rows[code] = Set(cells[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            }
            for code in ExitStatus.allCases {
                let commands = Set(ExitStatus.byCommand.filter { $0.codes.contains(code) }.map(\.command))
                #expect(rows[code.rawValue] == commands, "README's exit row \(code.rawValue)")
            }
            #expect(rows.count == ExitStatus.allCases.count)
        }

        @Test func noSecretAppearsInAnyOutputExportOrTheFinishedLedger() async throws {
            let workspace = try Scratch()
            let file = try workspace.mailboxes(6, invalid: 2)
            let key = "PLANTED-api-key-qx"
            try await withEmulator(EmulatorConfiguration(
                apiKeys: [key], rateLimit: 1000, faults: FaultPlan([.error503: 0.3]), seed: 3)) { emulator in
                var outputs: [String] = []
                let run = try await Child.run(["run", file, "--ledger", workspace.ledger, "--base-url", emulator.baseURL, "--rate", "1000/2s",
                                               "--log-level", "trace"], environment: ["LEMLIST_API_KEY": key], in: workspace)
                outputs += [run.out, run.err]
                #expect(run.status == ExitStatus.invalidRows.rawValue, "\(run.err)")
                let wrongKey = try await Child.run(["run", "--ledger", workspace.ledger, "--base-url", emulator.baseURL, "--log-level", "trace"],
                                                   environment: ["LEMLIST_API_KEY": "PLANTED-wrong-key-qx"], in: workspace)
                outputs += [wrongKey.out, wrongKey.err]
                for arguments in [["summary"], ["summary", "--json", "--rows"], ["summary", "--failed-csv", workspace.path("failed.csv")],
                                  ["import", file, "--log-level", "trace"]] {
                    let result = try await Child.run(arguments + ["--ledger", workspace.ledger], in: workspace)
                    outputs += [result.out, result.err]
                }
                outputs.append(try String(contentsOfFile: workspace.path("failed.csv"), encoding: .utf8))
                for text in outputs {
                    #expect(!text.contains("PLANTED"), "\(text)")
                    #expect(!text.contains(Data(":\(key)".utf8).base64EncodedString()))
                }
                let summary = try ledgerSummary(workspace.ledger)
                #expect(summary.outstanding == 0)
                for suffix in ["", "-wal", "-shm"] {
                    let bytes = (try? Data(contentsOf: URL(fileURLWithPath: workspace.ledger + suffix))) ?? Data()
                    #expect(bytes.range(of: Data("PLANTED".utf8)) == nil, "ledger\(suffix)")
                }
            }
        }
    }
}
