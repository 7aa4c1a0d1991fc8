import Foundation
import OnboardInput

/// The summary's JSON form: `{"total", "by_state": {every state}, "failures": [{"reason", "count"}], "rows": [...]}`.
/// Written by hand so the keys keep their documented order and rows can be streamed.
enum SummaryJSON {
    static func head(_ summary: Summary) -> String {
        let states = JobState.allCases.map { "\(JSONEscaping.quote($0.rawValue)):\(summary.count($0))" }.joined(separator: ",")
        let failures = summary.failures.map { "{\"reason\":\(JSONEscaping.quote($0.reason)),\"count\":\($0.count)}" }.joined(separator: ",")
        return "{\"total\":\(summary.total),\"by_state\":{\(states)},\"failures\":[\(failures)]"
    }

    static func row(_ row: Summary.Row) -> String {
        "{\"source\":\(JSONEscaping.quote(row.source)),\"line\":\(row.line),\"sender_email\":\(JSONEscaping.quote(row.senderEmail)),"
            + "\"state\":\(JSONEscaping.quote(row.state.rawValue)),\"attempts\":\(row.attempts),"
            + "\"account_id\":\(row.accountId.map(JSONEscaping.quote) ?? "null"),\"error\":\(row.error.map(JSONEscaping.quote) ?? "null")}"
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
