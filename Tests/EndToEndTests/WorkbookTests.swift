import Foundation
import LemlistEmulator
import MailboxOnboard
import Testing
import TestSupport

extension EndToEnd {
    /// A workbook straight from a spreadsheet, through the built executable.
    @Suite struct Workbooks {
        static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../OnboardSheetsTests/Fixtures").standardized

        @Test func runConnectsAWorkbooksValidRows() async throws {
            let workspace = try Scratch()
            let workbook = Self.fixtures.appendingPathComponent("openpyxl.xlsx").path
            try await withEmulator { emulator in
                let result = try await Child.run(["run", workbook, "--ledger", workspace.ledger, "--base-url", emulator.baseURL],
                                                 environment: ["LEMLIST_API_KEY": "emulator-key"], in: workspace)
                // Carol's row (line 5) has no IMAP settings: the three others are connected, and the exit says rows were invalid.
                #expect(result.status == ExitStatus.invalidRows.rawValue, "\(result.err)")
                #expect(result.out.contains("\(workbook):5: imap_host: is required"))
                #expect(try ledgerSummary(workspace.ledger).count(.connected) == 3)
                #expect(emulator.statistics.received >= 3)
                for secret in ["482913", "s3cr3t pass", "123456789012"] {
                    #expect(!result.out.contains(secret) && !result.err.contains(secret))
                }
            }
        }

        @Test func anUnknownSheetListsTheSheetsAndSendsNothing() async throws {
            let workspace = try Scratch()
            let workbook = Self.fixtures.appendingPathComponent("libreoffice.ods").path
            let result = try await Child.run(["import", workbook, "--sheet", "Leads", "--ledger", workspace.ledger], in: workspace)
            #expect(result.status == ExitStatus.unreadableInput.rawValue)
            #expect((result.out + result.err).contains("there is no sheet named 'Leads'; the sheets are 'Accounts', 'Archive'"))
        }
    }
}
