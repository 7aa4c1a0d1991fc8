import Foundation
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

/// Every route's table, for every class of answer and a transport error: what the answer means (no I/O).
struct RouteTableTests {
    /// One answer of each class, named for the table below.
    static let answers: [String: LemlistReply] = [
        "200 read": .answer(status: 200, contentType: "application/json", body: "", signals: RateLimitSignals()),  // filled per route
        "200 cut": .answer(status: 200, contentType: "application/json", body: #"{"users":[{"us"#, signals: RateLimitSignals()),
        "200 html": .answer(status: 200, contentType: "text/html", body: "<!DOCTYPE html><html></html>", signals: RateLimitSignals()),
        "301": .text(301, ""),
        "400": .text(400, "Bad team"),
        "400 exists": .text(400, "This SMTP mailbox already exists"),
        "401": .text(401, "The authentication you supplied is incorrect"),
        "402": .text(402, ""),
        "403": .text(403, "User is not a member of this team"),
        "404": .text(404, "Not found"),
        "405": .text(405, "Method not allowed"),
        "408": .text(408, ""),
        "429": .text(429, "Too many requests"),
        "500": .text(500, ""),
        "503": .text(503, "Service Unavailable"),
        "reset": .transportError("connection reset by peer"),
    ]

    /// What each route makes of each answer, as `kind(_:)` spells it.
    static let tables: [String: [String: String]] = [
        "connect": [
            "200 read": "value created(umx_1)", "200 cut": "value created(nil)", "200 html": "stop wrongEndpoint", "301": "stop wrongEndpoint",
            "400": "refused HTTP 400: Bad team", "400 exists": "value alreadyExists", "401": "stop unauthorized", "402": "stop paymentRequired",
            "403": "refused HTTP 403: User is not a member of this team", "404": "stop wrongEndpoint", "405": "stop wrongEndpoint",
            "408": "transient", "429": "throttled", "500": "transient", "503": "transient", "reset": "transient",
        ],
        "members": [
            "200 read": "value [usr_1]", "200 cut": "transient", "200 html": "stop wrongEndpoint", "301": "stop wrongEndpoint",
            "400": "refused HTTP 400: Bad team", "400 exists": "refused HTTP 400: This SMTP mailbox already exists", "401": "stop unauthorized",
            "402": "stop paymentRequired", "403": "refused HTTP 403: User is not a member of this team", "404": "refused HTTP 404: Not found",
            "405": "refused HTTP 405: Method not allowed", "408": "transient", "429": "throttled", "500": "transient", "503": "transient",
            "reset": "transient",
        ],
        "accountTest": [
            "200 read": "value tested(nil, Invalid credentials)", "200 cut": "transient", "200 html": "stop wrongEndpoint", "301": "stop wrongEndpoint",
            "400": "refused HTTP 400: Bad team", "400 exists": "refused HTTP 400: This SMTP mailbox already exists", "401": "stop unauthorized",
            "402": "stop paymentRequired", "403": "refused HTTP 403: User is not a member of this team", "404": "value notFound",
            "405": "stop wrongEndpoint", "408": "transient", "429": "throttled", "500": "transient", "503": "transient", "reset": "transient",
        ],
        "sendingSettings": [
            "200 read": "value updated [usm_1], usm_2: Mailbox not found", "200 cut": "transient", "200 html": "stop wrongEndpoint",
            "301": "stop wrongEndpoint", "400": "refused HTTP 400: Bad team", "400 exists": "refused HTTP 400: This SMTP mailbox already exists",
            "401": "stop unauthorized", "402": "stop paymentRequired", "403": "refused HTTP 403: User is not a member of this team",
            "404": "refused HTTP 404: Not found", "405": "stop wrongEndpoint", "408": "transient", "429": "throttled", "500": "transient",
            "503": "transient", "reset": "transient",
        ],
        "warmup": [
            "200 read": "value ()", "200 cut": "transient", "200 html": "stop wrongEndpoint", "301": "stop wrongEndpoint",
            "400": "refused HTTP 400: Bad team", "400 exists": "refused HTTP 400: This SMTP mailbox already exists", "401": "stop unauthorized",
            "402": "stop paymentRequired", "403": "refused HTTP 403: User is not a member of this team", "404": "refused HTTP 404: Not found",
            "405": "stop wrongEndpoint", "408": "transient", "429": "throttled", "500": "transient", "503": "transient", "reset": "transient",
        ],
        "disconnect": [
            "200 read": "value removed", "200 cut": "value removed", "200 html": "stop wrongEndpoint", "301": "stop wrongEndpoint",
            "400": "refused HTTP 400: Bad team", "400 exists": "refused HTTP 400: This SMTP mailbox already exists", "401": "stop unauthorized",
            "402": "stop paymentRequired", "403": "refused HTTP 403: User is not a member of this team", "404": "value alreadyGone",
            "405": "stop wrongEndpoint", "408": "transient", "429": "throttled", "500": "transient", "503": "transient", "reset": "transient",
        ],
        "warmupErrors": [
            "200 read": "value [usm_1 setup]", "200 cut": "transient", "200 html": "stop wrongEndpoint", "301": "stop wrongEndpoint",
            "400": "refused HTTP 400: Bad team", "400 exists": "refused HTTP 400: This SMTP mailbox already exists", "401": "stop unauthorized",
            "402": "stop paymentRequired", "403": "refused HTTP 403: User is not a member of this team", "404": "refused HTTP 404: Not found",
            "405": "refused HTTP 405: Method not allowed", "408": "transient", "429": "throttled", "500": "transient", "503": "transient",
            "reset": "transient",
        ],
    ]

    static func kind<V>(_ answer: RouteAnswer<V>) -> String {
        switch answer {
        case let .value(value): "value \(value)"
        case .transient: "transient"
        case .throttled: "throttled"
        case let .refused(reason): "refused \(reason)"
        case let .stop(stop):
            switch stop {
            case .unauthorized: "stop unauthorized"
            case .paymentRequired: "stop paymentRequired"
            case .wrongEndpoint: "stop wrongEndpoint"
            }
        }
    }

    static func reply(_ name: String, json: String) -> LemlistReply {
        name == "200 read" ? .answer(status: 200, contentType: "application/json", body: json, signals: RateLimitSignals()) : answers[name]!
    }

    static func describe(_ answer: ConnectAnswer) -> String {
        switch answer {
        case let .created(id): "created(\(id ?? "nil"))"
        case .alreadyExists: "alreadyExists"
        }
    }

    @Test(arguments: answers.keys.sorted())
    func theConnectRoute(_ name: String) {
        let answer = LemlistRoute.connect.answer(Self.reply(name, json: #"{"id":"umx_1"}"#)) { $0 }
        let spelled = if case let .value(value) = answer { "value " + Self.describe(value) } else { Self.kind(answer) }
        #expect(spelled == Self.tables["connect"]![name], "\(name)")
    }

    @Test(arguments: answers.keys.sorted())
    func aGETRoute(_ name: String) {
        let answer = LemlistRoute.members.answer(Self.reply(name, json: #"{"users":[{"userId":"usr_1"}]}"#)) { $0 }
        let spelled = if case let .value(ids) = answer { "value [\(ids.joined(separator: ","))]" } else { Self.kind(answer) }
        #expect(spelled == Self.tables["members"]![name], "\(name)")
    }

    @Test(arguments: answers.keys.sorted())
    func theAccountTestRoute(_ name: String) {
        let answer = LemlistRoute.accountTest.answer(
            Self.reply(name, json: #"{"smtp":{"success":true},"imap":{"success":false,"error":"Invalid credentials"}}"#)) { $0 }
        let spelled: String = switch answer {
        case let .value(.tested(smtp, imap)): "value tested(\(smtp ?? "nil"), \(imap ?? "nil"))"
        case .value(.notFound): "value notFound"
        default: Self.kind(answer)
        }
        #expect(spelled == Self.tables["accountTest"]![name], "\(name)")
    }

    @Test(arguments: answers.keys.sorted())
    func theSendingSettingsRoute(_ name: String) {
        let answer = LemlistRoute.sendingSettings.answer(
            Self.reply(name, json: #"{"updated":["usm_1"],"notUpdated":[{"id":"usm_2","reason":"Mailbox not found"}]}"#)) { $0 }
        let spelled = if case let .value(value) = answer {
            "value updated [\(value.updated.sorted().joined(separator: ","))], " + value.reasons.map { "\($0.key): \($0.value)" }.joined()
        } else { Self.kind(answer) }
        #expect(spelled == Self.tables["sendingSettings"]![name], "\(name)")
    }

    @Test(arguments: answers.keys.sorted())
    func eachWarmupRoute(_ name: String) {
        for route in [LemlistRoute<Void>.warmupSettings, .warmupStart, .warmupPause] {
            let answer = route.answer(Self.reply(name, json: #"{"ok":true}"#)) { $0 }
            #expect(Self.kind(answer) == Self.tables["warmup"]![name], "\(route.name) \(name)")
        }
    }

    /// A DELETE's body is not read: any 2xx removed it, whatever followed; 404 is what was asked, already done.
    @Test(arguments: answers.keys.sorted())
    func theDisconnectRoute(_ name: String) {
        let answer = LemlistRoute.disconnect.answer(Self.reply(name, json: #"{"ok":true}"#)) { $0 }
        let spelled = if case let .value(value) = answer { "value \(value)" } else { Self.kind(answer) }
        #expect(spelled == Self.tables["disconnect"]![name], "\(name)")
    }

    @Test(arguments: answers.keys.sorted())
    func theWarmupErrorsRoute(_ name: String) {
        let answer = LemlistRoute.warmupErrors.answer(Self.reply(name, json: #"{"data":{"errors":[{"mailboxId":"usm_1","family":"setup"}]}}"#)) { $0 }
        let spelled = if case let .value(errors) = answer { "value [" + errors.map { "\($0.mailboxId) \($0.family)" }.joined() + "]" } else { Self.kind(answer) }
        #expect(spelled == Self.tables["warmupErrors"]![name], "\(name)")
    }

    /// The answer's field names are not documented: every spelling read, and an account named nowhere is not updated.
    @Test(arguments: [
        (#"{"updated":["usm_1",{"id":"usm_2"}]}"#, ["usm_1", "usm_2"]),
        (#"{"updatedIds":["usm_1"],"errors":[{"_id":"usm_2","message":"Bad limit"}]}"#, ["usm_1"]),
        (#"{"emailAccounts":[{"id":"usm_1","updated":true},{"id":"usm_2","updated":false}]}"#, ["usm_1"]),
        (#"{"success":["usm_2"],"failed":[{"id":"usm_2","error":"no"}]}"#, []),
        (#"{"ok":true}"#, []),
    ])
    func theSendingSettingsAnswerIsReadDefensively(_ body: String, _ updated: [String]) throws {
        let answer = try SendingSettingsAnswer.read(body) { $0 }
        #expect(answer.updated == Set(updated))
    }

    @Test func theWordsKeptAreCleanedAndTheRouteIsNamed() {
        let clean: (String) -> String = { ServerText.clean($0, removing: ["k3y"]) }
        // Cleaned whole first (a password may hold a line break), so the line break is a space by the time the message is cut.
        #expect(Self.kind(LemlistRoute.members.answer(.text(404, "no route for k3y\nsecond line"), clean: clean)) == "refused HTTP 404: no route for <redacted> second line")
        guard case let .stop(.wrongEndpoint(detail)) = LemlistRoute.channels.answer(Self.answers["200 html"]!, clean: clean) else {
            Issue.record("not a stop")
            return
        }
        #expect(detail == "GET /user/channels: HTTP 200 with a text/html body instead of JSON")
        guard case let .transient(reason) = LemlistRoute.connect.answer(.transportError("reset while sending k3y"), clean: clean) else {
            Issue.record("not transient")
            return
        }
        #expect(reason == "reset while sending <redacted>")
    }
}
