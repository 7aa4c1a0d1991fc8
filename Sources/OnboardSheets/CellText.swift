import OnboardInput

/// A cell's value as the person sees it in the sheet, from what the file stores.
enum CellText {
    /// `587`, not `587.0`; `12345678`, not `1.2345678E7`: ports, numeric passwords and ids are typed as integers.
    static func number(_ stored: String) -> String {
        guard let value = Double(stored), value.isFinite else { return stored }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func boolean(_ value: Bool) -> String { value ? "TRUE" : "FALSE" }

    /// An .xlsx date: days since the workbook's epoch, the fraction being the time of day. ISO 8601 text, the
    /// time only when there is one.
    static func date(serial stored: String, since1904: Bool) -> String {
        guard let serial = Double(stored), serial.isFinite, serial >= 0, serial < 3_000_000 else { return number(stored) }
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds == 86_400 {
            days += 1
            seconds = 0
        }
        let time = format2(seconds / 3600) + ":" + format2(seconds / 60 % 60) + ":" + format2(seconds % 60)
        if days == 0, !since1904 { return time }
        // 1900-based serials count a 29 February 1900 that never was (Lotus 1-2-3's leap-year bug, kept by Excel).
        let epoch = since1904 ? CivilDate.days(year: 1904, month: 1, day: 1) : CivilDate.days(year: 1899, month: 12, day: days < 60 ? 31 : 30)
        let (year, month, day) = CivilDate.date(days: epoch + days)
        let date = "\(year)-\(format2(month))-\(format2(day))"
        return seconds == 0 ? date : date + "T" + time
    }

    /// Whether an .xlsx number format shows a date or time: the built-in ones by id, custom ones by their code.
    static func isDateFormat(id: Int, code: String?) -> Bool {
        if let code { return isDateCode(code) }
        return (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id)
    }

    /// Date and time letters outside quoted text, `[...]` sections (colours, locales) and escaped characters.
    static func isDateCode(_ code: String) -> Bool {
        var quoted = false, bracketed = false, escaped = false
        for character in code.lowercased() {
            if escaped { escaped = false; continue }
            switch character {
            case "\\": escaped = true
            case "\"": quoted.toggle()
            case "[" where !quoted: bracketed = true
            case "]" where !quoted: bracketed = false
            case "d", "m", "y", "h", "s": if !quoted, !bracketed { return true }
            default: break
            }
        }
        return false
    }

    /// The column a reference such as `AB12` names, from 0; nil for anything else.
    static func column(ofReference reference: some Sequence<UInt8>) -> Int? {
        var column = 0
        var letters = 0
        for byte in reference {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                column = column * 26 + Int(byte - UInt8(ascii: "A")) + 1
                letters += 1
                // XFD, the last column, has three letters.
                if letters > 3 { return nil }
            case UInt8(ascii: "0")...UInt8(ascii: "9") where letters > 0:
                return column - 1
            default:
                return nil
            }
        }
        return letters > 0 ? column - 1 : nil
    }

    private static func format2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
