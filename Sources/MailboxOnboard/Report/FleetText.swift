import OnboardInput

/// `status` as a person reads it: per team, unhealthy mailboxes first, then a one-line total.
public enum StatusText {
    public static func render(_ outcome: StatusOutcome) -> String {
        var out = ""
        for team in outcome.teams {
            let name = team.name.isEmpty ? "(default key)" : ServerText.withoutControlCharacters(team.name)
            out += "Team \(name) (\(team.requests) request\(team.requests == 1 ? "" : "s")):\n"
            if !team.mailboxes.isEmpty {
                let width = min(max(team.mailboxes.map(\.mailbox.email.count).max()!, 5), 40)
                out += "  " + SummaryTable.pad("status", 12) + "  " + SummaryTable.pad("warm-up", 7) + "  " + SummaryTable.pad("email", width)
                    + "  " + SummaryTable.pad("ledger", 17) + "  what to check\n"
                for health in team.mailboxes {
                    let warmup = health.warmupError.map { _ in "kept out" } ?? (health.mailbox.warmupActive ? "on" : "off")
                    let advice = health.warmupError.map { "\($0.family): \($0.title) · \($0.whatToCheck)" } ?? ""
                    out += "  " + SummaryTable.pad(ServerText.withoutControlCharacters(health.mailbox.status), 12) + "  " + SummaryTable.pad(warmup, 7)
                        + "  " + SummaryTable.pad(ServerText.withoutControlCharacters(health.mailbox.email), width)
                        + "  " + SummaryTable.pad(health.ledgerState?.rawValue ?? "-", 17) + "  " + ServerText.withoutControlCharacters(advice) + "\n"
                }
            }
            for warning in team.warnings { out += "warning: \(ServerText.withoutControlCharacters(warning))\n" }
            out += "\(name): \(team.mailboxes.count) mailbox\(team.mailboxes.count == 1 ? "" : "es"), "
                + "\(team.mailboxes.count - team.unhealthy) healthy, \(team.unhealthy) unhealthy.\n\n"
        }
        return out
    }
}

/// `status --json`: `{"teams": [{"name", "mailboxes": [...]}], "unhealthy": n}`.
public enum StatusJSON {
    public static func render(_ outcome: StatusOutcome) -> String {
        func text(_ value: String?) -> String { value.map(JSONEscaping.quote) ?? "null" }
        let teams = outcome.teams.map { team in
            let mailboxes = team.mailboxes.map { health in
                let error = health.warmupError.map {
                    "{\"family\":\(text($0.family)),\"code\":\(text($0.code)),\"title\":\(text($0.title)),\"what_to_check\":\(text($0.whatToCheck))}"
                } ?? "null"
                return "{\"email\":\(text(health.mailbox.email)),\"id\":\(text(health.mailbox.id)),\"user_id\":\(text(health.mailbox.userId)),"
                    + "\"status\":\(text(health.mailbox.status)),\"warmup_active\":\(health.mailbox.warmupActive),\"warmup_error\":\(error),"
                    + "\"in_ledger\":\(health.ledgerState != nil),\"ledger_state\":\(text(health.ledgerState?.rawValue))}"
            }
            return "{\"name\":\(text(team.name)),\"mailboxes\":[\(mailboxes.joined(separator: ","))]}"
        }
        return "{\"teams\":[\(teams.joined(separator: ","))],\"unhealthy\":\(outcome.unhealthy)}\n"
    }
}

/// `disconnect` as a person reads it: what it removes (or would), and what came of it.
public enum DisconnectText {
    public static func render(_ outcome: DisconnectOutcome) -> String {
        var out = ""
        if !outcome.candidates.isEmpty {
            let width = min(max(outcome.candidates.map(\.email.count).max()!, 5), 40)
            out += outcome.removing ? "Removing from lemlist:\n" : "Would remove from lemlist (run again with --yes to remove them):\n"
            out += "  " + SummaryTable.pad("email", width) + "  " + SummaryTable.pad("team", 16) + "  " + SummaryTable.pad("status", 12) + "  id\n"
            for candidate in outcome.candidates.sorted(by: { $0.email.lowercased() < $1.email.lowercased() }) {
                out += "  " + SummaryTable.pad(ServerText.withoutControlCharacters(candidate.email), width) + "  "
                    + SummaryTable.pad(candidate.team.isEmpty ? "(default key)" : ServerText.withoutControlCharacters(candidate.team), 16) + "  "
                    + SummaryTable.pad(ServerText.withoutControlCharacters(candidate.status), 12) + "  " + ServerText.withoutControlCharacters(candidate.id) + "\n"
            }
        }
        out += "\(outcome.candidates.count) mailbox\(outcome.candidates.count == 1 ? "" : "es") selected"
        if outcome.removing {
            out += "; \(outcome.disconnected) disconnected, \(outcome.refused.count) refused (\(outcome.requests) requests).\n"
        } else {
            out += "; nothing was removed.\n"
        }
        for refusal in outcome.refused { out += "  refused: \(refusal.email): \(ServerText.withoutControlCharacters(refusal.reason))\n" }
        for email in outcome.notFound { out += "not in the team(s), skipped: \(ServerText.withoutControlCharacters(email))\n" }
        for warning in outcome.warnings { out += "warning: \(ServerText.withoutControlCharacters(warning))\n" }
        return out
    }
}
