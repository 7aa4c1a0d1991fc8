import Foundation

/// Reads the parts of lemlist's team answers that pre-flight needs, and nothing more: extra fields are ignored, and
/// a field that is missing or of another type is an error that says which, never a crash.
public enum TeamAnswers {
    /// Why an answer could not be read.
    public struct Unreadable: Error, Equatable, LocalizedError {
        public var route: String
        public var why: String
        public var errorDescription: String? { "\(route) answered \(why)" }
    }

    /// The member ids of `GET /team`: `users[].userId` (version 2), else `userIds`.
    public static func members(_ body: String) throws(Unreadable) -> [String] {
        let team = try object(body, route: "GET /team")
        if let users = team["users"] as? [Any] {
            return users.compactMap { ($0 as? [String: Any])?["userId"] as? String }
        }
        guard let ids = team["userIds"] as? [Any] else {
            throw Unreadable(route: "GET /team", why: "without users or userIds")
        }
        return ids.compactMap { $0 as? String }
    }

    /// A warm-up route's `{"ok": true}`: any JSON object that does not say `"ok": false`.
    public static func acknowledged(_ body: String, route: String) throws(Unreadable) {
        let answer = try object(body, route: route)
        if answer["ok"] as? Bool == false { throw Unreadable(route: route, why: #"{"ok": false}"#) }
    }

    /// `email.available` of `GET /user/channels`; nil when the answer does not say.
    public static func emailAvailable(_ body: String) throws(Unreadable) -> Bool? {
        let channels = try object(body, route: "GET /user/channels")
        return (channels["email"] as? [String: Any])?["available"] as? Bool
    }

    /// The verdict of `POST /user/email-accounts/{id}/test`: each protocol's error text, nil when it passed. The
    /// texts are lemlist's and may echo anything, so each goes through `clean` (`ServerText.clean` with the key).
    public static func testResult(_ body: String, clean: (String) -> String) throws(Unreadable) -> (smtpError: String?, imapError: String?) {
        let route = "POST /user/email-accounts/{id}/test"
        let answer = try object(body, route: route)
        func verdict(_ name: String) throws(Unreadable) -> String? {
            guard let part = answer[name] as? [String: Any], let success = part["success"] as? Bool else {
                throw Unreadable(route: route, why: "without \(name).success")
            }
            if success { return nil }
            let text = (part["error"] as? String).map(clean) ?? ""
            return text.isEmpty ? "failed, without a message" : text
        }
        return (try verdict("smtp"), try verdict("imap"))
    }

    private static func object(_ body: String, route: String) throws(Unreadable) -> [String: Any] {
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(body.utf8)) else {
            throw Unreadable(route: route, why: body.isEmpty ? "with an empty body" : "with JSON that is cut short or malformed")
        }
        guard let object = parsed as? [String: Any] else { throw Unreadable(route: route, why: "with JSON that is not an object") }
        return object
    }
}

/// What `PATCH /user/sending-settings` said of each account. The reference does not show the answer's field names,
/// so it is read defensively: an account counts as updated only when the answer names it among the updated ones.
public struct SendingSettingsAnswer: Sendable, Equatable {
    /// The `usm_` ids reported as updated.
    public var updated: Set<String>
    /// lemlist's reason for an account it names as not updated (cleaned).
    public var reasons: [String: String]

    public init(updated: Set<String>, reasons: [String: String] = [:]) {
        self.updated = updated
        self.reasons = reasons
    }

    /// Updated ids: under `updated`, `updatedIds`, `success` or `emailAccounts` (with `updated: true` where the
    /// entries say so), each entry an id or an object with `id`/`_id`. Reasons: under `notUpdated`, `failed`,
    /// `errors` or `errorsByAccount`, as objects with an id and a `reason`, `error` or `message`.
    public static func read(_ body: String, clean: (String) -> String) throws(TeamAnswers.Unreadable) -> SendingSettingsAnswer {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] else {
            throw TeamAnswers.Unreadable(route: "PATCH /user/sending-settings", why: "with a body that is not a JSON object")
        }
        func id(_ entry: Any) -> String? {
            if let text = entry as? String { return text }
            guard let fields = entry as? [String: Any] else { return nil }
            return (fields["id"] ?? fields["_id"] ?? fields["mailboxId"]) as? String
        }
        var updated: Set<String> = []
        for key in ["updated", "updatedIds", "success"] {
            for entry in object[key] as? [Any] ?? [] { if let id = id(entry) { updated.insert(id) } }
        }
        for entry in object["emailAccounts"] as? [Any] ?? [] where (entry as? [String: Any])?["updated"] as? Bool == true {
            if let id = id(entry) { updated.insert(id) }
        }
        var reasons: [String: String] = [:]
        for key in ["notUpdated", "failed", "errors", "errorsByAccount"] {
            for entry in object[key] as? [Any] ?? [] {
                guard let fields = entry as? [String: Any], let id = id(entry) else { continue }
                let reason = (fields["reason"] ?? fields["error"] ?? fields["message"]) as? String
                reasons[id] = clean(reason ?? "not updated")
            }
        }
        return SendingSettingsAnswer(updated: updated.subtracting(reasons.keys), reasons: reasons)
    }
}

/// A mailbox as a member's listing shows it (`GET /users/{id}` -> `mailboxes[]`).
public struct ListedMailbox: Sendable, Equatable {
    public var email: String
    /// The listing's `usm_` id.
    public var id: String
    public var userId: String
    /// `CONNECTED`, `ERROR` or `DISCONNECTED` (as lemlist spells it; "unknown" when the listing does not say).
    public var status: String
    public var warmupActive: Bool
    public var dailyLimit: Int?

    public init(email: String, id: String, userId: String, status: String, warmupActive: Bool, dailyLimit: Int? = nil) {
        self.email = email
        self.id = id
        self.userId = userId
        self.status = status
        self.warmupActive = warmupActive
        self.dailyLimit = dailyLimit
    }

    public var isConnected: Bool { status == "CONNECTED" }
}

/// One mailbox kept out of warm-up (`GET /lemwarm/errors` -> `data.errors[]`).
public struct WarmupError: Sendable, Equatable {
    public var mailboxId: String
    public var email: String
    public var state: String
    public var code: String
    public var family: String
    public var title: String
    public var whatToCheck: String

    public init(mailboxId: String, email: String, state: String, code: String, family: String, title: String, whatToCheck: String) {
        self.mailboxId = mailboxId
        self.email = email
        self.state = state
        self.code = code
        self.family = family
        self.title = title
        self.whatToCheck = whatToCheck
    }
}

extension TeamAnswers {
    /// Every mailbox of a `GET /users/{id}` answer with its health; one without an email or an id is left out.
    public static func listing(_ body: String, userId: String, clean: (String) -> String) throws(Unreadable) -> [ListedMailbox] {
        let user = try object(body, route: "GET /users/{id}")
        guard let list = user["mailboxes"] else { return [] }
        guard let mailboxes = list as? [Any] else { throw Unreadable(route: "GET /users/{id}", why: "with mailboxes that are not a list") }
        return mailboxes.compactMap { item in
            guard let mailbox = item as? [String: Any], let email = mailbox["email"] as? String, let id = mailbox["_id"] as? String else { return nil }
            return ListedMailbox(email: clean(email), id: clean(id), userId: userId, status: clean(mailbox["status"] as? String ?? "unknown"),
                                 warmupActive: (mailbox["lemwarm"] as? [String: Any])?["active"] as? Bool ?? false,
                                 dailyLimit: (mailbox["lemlist"] as? [String: Any])?["emailLimit"] as? Int)
        }
    }

    /// `data.errors[]` of `GET /lemwarm/errors`, each text cleaned.
    public static func warmupErrors(_ body: String, clean: (String) -> String) throws(Unreadable) -> [WarmupError] {
        let answer = try object(body, route: "GET /lemwarm/errors")
        guard let errors = (answer["data"] as? [String: Any])?["errors"] as? [Any] else {
            throw Unreadable(route: "GET /lemwarm/errors", why: "without data.errors")
        }
        return errors.compactMap { item in
            guard let error = item as? [String: Any] else { return nil }
            func text(_ key: String) -> String { clean((error[key] as? String) ?? (error[key] as? Int).map(String.init) ?? "") }
            return WarmupError(mailboxId: text("mailboxId"), email: text("email"), state: text("state"), code: text("code"),
                               family: text("family"), title: text("title"), whatToCheck: text("whatToCheck"))
        }
    }
}
