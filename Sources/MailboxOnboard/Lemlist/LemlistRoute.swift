import OnboardInput

/// What one answer means on a route, before any retry: the route's table applied to what came back.
public enum RouteAnswer<Value: Sendable>: Sendable {
    /// A 2xx read as this route's value, or a status the route gives a meaning of its own.
    case value(Value)
    /// Worth another try: 408, 5xx, a transport error, a 2xx body that could not be read.
    case transient(String)
    /// 429: the limiter, paused by the answer's signals, holds the next try; no attempt is spent.
    case throttled
    /// The route will not do this, for a reason a person reads: a connect request's other 4xx, a GET the key
    /// cannot use.
    case refused(String)
    /// The whole run must stop: the key, the plan or the base URL is wrong.
    case stop(RunStop)
}

/// One route's table: what each class of answer means on it. The rules every route shares are written once, in
/// `answer(_:clean:)`; a route states only its own reading of a 2xx, the statuses that mean something else on it,
/// and what any other 4xx means.
///
/// | answer | every route | connect (POST) | GETs | account test |
/// | --- | --- | --- | --- | --- |
/// | 2xx, JSON | the route's value; unreadable: transient | created (with its id) | the list or flag | the verdict |
/// | 2xx, not JSON; 3xx | stop: wrong base URL | | | |
/// | 400 | other 4xx | "already exists": already connected | | |
/// | 401 / 402 | stop: key / plan | | | |
/// | 404 | other 4xx | stop: wrong base URL | | value: the account is gone |
/// | 405 | other 4xx | stop: wrong base URL | | stop: wrong base URL |
/// | 408, 5xx, transport error | transient | | | |
/// | 429 | throttled | | | |
/// | other 4xx | (the route's) | refused: the job fails | refused: that part is skipped | refused: not tested |
public struct LemlistRoute<Value: Sendable>: Sendable {
    /// How messages name the route, e.g. `GET /team`.
    public let name: String
    /// Reads a 2xx JSON body. `clean` is the exchange's cleaning step, for any text the value keeps.
    let read: @Sendable (_ body: String, _ clean: (String) -> String) throws(TeamAnswers.Unreadable) -> Value
    /// A status (with its cleaned one-line message) that means something of its own on this route; nil for the
    /// shared rules.
    let special: @Sendable (_ status: Int, _ message: String) -> RouteAnswer<Value>?

    /// The route's table applied to `reply`. `clean` removes the exchange's secrets from anything kept.
    public func answer(_ reply: LemlistReply, clean: (String) -> String) -> RouteAnswer<Value> {
        guard case let .answer(status, contentType, body, _) = reply else {
            if case let .transportError(reason) = reply { return .transient(clean(reason)) }
            return .transient("no answer")
        }
        let message = (200..<300).contains(status) ? "" : ResponseClassifier.summarize(clean(body))
        if let special = special(status, message) { return special }
        switch status {
        case 200...299:
            let isJSON = contentType?.lowercased().contains("json") == true || body.trimmingSpaces.first == "{"
            guard isJSON else { return .stop(.wrongEndpoint("\(name): HTTP \(status) with a \(contentType ?? "untyped") body instead of JSON")) }
            do {
                return .value(try read(body, clean))
            } catch {
                return .transient(error.localizedDescription)
            }
        case 300...399: return .stop(.wrongEndpoint("\(name): HTTP \(status) redirect"))
        case 401: return .stop(.unauthorized(message.isEmpty ? "unauthorized" : message))
        case 402: return .stop(.paymentRequired(message.isEmpty ? "payment required" : message))
        case 408: return .transient("HTTP 408 request timeout")
        case 429: return .throttled
        case 400...499: return .refused("HTTP \(status): \(message.isEmpty ? "no message" : message)")
        default: return .transient("HTTP \(status)\(message.isEmpty ? "" : ": " + message)")
        }
    }
}

/// What the connect route's answer says about the mailbox.
public enum ConnectAnswer: Sendable, Equatable {
    /// 201: created; the id if the body carried one.
    case created(accountId: String?)
    /// 400 "This SMTP mailbox already exists".
    case alreadyExists
}

/// What the account test says about an account.
public enum AccountTestAnswer: Sendable, Equatable {
    /// Both protocols were tried; each error text (cleaned) is nil when that one passed.
    case tested(smtpError: String?, imapError: String?)
    /// 404: lemlist no longer has the account.
    case notFound
}

extension LemlistRoute where Value == ConnectAnswer {
    /// `POST /user/email-accounts`. 404 and 405 here mean the base URL is not lemlist's API: the route exists.
    public static let connect = LemlistRoute(
        name: "POST /user/email-accounts",
        read: { body, _ in .created(accountId: ResponseClassifier.accountId(in: body)) },
        special: { status, message in
            switch status {
            case 400 where message.localizedLowercase.contains(ResponseClassifier.alreadyExists.lowercased()): .value(.alreadyExists)
            case 404, 405: .stop(.wrongEndpoint("HTTP \(status) for POST /user/email-accounts"))
            default: nil
            }
        })
}

extension LemlistRoute where Value == [String] {
    /// `GET /team?version=v2`: the member ids.
    public static let members = LemlistRoute(name: "GET /team", read: { body, _ throws(TeamAnswers.Unreadable) in try TeamAnswers.members(body) },
                                             special: { _, _ in nil })
}

extension LemlistRoute where Value == Bool? {
    /// `GET /user/channels`: whether the plan has an email channel (nil when the answer does not say).
    public static let channels = LemlistRoute(name: "GET /user/channels",
                                              read: { body, _ throws(TeamAnswers.Unreadable) in try TeamAnswers.emailAvailable(body) },
                                              special: { _, _ in nil })
}

extension LemlistRoute where Value == AccountTestAnswer {
    /// `POST /user/email-accounts/{id}/test`. 404 is the account's own answer (gone); 405 means the base URL is wrong.
    public static let accountTest = LemlistRoute(
        name: "POST /user/email-accounts/{id}/test",
        read: { body, clean throws(TeamAnswers.Unreadable) in
            let verdict = try TeamAnswers.testResult(body, clean: clean)
            return .tested(smtpError: verdict.smtpError, imapError: verdict.imapError)
        },
        special: { status, _ in
            switch status {
            case 404: .value(.notFound)
            case 300...399, 405: .stop(.wrongEndpoint("HTTP \(status) for POST /user/email-accounts/{id}/test"))
            default: nil
            }
        })
}

extension LemlistRoute where Value == SendingSettingsAnswer {
    /// `PATCH /user/sending-settings`: each account is processed on its own and the answer says which were updated.
    /// A 4xx for the whole request fails every account in it; 405 means the base URL is wrong.
    public static let sendingSettings = LemlistRoute(
        name: "PATCH /user/sending-settings",
        read: { body, clean throws(TeamAnswers.Unreadable) in try SendingSettingsAnswer.read(body, clean: clean) },
        special: { status, _ in status == 405 ? .stop(.wrongEndpoint("HTTP 405 for PATCH /user/sending-settings")) : nil })
}

extension LemlistRoute where Value == Void {
    /// `PATCH /lemwarm/{usm}/settings`, `POST /lemwarm/{usm}/start` and `.../pause`: a 2xx JSON object is done,
    /// unless it says `"ok": false`. A 404
    /// ("Mailbox not found") or another 4xx fails that mailbox's setting; 405 means the base URL is wrong.
    public static func warmup(_ name: String) -> LemlistRoute {
        LemlistRoute(name: name, read: { body, _ throws(TeamAnswers.Unreadable) in try TeamAnswers.acknowledged(body, route: name) },
                     special: { status, _ in status == 405 ? .stop(.wrongEndpoint("HTTP 405 for \(name)")) : nil })
    }

    public static let warmupSettings = warmup("PATCH /lemwarm/{usm}/settings")
    public static let warmupStart = warmup("POST /lemwarm/{usm}/start")
    public static let warmupPause = warmup("POST /lemwarm/{usm}/pause")
}

extension LemlistRoute where Value == [ListedMailbox] {
    /// `GET /users/{id}`: one member's mailboxes, each with its `usm_` id, status and warm-up.
    public static func listing(of userId: String) -> LemlistRoute {
        LemlistRoute(name: "GET /users/{id}", read: { body, clean throws(TeamAnswers.Unreadable) in
            try TeamAnswers.listing(body, userId: userId, clean: clean)
        }, special: { _, _ in nil })
    }
}

extension LemlistRoute where Value == [WarmupError] {
    /// `GET /lemwarm/errors`: a key that cannot use it (404, 405, 400 "Endpoint not available") is refused, a warning.
    public static let warmupErrors = LemlistRoute(name: "GET /lemwarm/errors", read: { body, clean throws(TeamAnswers.Unreadable) in
        try TeamAnswers.warmupErrors(body, clean: clean)
    }, special: { _, _ in nil })
}

/// What `DELETE /user/email-accounts/{id}` says.
public enum DisconnectAnswer: Sendable, Equatable {
    case removed
    /// 404: lemlist no longer has it, which is what was asked.
    case alreadyGone
}

extension LemlistRoute where Value == DisconnectAnswer {
    /// `DELETE /user/email-accounts/{id}`: 404 is the account's own answer (already gone); 403 and other 4xx refuse
    /// it; 405 means the base URL is wrong.
    public static let disconnect = LemlistRoute(
        name: "DELETE /user/email-accounts/{id}",
        read: { _, _ in .removed },
        special: { status, _ in
            switch status {
            case 404: .value(.alreadyGone)
            case 405: .stop(.wrongEndpoint("HTTP 405 for DELETE /user/email-accounts/{id}"))
            default: nil
            }
        })
}
