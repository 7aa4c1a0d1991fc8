import Foundation
import MailboxOnboard
import Synchronization
import OnboardInput

/// What the emulator has seen, for tests and benchmarks to check exactly-once and the rate limit.
public struct EmulatorStatistics: Sendable {
    /// Every request received, any path.
    public var received = 0
    /// Answers sent, by status (a dropped or hung request has none).
    public var byStatus: [Int: Int] = [:]
    /// Mailboxes created by this emulator, with the number of creations of each (never more than one).
    public var created: [String: Int] = [:]
    /// Valid requests for a mailbox that already existed, by mailbox.
    public var repeated: [String: Int] = [:]

    /// Valid requests for a mailbox that already existed.
    public var duplicateAttempts: Int { repeated.values.reduce(0, +) }
    /// Arrival times of authenticated requests per key, in seconds on a monotonic clock.
    public var arrivals: [String: [Double]] = [:]
    /// When each 429 was answered and the Retry-After it gave, in seconds.
    public var throttles: [(at: Double, retryAfter: Double)] = []
    /// Faults injected, by kind.
    public var faults: [String: Int] = [:]

    /// The most requests one key sent in any rolling `window`, counted at arrival.
    public func maxInWindow(key: String, window: Double) -> Int {
        let times = arrivals[key] ?? []
        var best = 0, start = 0
        for end in times.indices {
            while times[end] - times[start] >= window { start += 1 }
            best = max(best, end - start + 1)
        }
        return best
    }
}

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

    private struct State {
        var stats = EmulatorStatistics()
        var accounts: Set<String>
        var random: SplitMix64
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    init(configuration: EmulatorConfiguration) {
        self.configuration = configuration
        state = Mutex(State(accounts: Set(configuration.existingMailboxes.map { $0.lowercased() }),
                            random: SplitMix64(seed: configuration.seed)))
    }

    var statistics: EmulatorStatistics { state.withLock { $0.stats } }

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

    private func decide(_ state: inout State, method: String, path: String, authorization: String?, contentType: String?,
                        body: [UInt8], arrival: Double) -> Reply {
        let delay = latency(&state.random)
        let route = path.split(separator: "?").first.map(String.init) ?? path
        guard route == "/api/user/email-accounts" || route == "/api/user/email-accounts/" else {
            // lemlist answers unknown paths with its web app's HTML page.
            return .respond(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")],
                            body: "<!DOCTYPE html><html><head><title>lemlist</title></head><body></body></html>", after: delay)
        }
        guard method == "POST" else { return text(405, "Method not allowed", after: delay) }
        guard let key = Self.apiKey(authorization), configuration.apiKeys.contains(key) else {
            return text(401, "The authentication you supplied is incorrect", after: delay)
        }
        state.stats.arrivals[key, default: []].append(arrival)
        let window = configuration.rateWindow.inSeconds
        let recent = (state.stats.arrivals[key] ?? []).reversed().prefix { arrival - $0 < window }
        let oldest = recent.last ?? arrival
        let resetEpoch = Date().timeIntervalSince1970 + (oldest + window - arrival)
        var headers = [
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
        if configuration.unpaidKeys.contains(key) { return text(402, "Payment required", headers, after: delay) }
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
        guard state.accounts.insert(mailbox).inserted else {
            state.stats.repeated[mailbox, default: 0] += 1
            return text(400, ResponseClassifier.alreadyExists, headers, after: delay)
        }
        state.stats.created[mailbox, default: 0] += 1
        let id = "umx_" + state.random.identifier(length: 18)
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

    private func text(_ status: Int, _ message: String, _ headers: [(String, String)] = [], after delay: Duration) -> Reply {
        .respond(status: status, headers: headers + [("Content-Type", "text/plain; charset=utf-8")], body: message, after: delay)
    }
}

/// A small, seedable random generator, so an emulator run (or a test's kill schedule) can be repeated exactly.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func identifier(length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
    }
}
