import OnboardInput

/// A settings pass, as a person reads it.
public enum SettingsText {
    public static func render(_ report: SettingsReport) -> String {
        let done = report.applied + report.failed
        var out = "Settings of \(done) mailbox\(done == 1 ? "" : "es") (\(report.requests) request\(report.requests == 1 ? "" : "s")): "
            + "\(report.applied) applied, \(report.failed) refused"
        out += report.left > 0 ? "; \(report.left) still to apply (run configure again).\n" : ".\n"
        if !report.failures.isEmpty {
            out += "\nRefused:\n"
            for failure in report.failures.sorted(by: { ($0.senderEmail, $0.reason) < ($1.senderEmail, $1.reason) }) {
                out += "  \(failure.senderEmail): \(ServerText.withoutControlCharacters(failure.reason))\n"
            }
        }
        return out
    }
}
