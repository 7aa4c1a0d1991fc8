import Foundation

/// The team routes, with the shapes the API reference gives: the team and its members, each member's mailboxes, the
/// plan's channels, and the account test.
extension EmulatorCore {
    func team(_ state: State, version2: Bool, headers: [(String, String)], delay: Duration) -> Reply {
        let members = configuration.teamMembers.sorted()
        var team: [String: Any] = [
            "_id": "tea_EMULATEDTEAM00000001", "name": "Emulated team", "userIds": members, "createdBy": configuration.owner,
            "createdAt": "2024-01-01T00:00:00.000Z", "invitedUsers": [] as [Any], "agency": false, "hooks": [] as [Any],
        ]
        if version2 {
            team["users"] = members.map { ["userId": $0, "name": "Member \($0.suffix(4))", "email": Self.memberEmail($0),
                                           "role": $0 == configuration.owner ? "admin" : "user"] }
        }
        return json(team, headers: headers, delay: delay)
    }

    func user(_ state: State, key: String, id: String, headers: [(String, String)], delay: Duration) -> Reply {
        guard configuration.teamMembers.contains(id) else { return text(400, "Bad team", headers, after: delay) }
        let mailboxes = (state.mailboxes[key] ?? [:]).values.filter { $0.userId == id }.sorted { $0.email < $1.email }.map { mailbox in
            ["_id": mailbox.listingId, "email": mailbox.email, "provider": "custom",
             "status": configuration.mailboxStatus[mailbox.email.lowercased()] ?? "CONNECTED",
             "lemlist": ["emailLimit": mailbox.dailyLimit], "lemwarm": ["active": mailbox.warmupActive]] as [String: Any]
        }
        return json(["_id": id, "email": Self.memberEmail(id), "role": "user", "linkedIn": [:] as [String: Any], "mailboxes": mailboxes],
                    headers: headers, delay: delay)
    }

    func channels(_ state: State, key: String, emailAvailable: Bool, headers: [(String, String)], delay: Duration) -> Reply {
        let accounts = (state.mailboxes[key] ?? [:]).values.filter { $0.userId == configuration.owner }.sorted { $0.email < $1.email }
            .map { ["id": $0.id, "email": $0.email, "provider": "custom"] }
        return json([
            "plan": emailAvailable ? "emailPro" : NSNull(),
            "email": ["connected": !accounts.isEmpty, "available": emailAvailable, "accounts": accounts] as [String: Any],
            "linkedin": ["connected": false, "available": false], "whatsapp": ["connected": false, "available": false],
        ], headers: headers, delay: delay)
    }

    func testAccount(_ state: inout State, key: String, id: String, headers: [(String, String)], delay: Duration) -> Reply {
        guard let mailbox = (state.mailboxes[key] ?? [:]).values.first(where: { $0.id == id || $0.listingId == id }) else {
            return text(404, "Email account not found", headers, after: delay)
        }
        state.stats.tests[mailbox.email.lowercased(), default: 0] += 1
        let failure = configuration.testFailures[mailbox.email.lowercased()]
        func result(_ error: String?) -> [String: Any] { error.map { ["success": false, "error": $0] } ?? ["success": true] }
        return json(["smtp": result(failure?.smtp), "imap": result(failure?.imap)], headers: headers, delay: delay)
    }

    /// `GET /lemwarm/errors`: the team's mailboxes the configuration keeps out of warm-up, in the reference's shape.
    func warmupErrors(_ state: State, key: String, headers: [(String, String)], delay: Duration) -> Reply {
        let errors = (state.mailboxes[key] ?? [:]).values.sorted { $0.email < $1.email }.compactMap { mailbox -> [String: Any]? in
            guard let family = configuration.warmupErrors[mailbox.email.lowercased()] else { return nil }
            let (code, title, check) = Self.warmupCause(family)
            return ["mailboxId": mailbox.listingId, "userId": mailbox.userId, "email": mailbox.email, "state": family == "reputation" ? "warning" : "paused",
                    "code": code, "family": family, "title": title, "whatHappened": "lemwarm stopped sending from this mailbox.",
                    "whatToCheck": check, "since": "2026-11-30T08:00:00.000Z"]
        }
        return json(["data": ["errors": errors]], headers: headers, delay: delay)
    }

    /// A code, title and advice per family, as lemlist words them.
    static func warmupCause(_ family: String) -> (code: String, title: String, check: String) {
        switch family {
        case "disconnected": ("MAILBOX_DISCONNECTED", "Mailbox disconnected", "Reconnect the mailbox in lemlist with its current password.")
        case "setup": ("DNS_LOCK", "DNS records missing", "Add SPF, DKIM and DMARC records for the sending domain.")
        case "reputation": ("BOUNCE_RATE", "Too many bounces", "Check the lists this mailbox sends to, then restart warm-up.")
        case "provider": ("PROVIDER_BLOCK", "Provider blocked sending", "Ask the provider why outgoing mail is blocked.")
        default: ("UNKNOWN", "Warm-up paused", "Contact lemlist support.")
        }
    }

    /// `DELETE /user/email-accounts/{id}`: removes the mailbox from its user's listing; the account or the listing id.
    func delete(_ state: inout State, key: String, id: String, headers: [(String, String)], delay: Duration) -> Reply {
        guard let email = (state.mailboxes[key] ?? [:]).first(where: { $0.value.id == id || $0.value.listingId == id })?.key else {
            return text(404, "Email account not found", headers, after: delay)
        }
        guard !configuration.undeletable.contains(email) else { return text(403, "You are not allowed to modify this mailbox", headers, after: delay) }
        state.mailboxes[key]?[email] = nil
        state.stats.deleted[email, default: 0] += 1
        return json(["ok": true], headers: headers, delay: delay)
    }

    static func memberEmail(_ id: String) -> String { "\(id.lowercased())@emulated-team.example" }

    func json(_ object: [String: Any], headers: [(String, String)], delay: Duration) -> Reply {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return .respond(status: 200, headers: headers + [("Content-Type", "application/json; charset=utf-8")],
                        body: String(decoding: data, as: UTF8.self), after: delay)
    }
}
