import Foundation
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// lemlist's account test reports each protocol's error in its own words, which may repeat anything, the key
/// included, at any length: what is recorded is cleaned and bounded.
struct VerifierEchoTests {
    @Test func anEchoedKeyAndAHugeErrorAreRecordedCleanAndBounded() async throws {
        let scratch = try Scratch()
        _ = try Importer.run(files: [try scratch.mailboxes(1)], ledgerPath: scratch.ledger, options: ImportOptions(), logger: quietLogger)
        let clock = JumpClock()
        let configuration = RunConfiguration(baseURL: "https://api.lemlist.com/api", apiKey: Secret("lm-KEY-7f3a"), concurrency: 1)
        let ledger = try Ledger(path: scratch.ledger)
        _ = try await Submitter(ledger: ledger, transport: ScriptedTransport(clock: clock, script: [.created(id: "umx_1")]),
                                configuration: configuration, clock: clock, wallClock: WallClock { 1_800_000_000_000 }, random: { 0.5 },
                                logger: quietLogger).run()
        let basic = Data(":lm-KEY-7f3a".utf8).base64EncodedString()
        let echo = "Invalid credentials (key lm-KEY-7f3a, header Basic \(basic))\u{1B}[2J" + String(repeating: "z", count: 200_000)
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["smtp": ["success": false, "error": echo], "imap": ["success": true]]),
                          as: UTF8.self)
        let transport = ScriptedTransport(clock: clock, script: [.answer(status: 200, contentType: "application/json", body: body, signals: RateLimitSignals())])
        let report = try await Verifier(ledger: ledger, transport: transport, configuration: configuration, clock: clock,
                                        wallClock: WallClock { 1_800_000_000_000 }, random: { 0.5 }, logger: quietLogger).run(again: false)
        #expect(report.failed == 1)
        var rows: [Summary.Row] = []
        try LedgerStore(path: scratch.ledger).forEachRow(onlyFailed: false) { rows.append($0) }
        guard case let .tested(smtp?, nil)? = rows.first?.verification else { Issue.record("\(String(describing: rows.first?.verification))"); return }
        #expect(smtp.hasPrefix("Invalid credentials (key <redacted>, header Basic <redacted>)"), "\(smtp.prefix(120))")
        #expect(!smtp.contains("lm-KEY") && !smtp.contains(basic) && !smtp.contains("\u{1B}"))
        #expect(smtp.count <= ServerText.maxLength + 1)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: scratch.ledger))
        #expect(bytes.range(of: Data("lm-KEY-7f3a".utf8)) == nil && bytes.range(of: Data(String(repeating: "z", count: 1000).utf8)) == nil)
    }
}
