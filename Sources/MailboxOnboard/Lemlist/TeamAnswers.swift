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

    /// The mailboxes of `GET /users/{id}`, as (address, account id); a member without mailboxes has none.
    public static func mailboxes(_ body: String) throws(Unreadable) -> [(email: String, id: String)] {
        let user = try object(body, route: "GET /users/{id}")
        guard let list = user["mailboxes"] else { return [] }
        guard let mailboxes = list as? [Any] else { throw Unreadable(route: "GET /users/{id}", why: "with mailboxes that are not a list") }
        return mailboxes.compactMap { item in
            guard let mailbox = item as? [String: Any], let email = mailbox["email"] as? String, let id = mailbox["_id"] as? String else { return nil }
            return (email, id)
        }
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
