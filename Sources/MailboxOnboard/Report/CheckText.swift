import OnboardInput

/// A login check pass, as a person reads it.
public enum CheckText {
    public static func render(_ report: CheckReport) -> String {
        var out = domains(report.domains)
        out += "Checked \(report.checked) mailbox\(report.checked == 1 ? "" : "es"): \(report.passed) passed, \(report.failed) failed.\n"
        if !report.failures.isEmpty {
            out += "\nFailed (held back from runs until fixed and checked again, or run --include-failed-checks):\n"
            for failure in report.failures.sorted(by: { $0.senderEmail < $1.senderEmail }) {
                out += "  \(failure.senderEmail): " + words(failure.verdict) + "\n"
            }
        }
        return out
    }

    /// The sending domains' DNS: counts, then each domain with something to fix or to know, before the logins.
    static func domains(_ domains: [DomainVerdict]) -> String {
        guard !domains.isEmpty else { return "" }
        let failing = domains.filter { $0.passed == false }.count
        let unchecked = domains.filter { $0.passed == nil }.count
        var out = "DNS of \(domains.count) sending domain\(domains.count == 1 ? "" : "s"): \(domains.count - failing - unchecked) passed, "
            + "\(failing) failing (their mailboxes are held), \(unchecked) could not be checked.\n"
        for domain in domains {
            let shown = domain.parts.filter { $0.part.status != .ok }
            guard !shown.isEmpty else { continue }
            let verdict = domain.passed == false ? "FAILS" : domain.passed == nil ? "not checked" : "passes"
            out += "  \(domain.domain) \(verdict):\n"
            for (name, part) in shown {
                out += "    \(name) \(part.status.rawValue): \(ServerText.withoutControlCharacters(part.detail))\n"
            }
        }
        return out + "\n"
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
