/// Which jobs one API key works on: all of them (one key for the whole ledger), or those of some named teams
/// (matched without case) and, with `unnamed`, those that name no team.
public enum TeamScope: Sendable, Equatable {
    case all
    case teams(Set<String>, unnamed: Bool)

    /// A condition on `jobs.team` for a WHERE clause. Names are validated input without control characters; they
    /// go in as SQL string literals with their quotes doubled.
    var sql: String {
        switch self {
        case .all:
            return "1"
        case let .teams(names, unnamed):
            var parts: [String] = []
            if !names.isEmpty {
                let list = names.sorted().map { "'" + $0.lowercased().replacingOccurrences(of: "'", with: "''") + "'" }
                parts.append("lower(team) IN (\(list.joined(separator: ", ")))")
            }
            if unnamed { parts.append("team IS NULL") }
            return parts.isEmpty ? "0" : "(" + parts.joined(separator: " OR ") + ")"
        }
    }
}

/// Outstanding jobs of one team, as the key plan counts them.
public struct TeamCount: Sendable, Equatable {
    /// The team's name as its first row in the ledger spells it; nil for jobs that name no team.
    public var team: String?
    public var outstanding: Int
}

extension LedgerStore {
    /// Jobs in `states` by team (names compared without case), in name order, unnamed first.
    func jobsByTeam(in states: [JobState]) throws -> [TeamCount] {
        try jobsByTeam(where: "state IN \(JobState.sqlList(states))")
    }

    /// Jobs with settings still to apply (see `settingsDue`), by team.
    func settingsDueByTeam() throws -> [TeamCount] {
        try jobsByTeam(where: "settings_state = \(SettingsState.pending.sql) AND settings_due != 0 AND state IN \(JobState.sqlList(JobState.onboarded))")
    }

    private func jobsByTeam(where condition: String) throws -> [TeamCount] {
        let statement = try db.statement("""
            SELECT (SELECT team FROM jobs AS first WHERE lower(first.team) = lower(jobs.team) ORDER BY id LIMIT 1), count(*)
            FROM jobs WHERE \(condition) GROUP BY lower(team) ORDER BY lower(team)
            """)
        var counts: [TeamCount] = []
        while try statement.step() { counts.append(TeamCount(team: statement.text(0), outstanding: statement.int(1))) }
        return counts
    }
}
