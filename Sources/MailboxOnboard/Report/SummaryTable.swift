import OnboardInput

/// The summary as a person reads it: counts by state, failures by reason, the first failed rows.
public enum SummaryTable {
    public static func render(_ summary: Summary, ledgerPath: String) -> String {
        var out = "Ledger \(ledgerPath): \(summary.total) job\(summary.total == 1 ? "" : "s")\n\n"
        let width = JobState.allCases.map(\.rawValue.count).max()!
        out += "  " + pad("state", width) + "  count\n"
        for state in JobState.allCases {
            out += "  " + pad(state.rawValue, width) + "  " + leftPad(String(summary.count(state)), 5) + "\n"
        }
        if summary.byTeam.count > 1 {
            let nameWidth = min(max(summary.byTeam.map(\.team.count).max()!, 9), 40)
            let shown: [JobState] = [.pending, .connected, .alreadyConnected, .failed, .invalid]
            out += "\n  " + pad("team", nameWidth) + shown.map { "  " + leftPad($0 == .alreadyConnected ? "already" : $0.rawValue, 9) }.joined() + "\n"
            for team in summary.byTeam {
                out += "  " + pad(team.team.isEmpty ? "(no team)" : ServerText.withoutControlCharacters(team.team), nameWidth)
                    + shown.map { "  " + leftPad(String(team.count($0) + ($0 == .pending ? team.count(.inFlight) + team.count(.retrying) : 0)), 9) }
                    .joined() + "\n"
            }
        }
        let tests = summary.verification
        if tests.passed + tests.failed > 0 {
            out += "\nAccount tests: \(tests.passed) passed, \(tests.failed) did not pass\n"
        }
        let checks = summary.checks
        if checks.passed + checks.failed > 0 {
            out += "\nLogin checks: \(checks.passed) passed, \(checks.failed) failed; \(checks.held) held back from runs\n"
        }
        if summary.dns.domains > 0 {
            out += "\nSending domains (DNS): \(summary.dns.domains) checked, \(summary.dns.failed) failing\n"
            for failing in summary.failingDomains {
                out += "  \(failing.verdict.domain) (\(failing.held) held): \(ServerText.withoutControlCharacters(failing.verdict.hint ?? ""))\n"
            }
        }
        if !summary.lemlistStatus.isEmpty {
            let counts = summary.lemlistStatus.sorted { $0.key < $1.key }.map { "\($0.value) \(ServerText.withoutControlCharacters($0.key))" }
            out += "\nIn lemlist at the last status: \(counts.joined(separator: ", ")); \(summary.keptOutOfWarmup) kept out of warm-up\n"
        }
        let settings = summary.settings
        if settings.applied + settings.failed + settings.pending > 0 {
            out += "\nSettings (daily limit, warm-up): \(settings.applied) applied, \(settings.failed) refused, \(settings.pending) to apply\n"
        }
        if !summary.failures.isEmpty {
            out += "\nFailures by reason\n  count  reason\n"
            for failure in summary.failures {
                out += "  " + leftPad(String(failure.count), 5) + "  " + ServerText.withoutControlCharacters(failure.reason) + "\n"
            }
        }
        if !summary.failedRows.isEmpty {
            out += "\nFirst failed rows\n"
            let places = summary.failedRows.map { "\($0.source):\($0.line)" }
            let placeWidth = max(places.map(\.count).max()!, 4)
            let emailWidth = min(max(summary.failedRows.map(\.senderEmail.count).max()!, 5), 40)
            out += "  " + pad("line", placeWidth) + "  " + pad("email", emailWidth) + "  " + pad("state", 7) + "  error\n"
            for (row, place) in zip(summary.failedRows, places) {
                out += "  " + pad(place, placeWidth) + "  " + pad(row.senderEmail.isEmpty ? "-" : row.senderEmail, emailWidth)
                    + "  " + pad(row.isHeld ? "held" : row.state.rawValue, 7) + "  " + problem(row) + "\n"
            }
            let failed = summary.needingAttention
            if failed > summary.failedRows.count {
                out += "  ... and \(failed - summary.failedRows.count) more (summary --failed-csv FILE lists them all)\n"
            }
        }
        return out
    }

    /// What is wrong with a row, in one line.
    private static func problem(_ row: Summary.Row) -> String {
        if let test = row.failedTest { return "account test: " + VerifyText.words(test) }
        if row.isHeld, let check = row.check { return CheckText.words(check) }
        if let settings = row.failedSettings { return "settings: " + ServerText.withoutControlCharacters(settings) }
        return ServerText.withoutControlCharacters(row.error ?? "")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}

/// An import's findings as a person reads them.
public enum ImportReportText {
    public static func render(_ report: ImportReport) -> String {
        var out = ""
        for error in report.unreadable { out += "\(error.localizedDescription)\n" }
        let shownErrors = report.diagnostics.filter { $0.severity != .note || $0.line == nil }
        for diagnostic in shownErrors { out += "\(diagnostic)\n" }
        let errorRows = report.reasonCounts.filter { $0.key.hasPrefix("error:") }.values.reduce(0, +)
        let shownRowErrors = shownErrors.filter { $0.severity == .error && $0.line != nil }.count
        if errorRows > shownRowErrors {
            out += "... \(errorRows - shownRowErrors) more row errors; summary --failed-csv FILE lists every invalid row\n"
        }
        let grouped = report.reasonCounts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        if !grouped.isEmpty {
            out += "\nBy reason:\n"
            for (reason, count) in grouped { out += "  " + SummaryTable.leftPad(String(count), 6) + "  \(reason)\n" }
        }
        let c = report.counts
        out += "\nRead \(report.rows) row\(report.rows == 1 ? "" : "s") from \(report.files.count) file\(report.files.count == 1 ? "" : "s"): "
        out += "\(c.added) added, \(c.updated) updated, \(c.unchanged) unchanged, \(c.rearmed) failed ones queued again, "
        out += "\(c.invalid) invalid, \(c.alreadyConnected) already connected (left alone)"
        if c.inFlight > 0 { out += ", \(c.inFlight) being sent by a run (left alone)" }
        if c.settingsChanged > 0 { out += "; \(c.settingsChanged) connected with new settings to apply" }
        out += ".\n"
        if !report.committed { out += "Nothing was recorded: --strict and some rows are invalid.\n" }
        return out
    }
}

/// What pre-flight found, as a person reads it.
public enum PreflightText {
    public static func render(_ report: PreflightReport) -> String {
        var out = "Pre-flight (\(report.requests) request\(report.requests == 1 ? "" : "s")): "
        var found: [String] = []
        if let members = report.members { found.append("\(members) member\(members == 1 ? "" : "s")") }
        if let mailboxes = report.mailboxesFound { found.append("\(mailboxes) mailbox\(mailboxes == 1 ? "" : "es") already in the team") }
        out += found.isEmpty ? "nothing could be checked" : found.joined(separator: ", ")
        out += "; \(report.settled) row\(report.settled == 1 ? "" : "s") settled without a request"
        out += " (\(report.alreadyThere) already connected, \(report.notMembers) not a member).\n"
        for warning in report.warnings { out += "warning: pre-flight: \(ServerText.withoutControlCharacters(warning))\n" }
        return out + "\n"
    }
}

/// A verification pass, as a person reads it.
public enum VerifyText {
    public static func render(_ report: VerifyReport) -> String {
        let tested = report.passed + report.failed + report.notFound + report.untested
        var out = "Verified \(tested) account\(tested == 1 ? "" : "s") (\(report.requests) request\(report.requests == 1 ? "" : "s")): "
        out += "\(report.passed) passed, \(report.failed) failed, \(report.notFound) no longer in lemlist, \(report.untested) could not be tested.\n"
        if !report.failures.isEmpty {
            out += "\nNot passed:\n"
            for failure in report.failures.sorted(by: { $0.senderEmail < $1.senderEmail }) {
                out += "  \(failure.senderEmail): " + words(failure.verification) + "\n"
            }
        }
        return out
    }

    static func words(_ verification: Verification) -> String {
        switch verification {
        case .notFound: return "Email account not found (removed in lemlist)"
        case let .tested(smtp, imap):
            return [smtp.map { "SMTP: \(ServerText.withoutControlCharacters($0))" }, imap.map { "IMAP: \(ServerText.withoutControlCharacters($0))" }]
                .compactMap { $0 }.joined(separator: "; ")
        }
    }
}
