import Foundation
import MailboxOnboard
import OnboardInput

/// How the emulator behaves: who may call it, how fast it answers, what goes wrong on purpose.
public struct EmulatorConfiguration: Sendable {
    /// API keys it accepts (Basic auth, empty login, key as password).
    public var apiKeys: Set<String>
    /// Requests per key per rolling window, as lemlist enforces (20 per 2 s).
    public var rateLimit: Int
    public var rateWindow: Duration
    /// Each answer waits a time drawn from this range: lemlist tests the SMTP and IMAP logins before answering.
    public var latency: ClosedRange<Duration>
    public var faults: FaultPlan
    /// Seeds every random choice (latency, faults, ids), so a run can be repeated.
    public var seed: UInt64
    /// userIds that belong to the team; any other gives 403.
    public var teamMembers: Set<String>
    /// The member who created the key: mailboxes posted without a userId, and the existing ones, are theirs.
    public var owner: String
    /// Mailboxes (sender emails) the team already has, under the owner.
    public var existingMailboxes: Set<String>
    /// Whether the plan includes the email channel (`GET /user/channels`).
    public var emailAvailable: Bool
    /// Account tests that fail, by sender email (any case): lemlist's error text for SMTP and for IMAP, nil for a pass.
    public var testFailures: [String: (smtp: String?, imap: String?)]
    /// Hosts refused as "Invalid host" besides the ones lemlist's SSRF checks refuse.
    public var bannedHosts: Set<String>
    /// Spurious 429s answered with this Retry-After, in seconds.
    public var spuriousRetryAfter: Int
    /// Keys whose plan lacks this route: they get 402.
    public var unpaidKeys: Set<String>
    /// The highest daily limit the plan takes; a higher one is reported as not updated.
    public var maxDailyLimit: Int? = nil
    /// lemlist's status for some mailboxes (`ERROR`, `DISCONNECTED`), by sender email; the rest are `CONNECTED`.
    public var mailboxStatus: [String: String] = [:]
    /// Mailboxes kept out of warm-up, by sender email: the family of the cause (`disconnected`, `setup`,
    /// `reputation`, `provider`, `unknown`).
    public var warmupErrors: [String: String] = [:]
    /// Mailboxes a DELETE may not remove (403 "You are not allowed to modify this mailbox"), by sender email.
    public var undeletable: Set<String> = []

    public init(
        apiKeys: Set<String> = ["emulator-key"], rateLimit: Int = 20, rateWindow: Duration = .seconds(2),
        latency: ClosedRange<Duration> = .zero ... .zero, faults: FaultPlan = FaultPlan(), seed: UInt64 = 1,
        teamMembers: Set<String> = ["usr_A1B2C3D4E5F6G7H8I9"], owner: String = "usr_A1B2C3D4E5F6G7H8I9",
        existingMailboxes: Set<String> = [], emailAvailable: Bool = true, testFailures: [String: (smtp: String?, imap: String?)] = [:],
        bannedHosts: Set<String> = [], spuriousRetryAfter: Int = 1, unpaidKeys: Set<String> = []
    ) {
        self.apiKeys = apiKeys
        self.rateLimit = rateLimit
        self.rateWindow = rateWindow
        self.latency = latency
        self.faults = faults
        self.seed = seed
        self.teamMembers = teamMembers.union([owner])
        self.owner = owner
        self.existingMailboxes = existingMailboxes
        self.emailAvailable = emailAvailable
        self.testFailures = Dictionary(uniqueKeysWithValues: testFailures.map { ($0.key.lowercased(), $0.value) })
        self.bannedHosts = bannedHosts
        self.spuriousRetryAfter = spuriousRetryAfter
        self.unpaidKeys = unpaidKeys
    }

    /// This configuration with `mailboxStatus`, `warmupErrors` and `undeletable` keyed by lower-cased email.
    var normalized: EmulatorConfiguration {
        var copy = self
        copy.mailboxStatus = Dictionary(mailboxStatus.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        copy.warmupErrors = Dictionary(warmupErrors.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        copy.undeletable = Set(undeletable.map { $0.lowercased() })
        return copy
    }

    /// Parses `200ms`, `1s`, `50ms..300ms`.
    public static func parseLatency(_ text: String) -> ClosedRange<Duration>? {
        let parts = text.components(separatedBy: "..")
        guard (1...2).contains(parts.count) else { return nil }
        let bounds = parts.compactMap(parseDuration)
        guard bounds.count == parts.count, bounds[0] <= bounds[bounds.count - 1] else { return nil }
        return bounds[0]...bounds[bounds.count - 1]
    }

    static func parseDuration(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let (number, scale): (Substring, Double) = trimmed.hasSuffix("ms") ? (trimmed.dropLast(2), 1)
            : trimmed.hasSuffix("s") ? (trimmed.dropLast(1), 1000) : (Substring(trimmed), 1)
        guard let value = Double(number), value >= 0, value.isFinite else { return nil }
        return .milliseconds(Int64(value * scale))
    }
}

/// Faults injected at random, each with its probability per request (their sum at most 1).
public struct FaultPlan: Sendable, Equatable {
    public enum Fault: String, Sendable, CaseIterable {
        /// 500 or 503 before anything is created.
        case error500 = "500", error503 = "503"
        /// The connection closes before anything is created.
        case reset
        /// The mailbox is created, then the connection closes: the answer is lost.
        case drop
        /// No answer at all; the client's timeout has to end it.
        case hang
        /// A 429 although the key is within its limit.
        case spurious429 = "429"
        /// 201 and created, but the JSON body is cut short.
        case badBody = "badbody"
        /// Created; the 201's headers promise 100 bytes, 6 come, then nothing while the connection stays open.
        case stall
        /// Created; a chunked 201 body trickles one byte every 100 ms and never ends.
        case trickle
        /// Created; the 201's JSON body is 2 MiB, past any sane answer's size.
        case oversize
        /// Refused with a 400 whose text echoes the request's passwords and carries a terminal escape sequence.
        case echo
    }

    public var probabilities: [Fault: Double]

    public init(_ probabilities: [Fault: Double] = [:]) {
        self.probabilities = probabilities
    }

    /// Parses `500=0.05,reset=0.02,hang=0.01`.
    public static func parse(_ text: String) -> FaultPlan? {
        var plan = FaultPlan()
        for item in text.split(separator: ",") where !item.isEmpty {
            let pair = item.split(separator: "=")
            guard pair.count == 2, let fault = Fault(rawValue: pair[0].lowercased()), let p = Double(pair[1]), (0...1).contains(p) else {
                return nil
            }
            plan.probabilities[fault] = p
        }
        return plan.probabilities.values.reduce(0, +) <= 1 ? plan : nil
    }

    /// The fault for a uniform draw `unit` in 0..<1, or nil for a normal answer.
    func pick(_ unit: Double) -> Fault? {
        var edge = 0.0
        for fault in Fault.allCases {
            edge += probabilities[fault] ?? 0
            if unit < edge { return fault }
        }
        return nil
    }
}
