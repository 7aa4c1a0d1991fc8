import Foundation
import OnboardInput

/// The routes of lemlist's API this tool calls, each with its method and path below the base URL.
public enum LemlistEndpoint: Sendable, Equatable, Hashable {
    /// `POST /user/email-accounts`: connect one mailbox.
    case connect
    /// `GET /team?version=v2`: the key's team, with its members.
    case team
    /// `GET /users/{id}`: one member, with the mailboxes connected under them.
    case user(id: String)
    /// `GET /user/channels`: what the key's plan includes.
    case channels
    /// `POST /user/email-accounts/{id}/test`: test a connected account's SMTP and IMAP logins.
    case test(accountId: String)
    /// `PATCH /user/sending-settings`: daily limits, up to 100 mailboxes (`usm_` ids) a request.
    case sendingSettings
    /// `PATCH /lemwarm/{usm}/settings`: a mailbox's warm-up maximum and ramp-up.
    case warmupSettings(mailboxId: String)
    /// `POST /lemwarm/{usm}/start` or `pause`: run or pause a mailbox's warm-up.
    case warmupSwitch(mailboxId: String, on: Bool)
    /// `GET /lemwarm/errors`: the team's mailboxes kept out of warm-up, and why.
    case warmupErrors
    /// `DELETE /user/email-accounts/{id}`: remove a mailbox from lemlist. Cannot be undone.
    case disconnect(accountId: String)

    public var method: String {
        switch self {
        case .connect, .test, .warmupSwitch: "POST"
        case .team, .user, .channels, .warmupErrors: "GET"
        case .sendingSettings, .warmupSettings: "PATCH"
        case .disconnect: "DELETE"
        }
    }

    /// The path and query after the base URL. Ids are opaque text, so each is percent-encoded as one path segment.
    public var path: String {
        switch self {
        case .connect: "/user/email-accounts"
        case .team: "/team?version=v2"
        case let .user(id): "/users/\(Self.segment(id))"
        case .channels: "/user/channels"
        case let .test(accountId): "/user/email-accounts/\(Self.segment(accountId))/test"
        case .sendingSettings: "/user/sending-settings"
        case let .warmupSettings(id): "/lemwarm/\(Self.segment(id))/settings"
        case let .warmupSwitch(id, on): "/lemwarm/\(Self.segment(id))/\(on ? "start" : "pause")"
        case .warmupErrors: "/lemwarm/errors"
        case let .disconnect(accountId): "/user/email-accounts/\(Self.segment(accountId))"
        }
    }

    static func segment(_ id: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#;%")
        return id.addingPercentEncoding(withAllowedCharacters: allowed) ?? id
    }
}

/// One request to lemlist: a route and, for a POST, its JSON body (which may hold passwords).
public struct LemlistRequest: Sendable {
    public var endpoint: LemlistEndpoint
    public var body: Secret?

    public init(_ endpoint: LemlistEndpoint, body: Secret? = nil) {
        self.endpoint = endpoint
        self.body = body
    }

    /// The connect request for one mailbox: its credential, encoded as the body only now that it is sent.
    public static func connect(_ credential: MailboxCredential) -> LemlistRequest {
        LemlistRequest(.connect, body: Secret(credential.json))
    }
}

/// What came back for one request. Never holds the request body or the key.
public enum LemlistReply: Sendable, Equatable {
    case answer(status: Int, contentType: String?, body: String, signals: RateLimitSignals)
    case transportError(String)
}

/// Sends requests to lemlist and hands back what came back: the one place the engine meets the network. The engine
/// is given one; `HTTPTransport` speaks HTTP, and tests script answers in memory.
public protocol LemlistTransport: Sendable {
    /// Never throws: every failure, a timeout included, is a `LemlistReply.transportError`.
    func send(_ request: LemlistRequest) async -> LemlistReply
    func shutdown() async
}
