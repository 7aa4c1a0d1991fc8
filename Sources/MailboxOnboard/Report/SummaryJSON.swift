import Foundation

/// The summary's JSON form: `{"total", "by_state": {every state}, "failures": [{"reason", "count"}], "rows": [...]}`.
/// Written by hand so the keys keep their documented order and rows can be streamed.
enum SummaryJSON {
    static func head(_ summary: Summary) -> String {
        let states = JobState.allCases.map { "\(quote($0.rawValue)):\(summary.count($0))" }.joined(separator: ",")
        let failures = summary.failures.map { "{\"reason\":\(quote($0.reason)),\"count\":\($0.count)}" }.joined(separator: ",")
        return "{\"total\":\(summary.total),\"by_state\":{\(states)},\"failures\":[\(failures)]"
    }

    static func row(_ row: Summary.Row) -> String {
        "{\"source\":\(quote(row.source)),\"line\":\(row.line),\"sender_email\":\(quote(row.senderEmail)),"
            + "\"state\":\(quote(row.state.rawValue)),\"attempts\":\(row.attempts),"
            + "\"account_id\":\(row.accountId.map(quote) ?? "null"),\"error\":\(row.error.map(quote) ?? "null")}"
    }

    /// A JSON string literal.
    static func quote(_ text: String) -> String {
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// The failed-rows export: where each bad row is and why, for fixing the spreadsheet. Never a password.
enum FailedRowsCSV {
    static let header = "source,line,sender_email,state,reason,error\r\n"

    static func line(_ row: Summary.Row) -> String {
        [row.source, String(row.line), row.senderEmail, row.state.rawValue, row.reason ?? "", row.error ?? ""]
            .map(cell).joined(separator: ",") + "\r\n"
    }

    /// RFC 4180 quoting, and a leading apostrophe before text a spreadsheet would run as a formula.
    static func cell(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// JSON string escaping straight into a byte buffer, for the request bodies written once per imported row.
enum JSONBytes {
    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
