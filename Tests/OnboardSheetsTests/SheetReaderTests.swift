import Foundation
import OnboardInput
@testable import OnboardSheets
import Testing

/// Workbooks made by openpyxl, odfpy and LibreOffice (Fixtures/make-fixtures.py) read back exactly as typed there.
struct SheetReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// Every row's non-empty values by field, with its line.
    static func rows(_ name: String, sheet: String? = nil, overrides: [String: InputField?] = [:]) throws -> [(line: Int, values: [InputField: String])] {
        let reader = try SheetRowReader(path: fixture(name), sheet: sheet, overrides: overrides)
        var rows: [(Int, [InputField: String])] = []
        while let row = try reader.next() {
            #expect(row.readProblems.isEmpty)
            var values: [InputField: String] = [:]
            for field in InputField.allCases {
                if let value = row.values[field], !value.isEmpty { values[field] = value }
            }
            rows.append((row.line, values))
        }
        return rows
    }

    /// Instantly's headers, typed in openpyxl: numbers, booleans, a rich-text name, a sparse row, blank rows.
    @Test func openpyxlWorkbookReadsAsTyped() throws {
        let rows = try Self.rows("openpyxl.xlsx")
        #expect(rows.map(\.line) == [2, 4, 5, 8])
        #expect(rows[0].values == [
            .senderEmail: "alice@acme-mail.com", .firstName: "Alice", .lastName: "Martin", .smtpLogin: "alice@acme-mail.com",
            .smtpPassword: "482913", .smtpHost: "smtp.acme-mail.com", .smtpPort: "587", .smtpSecure: "FALSE",
            .imapLogin: "alice@acme-mail.com", .imapPassword: "482913", .imapHost: "imap.acme-mail.com", .imapPort: "993",
            .imapSecure: "TRUE",
        ])
        #expect(rows[1].values == [
            .senderEmail: "bob@acme-mail.com", .firstName: "Bob\nJunior", .lastName: "Stone", .smtpLogin: "bob",
            .smtpPassword: "s3cr3t pass", .smtpHost: "smtp.acme-mail.com", .smtpPort: "465", .smtpSecure: "TRUE",
            .imapLogin: "bob", .imapPassword: "s3cr3t pass", .imapHost: "imap.acme-mail.com", .imapPort: "993", .imapSecure: "TRUE",
        ])
        #expect(rows[2].values == [
            .senderEmail: "carol@acme-mail.com", .firstName: "Carol", .smtpLogin: "carol", .smtpPassword: "12345678",
            .smtpHost: "mail.acme-mail.com", .smtpPort: "2525",
        ])
        #expect(rows[3].values == [
            .senderEmail: "dave@acme-mail.com", .firstName: "Dave", .lastName: "Ng", .smtpLogin: "dave", .smtpPassword: "0042",
            .smtpHost: "smtp.acme-mail.com", .smtpPort: "587", .imapLogin: "dave", .imapPassword: "123456789012",
            .imapHost: "imap.acme-mail.com", .imapPort: "993",
        ])
    }

    /// Smartlead's headers, typed in odfpy, and the same sheet as LibreOffice saves it in both formats: repeated
    /// blank rows, a formula's value, a name on two lines whose second is a bold run, booleans typed as such.
    @Test(arguments: ["odfpy.ods", "libreoffice.ods", "libreoffice.xlsx"])
    func smartleadSheetReadsAsTyped(_ name: String) throws {
        let rows = try Self.rows(name)
        #expect(rows.map(\.line) == [2, 5, 6])
        #expect(rows[0].values == [
            .senderName: "Ann\nExample", .senderEmail: "ann@acme-mail.com", .login: "ann", .password: "9876",
            .smtpHost: "smtp.acme-mail.com", .smtpPort: "587", .imapHost: "imap.acme-mail.com", .imapPort: "993",
            .imapLogin: "ann", .imapPassword: "9876", .smtpSecure: "FALSE", .warmup: "TRUE",
        ])
        #expect(rows[1].values == [
            .senderName: "Ben Ode", .senderEmail: "ben@acme-mail.com", .login: "ben", .password: "two  spaces",
            .smtpHost: "smtp.acme-mail.com", .smtpPort: "2525", .smtpSecure: "TRUE",
        ])
        #expect(rows[2].values == [.senderName: "Cy", .senderEmail: "cy@acme-mail.com", .smtpHost: "mail.acme-mail.com", .smtpPort: "465",
                                   .warmup: "weekly"])
    }

    /// Columns no field takes are still read as shown: a date, and a formula's boolean.
    @Test func unmappedCellsAreReadAsShownToo() throws {
        let dates = try Self.rows("openpyxl.xlsx", overrides: [HeaderMapping.normalize("Added"): .team])
        #expect(dates.map { $0.values[.team] } == ["2026-11-30", "2026-12-01T09:30:00", nil, nil])
        for name in ["odfpy.ods", "libreoffice.ods", "libreoffice.xlsx"] {
            let rows = try Self.rows(name, overrides: ["warmup": .team])
            #expect(rows.map { $0.values[.team] } == ["TRUE", nil, "weekly"], "\(name)")
        }
    }

    @Test(arguments: ["openpyxl.xlsx", "libreoffice.xlsx", "odfpy.ods", "libreoffice.ods"])
    func aSheetIsChosenByName(_ name: String) throws {
        let rows = try Self.rows(name, sheet: "archive")
        #expect(rows.count == 1)
        #expect(rows.first?.values[.senderEmail]?.hasSuffix("@old-mail.com") == true)
    }

    @Test(arguments: ["openpyxl.xlsx", "libreoffice.ods"])
    func anUnknownSheetListsTheSheets(_ name: String) throws {
        let error = #expect(throws: ImportError.self) { _ = try Self.rows(name, sheet: "Leads") }
        let sheets = name.hasSuffix(".ods") ? ["Accounts", "Archive"] : ["Mailboxes", "Archive"]
        #expect(error == .noSuchSheet(file: Self.fixture(name), name: "Leads", sheets: sheets))
        #expect(error?.localizedDescription.contains("the sheets are '\(sheets[0])', 'Archive'") == true)
    }

    @Test func headerFindingsNameTheHeaderRow() throws {
        let reader = try SheetRowReader(path: Self.fixture("openpyxl.xlsx"), sheet: nil, overrides: [:])
        while try reader.next() != nil {}
        let ignored = try #require(reader.diagnostics.first { $0.problem.hasPrefix("ignored columns") })
        #expect(ignored.line == 1 && ignored.problem.contains("'Added', 'Notes'"))
    }

}
