import Foundation
import Logging
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import LemlistEmulator
import TestSupport

/// No password outlives its job in the ledger's files. The danger is not the row SQLite erases (secure_delete zeroes
/// it) but copies it leaves behind: a row that grows (`retrying`, then a long error) is rebuilt elsewhere in its page,
/// and the old bytes stay in the page's unallocated gap, which secure_delete does not clear.
struct LedgerResidueTests {
    let logger = quietLogger

    /// Imports `rows` mailboxes, then drives every job to a terminal state through what a run with many transient
    /// faults writes: attempts that end `retrying` with error texts of every length, in a random order, until each
    /// job is connected, already connected or failed. Returns the passwords still found in any of the ledger's files.
    func survivors(rows: Int, seed: UInt64) async throws -> [String] {
        let scratch = try Scratch()
        let passwords = (0..<rows).map { ("PLANTED-s\($0)-\(seed)-qx", "PLANTED-i\($0)-\(seed)-qx") }
        let file = try scratch.write("in.csv", csv(passwords.enumerated().map { index, pair in
            apiRow("box\(index)@acme-mail.com", ["smtp_password": pair.0, "imap_password": pair.1])
        }))
        _ = try Importer.run(files: [file], ledgerPath: scratch.ledger, options: ImportOptions(), logger: logger)
        var random = SplitMix64(seed: seed)
        do {
            let ledger = try Ledger(path: scratch.ledger)
            var open = try await ledger.outstanding().map(\.id)
            // As a pool of 16 workers does: several jobs in flight at once, answered in any order.
            while !open.isEmpty {
                open.shuffle(using: &random)
                var still: [Int] = []
                for batch in stride(from: 0, to: open.count, by: 16) {
                    var attempts: [Attempt] = []
                    for id in open[batch..<min(batch + 16, open.count)] { attempts.append(try #require(try await ledger.beginAttempt(id))) }
                    attempts.shuffle(using: &random)
                    for attempt in attempts {
                        let detail = String(repeating: "x", count: Int.random(in: 0...240, using: &random))
                        let result: AttemptResult = switch Int.random(in: 0..<10, using: &random) {
                        case 0..<6: .retry(at: 0, reason: "retrying", message: "HTTP 503: \(detail)", throttled: false)
                        case 6: .retry(at: 0, reason: "retrying", message: "HTTP 429 rate limited", throttled: true)
                        case 7: .failed(reason: "HTTP 400", message: "HTTP 400: \(detail)")
                        case 8: .alreadyConnected(note: "created by an earlier attempt whose answer was lost")
                        default: .connected(accountId: "umx_\(detail.count)ABCDEFGHIJKLMNOP")
                        }
                        try await ledger.finish(attempt, result)
                        if case .retry = result { still.append(attempt.id) }
                    }
                }
                open = still
            }
            // What every command that ends does.
            await ledger.settle()
        }
        var found: [String] = []
        for suffix in ["", "-wal", "-shm", "-journal"] {
            guard let bytes = FileManager.default.contents(atPath: scratch.ledger + suffix) else { continue }
            for (smtp, imap) in passwords {
                for password in [smtp, imap] where bytes.range(of: Data(password.utf8)) != nil { found.append("\(password) in ledger\(suffix)") }
            }
        }
        return found
    }

    /// Before the ledger was vacuumed at the end of a command, seeds 9 and 12 of these 24 left a password behind.
    @Test(arguments: Array(1...24) as [UInt64])
    func noPasswordSurvivesRetriesThatGrowRows(seed: UInt64) async throws {
        let found = try await survivors(rows: 200, seed: seed)
        #expect(found.isEmpty, "\(found.count) password(s) left: \(found.prefix(5))")
    }
}
