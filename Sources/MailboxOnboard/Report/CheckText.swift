import OnboardInput

/// A login check pass, as a person reads it.
public enum CheckText {
    public static func render(_ report: CheckReport) -> String {
        var out = "Checked \(report.checked) mailbox\(report.checked == 1 ? "" : "es"): \(report.passed) passed, \(report.failed) failed.\n"
        if !report.failures.isEmpty {
            out += "\nFailed (held back from runs until fixed and imported again, or run --include-failed-checks):\n"
            for failure in report.failures.sorted(by: { $0.senderEmail < $1.senderEmail }) {
                out += "  \(failure.senderEmail): " + words(failure.verdict) + "\n"
            }
        }
        return out
    }

    /// `SMTP: 535 5.7.8 ... · hint: ...` in one line.
    static func words(_ check: CheckVerdict) -> String {
        let replies = replies(check)
        return [replies.isEmpty ? nil : replies, check.hint.map { "hint: " + ServerText.withoutControlCharacters($0) }]
            .compactMap { $0 }.joined(separator: " · ")
    }

    /// Each failing protocol's reply, `SMTP: ...; IMAP: ...`.
    static func replies(_ check: CheckVerdict) -> String {
        [check.smtp.map { "SMTP: \(ServerText.withoutControlCharacters($0))" }, check.imap.map { "IMAP: \(ServerText.withoutControlCharacters($0))" }]
            .compactMap { $0 }.joined(separator: "; ")
    }
}
