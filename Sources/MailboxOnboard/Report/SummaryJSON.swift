import Foundation
import OnboardInput

/// The summary's JSON form: `{"total", "by_state": {every state}, "failures": [{"reason", "count"}], "rows": [...]}`.
/// Written by hand so the keys keep their documented order and rows can be streamed.
enum SummaryJSON {
    static func head(_ summary: Summary) -> String {
        let states = JobState.allCases.map { "\(JSONEscaping.quote($0.rawValue)):\(summary.count($0))" }.joined(separator: ",")
        let failures = summary.failures.map { "{\"reason\":\(JSONEscaping.quote($0.reason)),\"count\":\($0.count)}" }.joined(separator: ",")
        return "{\"total\":\(summary.total),\"by_state\":{\(states)},\"failures\":[\(failures)],"
            + "\"verification\":{\"passed\":\(summary.verification.passed),\"failed\":\(summary.verification.failed)},"
            + "\"checks\":{\"passed\":\(summary.checks.passed),\"failed\":\(summary.checks.failed)},\"held\":\(summary.checks.held),"
            + "\"settings\":{\"applied\":\(summary.settings.applied),\"failed\":\(summary.settings.failed),\"pending\":\(summary.settings.pending)}"
            + ",\"lemlist_status\":{" + summary.lemlistStatus.sorted { $0.key < $1.key }.map { "\(JSONEscaping.quote($0.key)):\($0.value)" }
            .joined(separator: ",") + "},\"kept_out_of_warmup\":\(summary.keptOutOfWarmup)"
            + ",\"dns\":{\"domains\":\(summary.dns.domains),\"failed\":\(summary.dns.failed)}"
            + byTeam(summary.byTeam)
    }

    /// `,"by_team":{"name":{every state}}`, or nothing when no job names a team.
    static func byTeam(_ teams: [Summary.TeamStates]) -> String {
        guard !teams.isEmpty else { return "" }
        let entries = teams.map { team in
            JSONEscaping.quote(team.team) + ":{" + JobState.allCases.map { "\(JSONEscaping.quote($0.rawValue)):\(team.count($0))" }.joined(separator: ",") + "}"
        }
        return ",\"by_team\":{" + entries.joined(separator: ",") + "}"
    }

    static func row(_ row: Summary.Row) -> String {
        "{\"source\":\(JSONEscaping.quote(row.source)),\"line\":\(row.line),\"sender_email\":\(JSONEscaping.quote(row.senderEmail)),"
            + "\"state\":\(JSONEscaping.quote(row.state.rawValue)),\"attempts\":\(row.attempts),"
            + "\"account_id\":\(row.accountId.map(JSONEscaping.quote) ?? "null"),\"error\":\(row.error.map(JSONEscaping.quote) ?? "null"),"
            + "\"verification\":\(verification(row.verification)),\"check\":\(check(row.check)),"
            + "\"team\":\(row.team.map(JSONEscaping.quote) ?? "null"),\"settings\":\(settings(row.settings))}"
    }

    /// `null`, or `{"daily_limit", "warmup", "warmup_max", "warmup_rampup", "applied", "error"}`: what the row asks
    /// (null where it leaves lemlist's value), whether all of it was applied, and lemlist's reasons for what failed.
    static func settings(_ record: SettingsRecord?) -> String {
        guard let record else { return "null" }
        func number(_ value: Int?) -> String { value.map(String.init) ?? "null" }
        return "{\"daily_limit\":\(number(record.settings.dailyLimit)),\"warmup\":\(record.settings.warmup.map(String.init) ?? "null"),"
            + "\"warmup_max\":\(number(record.settings.warmupMax)),\"warmup_rampup\":\(number(record.settings.warmupRampup)),"
            + "\"applied\":\(record.state == .applied),\"error\":\(record.error.map(JSONEscaping.quote) ?? "null")}"
    }

    /// `null`, or `{"passed", "smtp", "imap", "hint", "dns"}`: each protocol's failing reply (null when it passed),
    /// what to do about it, and the verdict of the mailbox's domain.
    static func check(_ check: CheckVerdict?) -> String {
        guard let check else { return "null" }
        func text(_ value: String?) -> String { value.map(JSONEscaping.quote) ?? "null" }
        return "{\"passed\":\(check.passed),\"smtp\":\(text(check.smtp)),\"imap\":\(text(check.imap)),\"hint\":\(text(check.hint)),"
            + "\"dns\":\(dns(check.dns))}"
    }

    /// `null`, or `{"domain", "passed", "mx", "spf", "dmarc", "dkim"}`: passed is null while MX or SPF could not
    /// be checked; each record is `{"status", "detail"}`, status one of ok, note, warning, failed, unchecked.
    static func dns(_ verdict: DomainVerdict?) -> String {
        guard let verdict else { return "null" }
        func part(_ part: DomainVerdict.Part) -> String {
            "{\"status\":\(JSONEscaping.quote(part.status.rawValue)),\"detail\":\(JSONEscaping.quote(part.detail))}"
        }
        return "{\"domain\":\(JSONEscaping.quote(verdict.domain)),\"passed\":\(verdict.passed.map(String.init) ?? "null"),"
            + "\"mx\":\(part(verdict.mx)),\"spf\":\(part(verdict.spf)),\"dmarc\":\(part(verdict.dmarc)),\"dkim\":\(part(verdict.dkim))}"
    }

    /// `null`, or `{"passed", "smtp", "imap"}` with each protocol's error text (null when it passed).
    static func verification(_ verification: Verification?) -> String {
        guard let verification else { return "null" }
        let (smtp, imap): (String?, String?) = switch verification {
        case let .tested(smtpError, imapError): (smtpError, imapError)
        case .notFound: ("Email account not found", "Email account not found")
        }
        return "{\"passed\":\(verification.passed),\"smtp\":\(smtp.map(JSONEscaping.quote) ?? "null"),\"imap\":\(imap.map(JSONEscaping.quote) ?? "null")}"
    }
}

/// The failed-rows export: where each bad row is and why, for fixing the spreadsheet. Never a password.
enum FailedRowsCSV {
    static let header = "source,line,sender_email,state,reason,error,team\r\n"

    static func line(_ row: Summary.Row) -> String {
        let reason: String, error: String
        if let test = row.failedTest {
            (reason, error) = ("account test failed", VerifyText.words(test))
        } else if row.isHeld, let check = row.check {
            (reason, error) = (check.hint ?? "login check failed", CheckText.replies(check))
        } else if let settings = row.failedSettings {
            (reason, error) = ("settings refused", settings)
        } else {
            (reason, error) = (row.reason ?? "", row.error ?? "")
        }
        return [row.source, String(row.line), row.senderEmail, row.state.rawValue, reason, error, row.team ?? ""].map(cell)
            .joined(separator: ",") + "\r\n"
    }

    /// RFC 4180 quoting, and a leading apostrophe before text a spreadsheet would run as a formula.
    static func cell(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Summary.Row {
    /// lemlist's reasons for a connected row whose settings were refused, shown in place of the row's own error.
    var failedSettings: String? {
        guard let settings, settings.state == .failed, JobState.onboarded.contains(state) else { return nil }
        return settings.error ?? "refused"
    }

    /// The account test of a connected row that did not pass it, shown in place of the row's own reason and error.
    var failedTest: Verification? {
        guard let verification, !verification.passed, !JobState.needsFixing.contains(state) else { return nil }
        return verification
    }
}
