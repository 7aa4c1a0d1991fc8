@testable import OnboardSheets
import Testing

/// Stored values turned into what the sheet shows.
struct CellTextTests {
    @Test(arguments: [
        ("587", "587"), ("587.0", "587"), ("1.2345678E7", "12345678"), ("123456789012", "123456789012"), ("0.5", "0.5"),
        ("-3", "-3"), ("1E+20", "1e+20"), ("abc", "abc"),
    ])
    func numbersReadAsShown(_ stored: String, _ shown: String) {
        #expect(CellText.number(stored) == shown)
    }

    @Test(arguments: [
        ("46356", false, "2026-11-30"), ("46357.395833333336", false, "2026-12-01T09:30:00"), ("1", false, "1900-01-01"),
        ("59", false, "1900-02-28"), ("61", false, "1900-03-01"), ("0", true, "1904-01-01"), ("44894", true, "2026-11-30"),
        ("0.75", false, "18:00:00"),
    ])
    func dateSerialsReadAsISO(_ serial: String, _ since1904: Bool, _ iso: String) {
        #expect(CellText.date(serial: serial, since1904: since1904) == iso)
    }

    @Test func dateFormatsAreToldFromOthers() {
        #expect(CellText.isDateFormat(id: 14, code: nil))
        #expect(!CellText.isDateFormat(id: 0, code: nil))
        #expect(!CellText.isDateFormat(id: 3, code: nil))
        #expect(CellText.isDateFormat(id: 164, code: "yyyy-mm-dd hh:mm"))
        #expect(!CellText.isDateFormat(id: 165, code: "[Red]0.00;\"days\" 0"))
        #expect(!CellText.isDateFormat(id: 166, code: "#,##0\\d"))
    }

    @Test func referencesNameTheirColumn() {
        #expect(CellText.column(ofReference: "A1".utf8) == 0)
        #expect(CellText.column(ofReference: "AB12".utf8) == 27)
        #expect(CellText.column(ofReference: "XFD1048576".utf8) == 16383)
        #expect(CellText.column(ofReference: "ABCD1".utf8) == nil)
        #expect(CellText.column(ofReference: "12".utf8) == nil)
    }
}
