import Foundation
import MailboxOnboard
import OnboardInput
import Synchronization

/// The emulator's decisions and state, independent of the network layer: one request in, one reply out.
final class EmulatorCore: Sendable {
    enum Reply {
        case respond(status: Int, headers: [(String, String)], body: String, after: Duration)
        /// Headers that declare `declaredLength` bytes, then only `body`, then silence.
        case stall(status: Int, headers: [(String, String)], body: String, declaredLength: Int, after: Duration)
        /// A chunked body, one byte every `every`, without end.
        case trickle(status: Int, headers: [(String, String)], every: Duration, after: Duration)
        case close(after: Duration)
        case hang
    }

    let configuration: EmulatorConfiguration
    private let state: Mutex<State>
    private let origin = ContinuousClock.now

    struct State {
        var stats = EmulatorStatistics()
        /// Each team's mailboxes by lower-cased address; a team is an API key, as in lemlist.
        var mailboxes: [String: [String: Mailbox]]
        var random: SplitMix64
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    /// A mailbox of the team: the ones it had at the start (under the owner) and the ones created. `id` is the
    /// account id the connect answer gives (`umx_`; a `usm_` one for those there at the start), `listingId` the
    /// `usm_` id of its owner's listing, which the settings routes take.
    struct Mailbox {
        var id: String
        var listingId: String
        var email: String
        var userId: String
        var dailyLimit = 50
        var warmupActive = false
        var warmEmailMax: Int?
        var warmEmailRampup: Int?
    }

    init(configuration: EmulatorConfiguration) {
        self.configuration = configuration.normalized
        var random = SplitMix64(seed: configuration.seed)
        var mailboxes: [String: [String: Mailbox]] = [:]
        for key in configuration.apiKeys.sorted() {
            for email in configuration.existingMailboxes.sorted() {
                let id = "usm_" + random.identifier(length: 18)
                mailboxes[key, default: [:]][email.lowercased()] = Mailbox(id: id, listingId: id, email: email, userId: configuration.owner)
            }
        }
        state = Mutex(State(mailboxes: mailboxes, random: random))
    }

    var statistics: EmulatorStatistics { state.withLock { $0.stats } }

    /// Counts a request from its arrival to its answer (`answered`), for `maxInFlight`.
    func arrived() {
        state.withLock { state in
            state.stats.inFlight += 1
            state.stats.maxInFlight = max(state.stats.maxInFlight, state.stats.inFlight)
        }
    }

    func answered() { state.withLock { $0.stats.inFlight -= 1 } }

    /// Seconds since the emulator started, on a monotonic clock.
    func now() -> Double {
        let elapsed = origin.duration(to: .now)
        return elapsed.inSeconds
    }

    /// Returns once at least `count` requests have arrived.
    func waitForRequests(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if state.stats.received >= count { return true }
                state.waiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    func handle(method: String, path: String, authorization: String?, contentType: String?, body: [UInt8], arrival: Double) -> Reply {
        state.withLock { state in
            state.stats.received += 1
            let due = state.waiters.filter { $0.count <= state.stats.received }
            state.waiters.removeAll { $0.count <= state.stats.received }
            for waiter in due { waiter.continuation.resume() }
            let reply = decide(&state, method: method, path: path, authorization: authorization, contentType: contentType, body: body, arrival: arrival)
            if case let .respond(status, _, _, _) = reply { state.stats.byStatus[status, default: 0] += 1 }
            return reply
        }
    }

    /// The routes served, parsed from a request line's path.
    enum Route: Equatable {
        case connect, team, user(String), channels, test(String), sendingSettings, warmupErrors, deleteAccount(String)
        /// `/lemwarm/{usm}/{start|pause|settings}` and the newer `/warmup/{usm}/{start|settings}`.
        case warmup(id: String, action: String)

        init?(path: String) {
            let route = path.split(separator: "?").first.map(String.init) ?? path
            let parts = route.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
            guard parts.first == "api" else { return nil }
            let rest = Array(parts.dropFirst())
            if rest == ["user", "email-accounts"] {
                self = .connect
            } else if rest == ["team"] {
                self = .team
            } else if rest == ["user", "channels"] {
                self = .channels
            } else if rest.count == 2, rest[0] == "users" {
                self = .user(rest[1])
            } else if rest.count == 4, rest[0] == "user", rest[1] == "email-accounts", rest[3] == "test" {
                self = .test(rest[2])
            } else if rest.count == 3, rest[0] == "user", rest[1] == "email-accounts" {
                self = .deleteAccount(rest[2])
            } else if rest == ["lemwarm", "errors"] || rest == ["warmup", "errors"] {
                self = .warmupErrors
            } else if rest == ["user", "sending-settings"] {
                self = .sendingSettings
            } else if rest.count == 3, rest[0] == "lemwarm", ["start", "pause", "settings"].contains(rest[2]) {
                self = .warmup(id: rest[1], action: rest[2])
            } else if rest.count == 3, rest[0] == "warmup", ["start", "settings"].contains(rest[2]) {
                // The newer family documents no pause page.
                self = .warmup(id: rest[1], action: rest[2])
            } else {
                return nil
            }
        }

        var methods: Set<String> {
            switch self {
            case .connect, .test: ["POST"]
            case .team, .user, .channels, .warmupErrors: ["GET"]
            case .deleteAccount: ["DELETE"]
            case .sendingSettings: ["GET", "PATCH"]
            case let .warmup(_, action): action == "settings" ? ["GET", "PATCH"] : ["POST"]
            }
        }

        func name(_ method: String) -> String {
            switch self {
            case .connect: "POST /user/email-accounts"
            case .team: "GET /team"
            case .user: "GET /users/{id}"
            case .channels: "GET /user/channels"
            case .test: "POST /user/email-accounts/{id}/test"
            case .sendingSettings: "\(method) /user/sending-settings"
            case .warmupErrors: "GET /lemwarm/errors"
            case .deleteAccount: "DELETE /user/email-accounts/{id}"
            case let .warmup(_, action): "\(method) /lemwarm/{usm}/\(action)"
            }
        }
    }

    private func decide(_ state: inout State, method: String, path: String, authorization: String?, contentType: String?,
                        body: [UInt8], arrival: Double) -> Reply {
        let delay = latency(&state.random)
        guard let route = Route(path: path) else {
            // lemlist answers unknown paths with its web app's HTML page.
            return .respond(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")],
                            body: "<!DOCTYPE html><html><head><title>lemlist</title></head><body></body></html>", after: delay)
        }
        guard route.methods.contains(method) else { return text(405, "Method not allowed", after: delay) }
        guard let key = Self.apiKey(authorization), configuration.apiKeys.contains(key) else {
            return text(401, "The authentication you supplied is incorrect", after: delay)
        }
        state.stats.byRoute[route.name(method), default: 0] += 1
        state.stats.arrivals[key, default: []].append(arrival)
        let window = configuration.rateWindow.inSeconds
        let recent = (state.stats.arrivals[key] ?? []).reversed().prefix { arrival - $0 < window }
        let oldest = recent.last ?? arrival
        let resetEpoch = Date().timeIntervalSince1970 + (oldest + window - arrival)
        let headers = [
            ("X-RateLimit-Limit", String(configuration.rateLimit)),
            ("X-RateLimit-Remaining", String(max(configuration.rateLimit - recent.count, 0))),
            ("X-RateLimit-Reset", HTTPDate.javaScriptString(epochSeconds: resetEpoch)),
        ]
        if recent.count > configuration.rateLimit {
            // The request that frees a slot is the one `limit` places back; Retry-After rounds its expiry up.
            let freeing = Array(recent)[configuration.rateLimit - 1]
            let retryAfter = max(1, Int((freeing + window - arrival).rounded(.up)))
            state.stats.throttles.append((arrival, Double(retryAfter)))
            return text(429, "Too many requests", headers + [("Retry-After", String(retryAfter))], after: delay)
        }
        let unpaid = configuration.unpaidKeys.contains(key)
        switch route {
        case .connect:
            if unpaid { return text(402, "route is available starting emailPro plan", headers, after: delay) }
            return connect(&state, key: key, contentType: contentType, body: body, arrival: arrival, headers: headers, delay: delay)
        case .test(let id):
            if unpaid { return text(402, "route is available starting emailPro plan", headers, after: delay) }
            return testAccount(&state, key: key, id: id, headers: headers, delay: delay)
        case .team: return team(state, version2: path.contains("version=v2"), headers: headers, delay: delay)
        case .user(let id): return user(state, key: key, id: id, headers: headers, delay: delay)
        case .channels: return channels(state, key: key, emailAvailable: configuration.emailAvailable && !unpaid, headers: headers, delay: delay)
        case .sendingSettings:
            return method == "GET" ? sendingSettings(state, key: key, team: path.contains("scope=team"), headers: headers, delay: delay)
                : setLimits(&state, key: key, body: body, headers: headers, delay: delay)
        case .warmupErrors: return warmupErrors(state, key: key, headers: headers, delay: delay)
        case let .deleteAccount(id): return delete(&state, key: key, id: id, headers: headers, delay: delay)
        case let .warmup(id, action):
            return warmup(&state, key: key, id: id, action: action, method: method, body: body, headers: headers, delay: delay)
        }
    }

    /// The rest of a connect request, once it is authenticated and within the limit: faults, then lemlist's checks.
    private func connect(_ state: inout State, key: String, contentType: String?, body: [UInt8], arrival: Double, headers: [(String, String)], delay: Duration) -> Reply {
        let fault = configuration.faults.pick(state.random.unit())
        // A fault is counted when it takes effect: a drop or a bad body drawn for a request that creates nothing
        // changes nothing.
        func injected(_ fault: FaultPlan.Fault) { state.stats.faults[fault.rawValue, default: 0] += 1 }
        // Faults that lose the answer to a request that created a mailbox are counted below, once it is created.
        let afterCreation: Set<FaultPlan.Fault> = [.drop, .badBody, .stall, .trickle, .oversize]
        if let fault, !afterCreation.contains(fault) { injected(fault) }
        switch fault {
        case .error500: return text(500, "Internal Server Error", headers, after: delay)
        case .error503: return text(503, "Service Unavailable", headers, after: delay)
        case .reset: return .close(after: delay)
        case .hang: return .hang
        case .spurious429:
            state.stats.throttles.append((arrival, Double(configuration.spuriousRetryAfter)))
            return text(429, "Too many requests", headers + [("Retry-After", String(configuration.spuriousRetryAfter))], after: delay)
        case .echo:
            let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
            let echoed = "Invalid credentials: smtp_password=\(object["smtp_password"] ?? "") imap_password=\(object["imap_password"] ?? "") "
                + "\u{1B}]0;owned\u{7}\u{1B}[2J"
            return text(400, echoed, headers, after: delay)
        case .drop, .badBody, .stall, .trickle, .oversize, nil: break
        }
        guard contentType?.lowercased().hasPrefix("application/json") == true,
              let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            return text(400, "Missing required fields", headers, after: delay)
        }
        guard let mailbox = Self.checkFields(object) else { return text(400, "Missing required fields", headers, after: delay) }
        for field in ["smtp_host", "imap_host"] {
            let host = (object[field] as? String ?? "").lowercased()
            if HostRule.problem(for: host) != nil || configuration.bannedHosts.contains(host) {
                return text(400, "Invalid host", headers, after: delay)
            }
        }
        if let user = object["userId"] {
            guard let id = user as? String, configuration.teamMembers.contains(id) else {
                return text(403, "User is not a member of this team", headers, after: delay)
            }
        }
        guard state.mailboxes[key]?[mailbox] == nil else {
            state.stats.repeated[mailbox, default: 0] += 1
            return text(400, ResponseClassifier.alreadyExists, headers, after: delay)
        }
        // The listing's id is made from the account id, so a new mailbox draws nothing more from the seeded stream.
        state.stats.created[mailbox, default: 0] += 1
        state.stats.createdBy[mailbox] = key
        let id = "umx_" + state.random.identifier(length: 18)
        let owner = (object["userId"] as? String) ?? configuration.owner
        state.mailboxes[key, default: [:]][mailbox] = Mailbox(id: id, listingId: "usm_" + String(id.dropFirst(4).reversed()),
                                                              email: (object["sender_email"] as? String) ?? mailbox, userId: owner)
        if let fault { injected(fault) }
        switch fault {
        case .drop: return .close(after: delay)
        case .badBody: return .respond(status: 201, headers: headers + [("Content-Type", "application/json")], body: "{\"id\": \"\(id)", after: delay)
        case .stall:
            return .stall(status: 201, headers: headers + [("Content-Type", "application/json")], body: "{\"id\":", declaredLength: 100, after: delay)
        case .trickle:
            return .trickle(status: 201, headers: headers + [("Content-Type", "application/json")], every: .milliseconds(100), after: delay)
        case .oversize:
            let padding = String(repeating: " ", count: 2 << 20)
            return .respond(status: 201, headers: headers + [("Content-Type", "application/json")], body: "{\"id\":\"\(id)\"\(padding)}", after: delay)
        default:
            let email = (object["sender_email"] as? String) ?? ""
            let data = (try? JSONSerialization.data(withJSONObject: ["id": id, "email": email, "provider": "custom"])) ?? Data()
            let json = String(decoding: data, as: UTF8.self)
            return .respond(status: 201, headers: headers + [("Content-Type", "application/json; charset=utf-8")], body: json, after: delay)
        }
    }

    /// The mailbox key when every required field is there with the API's type (strings non-empty, ports
    /// integers, secure flags booleans when present), else nil.
    static func checkFields(_ object: [String: Any]) -> String? {
        let strings = ["sender_name", "sender_email", "smtp_host", "smtp_login", "smtp_password", "imap_host", "imap_login", "imap_password"]
        for field in strings {
            guard let value = object[field] as? String, !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        }
        for field in ["smtp_port", "imap_port"] {
            guard let number = object[field] as? NSNumber, !(object[field] is Bool), number.doubleValue == number.doubleValue.rounded(),
                  (1...65535).contains(number.intValue) else { return nil }
        }
        for field in ["smtp_secure", "imap_secure"] where object[field] != nil {
            guard object[field] is Bool else { return nil }
        }
        return (object["sender_email"] as? String)?.lowercased()
    }

    static func apiKey(_ authorization: String?) -> String? {
        guard let authorization, authorization.lowercased().hasPrefix("basic "),
              let decoded = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: decoded, encoding: .utf8), text.hasPrefix(":") else { return nil }
        return String(text.dropFirst())
    }

    private func latency(_ random: inout SplitMix64) -> Duration {
        let low = configuration.latency.lowerBound, high = configuration.latency.upperBound
        return low + (high - low) * random.unit()
    }

    func text(_ status: Int, _ message: String, _ headers: [(String, String)] = [], after delay: Duration) -> Reply {
        .respond(status: status, headers: headers + [("Content-Type", "text/plain; charset=utf-8")], body: message, after: delay)
    }
}
