import Crypto
import Foundation
import OnboardInput

/// The `--team-keys` file: one `NAME=KEY` line per team (blank lines and `#` comments ignored). Names match rows'
/// `team` values trimmed and without regard to case. Keys are never shown, in messages or in file names.
public struct TeamKeys: Sendable {
    /// Keys by lower-cased team name.
    public let keys: [String: Secret]
    /// Names as the file spells them, by lower-cased name.
    public let names: [String: String]

    public struct Problem: Error, Equatable, LocalizedError {
        public var message: String
        public var errorDescription: String? { message }
    }

    /// Reads the file's text; `file` names it in messages. A problem names the line, never what it holds: a line
    /// written the wrong way round (`KEY=Team`) has the key where the name should be.
    public init(text: String, file: String) throws(Problem) {
        var keys: [String: Secret] = [:], names: [String: String] = [:]
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let place = "\(file):\(index + 1)"
            guard let equals = line.firstIndex(of: "=") else { throw Problem(message: "\(place): expected NAME=KEY") }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            let key = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw Problem(message: "\(place): the team name before '=' is empty") }
            guard !key.isEmpty else { throw Problem(message: "\(place): there is no key after '='") }
            guard !key.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) else {
                throw Problem(message: "\(place): the key after '=' holds spaces or control characters (each line is NAME=KEY, the team first)")
            }
            let folded = name.lowercased()
            guard keys[folded] == nil else { throw Problem(message: "\(place): this line's team was given a key on an earlier line") }
            keys[folded] = Secret(key)
            names[folded] = name
        }
        guard !keys.isEmpty else { throw Problem(message: "\(file) names no team (expected NAME=KEY lines)") }
        self.keys = keys
        self.names = names
    }

    /// The file name suffix of a key's request-start log: a keyed hash (HMAC-SHA-256), so the key cannot be read
    /// back from the name.
    public static func rateLogHash(_ key: Secret) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(key.revealed.utf8), using: SymmetricKey(data: Data("mailbox-onboard rate log".utf8)))
        return code.prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}

/// One API key's share of a run: the key, the teams it serves, and where its request starts are logged.
public struct KeyLane: Sendable {
    /// How reports name it: the team names, or "(no team)" for the default key's rows.
    public var label: String
    public var apiKey: Secret
    public var scope: TeamScope
    /// nil for the default key, whose log is `<ledger>.rate` as for a one-key run.
    public var rateLogHash: String?
}

/// Why the jobs cannot be matched to keys; nothing is sent.
public struct KeyPlanProblem: Error, Equatable, LocalizedError {
    public var message: String
    public var errorDescription: String? { message }
}

extension TeamKeys {
    /// Which key sends which outstanding jobs: each team with rows gets its file's key, rows without a team the
    /// default key. Teams sharing one key share one lane (one limiter, since lemlist counts per key).
    public static func lanes(for counts: [TeamCount], teamKeys: TeamKeys?, defaultKey: Secret?) throws(KeyPlanProblem) -> [KeyLane] {
        let named = counts.filter { $0.team != nil }
        let unnamed = counts.first { $0.team == nil }?.outstanding ?? 0
        guard let teamKeys else {
            if !named.isEmpty {
                let list = named.map { "\($0.team!) (\($0.outstanding) row\($0.outstanding == 1 ? "" : "s"))" }.joined(separator: ", ")
                throw KeyPlanProblem(message: "rows name lemlist teams but no --team-keys file gives their keys: \(list). Nothing was sent.")
            }
            guard let defaultKey else { throw KeyPlanProblem(message: "no API key: set LEMLIST_API_KEY or pass --api-key-file PATH. Nothing was sent.") }
            return [KeyLane(label: "", apiKey: defaultKey, scope: .all, rateLogHash: nil)]
        }
        let missing = named.filter { teamKeys.keys[$0.team!.lowercased()] == nil }
        if !missing.isEmpty {
            let list = missing.map { "\($0.team!) (\($0.outstanding) row\($0.outstanding == 1 ? "" : "s"))" }.joined(separator: ", ")
            throw KeyPlanProblem(message: "the --team-keys file has no key for \(list). Nothing was sent.")
        }
        if unnamed > 0, defaultKey == nil {
            throw KeyPlanProblem(message: "\(unnamed) row\(unnamed == 1 ? " names" : "s name") no team: set LEMLIST_API_KEY (or --api-key-file) "
                                 + "for them, or give them a team. Nothing was sent.")
        }
        // Grouped by key: two names for one key must share its limit.
        var byKey: [String: (key: Secret, teams: Set<String>, unnamed: Bool)] = [:]
        for count in named {
            let folded = count.team!.lowercased(), key = teamKeys.keys[folded]!
            byKey[key.revealed, default: (key, [], false)].teams.insert(folded)
        }
        if unnamed > 0, let defaultKey { byKey[defaultKey.revealed, default: (defaultKey, [], false)].unnamed = true }
        return byKey.values.sorted { ($0.teams.min() ?? "") < ($1.teams.min() ?? "") }.map { lane in
            let labels = lane.teams.sorted().map { teamKeys.names[$0] ?? $0 } + (lane.unnamed ? ["(no team)"] : [])
            let isDefault = defaultKey.map { $0.revealed == lane.key.revealed } ?? false
            return KeyLane(label: labels.joined(separator: ", "), apiKey: lane.key, scope: .teams(lane.teams, unnamed: lane.unnamed),
                           rateLogHash: isDefault ? nil : rateLogHash(lane.key))
        }
    }
}
