import Foundation
import OnboardInput

/// The routes that take a connected mailbox the rest of the way, as strictly as the reference describes them: the
/// daily limit (100 accounts a request at most) and the warm-up, each by the `usm_` id of the owner's listing. An
/// account id (`umx_`) or an id the team does not have is "Mailbox not found".
extension EmulatorCore {
    static let maxLimitAccounts = 100

    /// `GET /user/sending-settings`: the owner's accounts, or every member's with `scope=team`.
    func sendingSettings(_ state: State, key: String, team: Bool, headers: [(String, String)], delay: Duration) -> Reply {
        let accounts = (state.mailboxes[key] ?? [:]).values.filter { team || $0.userId == configuration.owner }.sorted { $0.email < $1.email }
            .map { ["id": $0.listingId, "email": $0.email, "dailyEmailLimit": $0.dailyLimit] as [String: Any] }
        return json(["emailAccounts": accounts], headers: headers, delay: delay)
    }

    /// `PATCH /user/sending-settings`: each account on its own; the answer names the updated ones and why the
    /// others were not.
    func setLimits(_ state: inout State, key: String, body: [UInt8], headers: [(String, String)], delay: Duration) -> Reply {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
              let accounts = object["emailAccounts"] as? [Any], !accounts.isEmpty else {
            return text(400, "Bad params", headers, after: delay)
        }
        guard accounts.count <= Self.maxLimitAccounts else { return text(400, "Bad params: at most 100 emailAccounts", headers, after: delay) }
        var changes: [(id: String, limit: Int)] = []
        for account in accounts {
            guard let fields = account as? [String: Any], let id = fields["id"] as? String,
                  let limit = Self.wholeNumber(fields["dailyEmailLimit"]), limit >= 1 else {
                return text(400, "Bad params: dailyEmailLimit must be a whole number of at least 1", headers, after: delay)
            }
            changes.append((id, limit))
        }
        state.stats.limitBatches.append(changes.count)
        var updated: [String] = []
        var notUpdated: [[String: Any]] = []
        for (id, limit) in changes {
            if id.hasPrefix("umx_") { state.stats.settingsByAccountId += 1 }
            guard let email = Self.email(ofListing: id, in: state, key: key) else {
                notUpdated.append(["id": id, "reason": "Mailbox not found"])
                continue
            }
            if let most = configuration.maxDailyLimit, limit > most {
                notUpdated.append(["id": id, "reason": "dailyEmailLimit above the plan's maximum of \(most)"])
                continue
            }
            state.mailboxes[key]?[email]?.dailyLimit = limit
            state.stats.settingsSent[email, default: [:]]["limit", default: 0] += 1
            state.stats.settings[email, default: MailboxSettings()].dailyLimit = limit
            updated.append(id)
        }
        return json(["updated": updated, "notUpdated": notUpdated], headers: headers, delay: delay)
    }

    /// `/lemwarm/{usm}/start`, `/pause` and `/settings` (GET and PATCH), and their `/warmup/...` spellings.
    func warmup(_ state: inout State, key: String, id: String, action: String, method: String, body: [UInt8],
                headers: [(String, String)], delay: Duration) -> Reply {
        if id.hasPrefix("umx_") { state.stats.settingsByAccountId += 1 }
        guard let email = Self.email(ofListing: id, in: state, key: key), let mailbox = state.mailboxes[key]?[email] else {
            return text(404, "Mailbox not found", headers, after: delay)
        }
        switch (action, method) {
        case ("settings", "GET"):
            var settings: [String: Any] = ["activeAt": mailbox.warmupActive ? "2026-01-01T00:00:00.000Z" : NSNull()]
            settings["warmEmailMax"] = mailbox.warmEmailMax ?? 30
            settings["warmEmailRampup"] = mailbox.warmEmailRampup ?? 2
            return json(settings, headers: headers, delay: delay)
        case ("settings", _):
            guard let fields = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
                return text(400, "Bad params", headers, after: delay)
            }
            var max: Int?, rampup: Int?
            for (field, value) in fields {
                switch field {
                case "warmEmailMax", "warmEmailRampup":
                    guard let number = Self.wholeNumber(value), number >= 1 else { return text(400, "Bad params", headers, after: delay) }
                    if field == "warmEmailMax" { max = number } else { rampup = number }
                case "warmDailyVarianceEnabled":
                    guard value is Bool else { return text(400, "Bad params", headers, after: delay) }
                default: return text(400, "Bad params", headers, after: delay)
                }
            }
            if let max { state.mailboxes[key]?[email]?.warmEmailMax = max }
            if let rampup { state.mailboxes[key]?[email]?.warmEmailRampup = rampup }
            state.stats.settingsSent[email, default: [:]]["warmup settings", default: 0] += 1
            state.stats.settings[email, default: MailboxSettings()].warmupMax = max ?? state.stats.settings[email]?.warmupMax
            state.stats.settings[email, default: MailboxSettings()].warmupRampup = rampup ?? state.stats.settings[email]?.warmupRampup
        default:
            let on = action == "start"
            state.mailboxes[key]?[email]?.warmupActive = on
            state.stats.settingsSent[email, default: [:]]["warmup \(action)", default: 0] += 1
            state.stats.settings[email, default: MailboxSettings()].warmup = on
        }
        return json(["ok": true], headers: headers, delay: delay)
    }

    /// The lower-cased email of the team's mailbox listed as `id` (a `usm_` id), if there is one.
    static func email(ofListing id: String, in state: State, key: String) -> String? {
        (state.mailboxes[key] ?? [:]).first { $0.value.listingId == id && !id.hasPrefix("umx_") }?.key
    }

    /// A JSON number that is a whole number (not `true`, which Foundation also reads as a number, of type "c").
    static func wholeNumber(_ value: Any?) -> Int? {
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
        return value as? Int
    }
}
